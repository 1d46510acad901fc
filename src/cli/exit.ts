/** Exit codes: 0 success, 1 a failure the user should look at (function error, invalid result, bad input), 2 a usage mistake. */
export const ExitCode = { Ok: 0, Failure: 1, Usage: 2 } as const;
