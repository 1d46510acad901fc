/** citty puts the first positional in `args.<name>` and every positional in `args._`. */
export function functionNames(args: { _?: unknown }): string[] {
  const positional = Array.isArray(args._) ? (args._ as unknown[]) : [];
  return positional.filter((a): a is string => typeof a === 'string' && a !== '');
}
