/**
 * @module
 * Flags several commands take, defined once: where the config is, `--json`, and how to reach AWS
 * (deploy, destroy, prune, logs), with the library's connection options they give.
 */

/** `--config`: every command that reads the project's config. */
export const configFlag = {
  config: { type: 'string', description: 'config file (default: lambda-wasm.config.json here or above)' },
} as const;

/** How to reach AWS. */
export const awsConnectionFlags = {
  region: { type: 'string', description: 'AWS Region of the functions (default: deploy.region, us-east-1)' },
  profile: { type: 'string', description: 'a profile of ~/.aws/config (default: AWS_PROFILE or the default chain)' },
  'endpoint-url': { type: 'string', description: 'send every AWS call to this URL (an emulator such as moto)' },
} as const;

/** Flags shared by deploy, destroy and prune. */
export const awsArgs = {
  ...configFlag,
  ...awsConnectionFlags,
  json: { type: 'boolean', description: 'print the result as JSON' },
} as const;

/** The library's connection options from those flags (only the ones given). */
export function awsConnection(args: { region?: string; profile?: string; 'endpoint-url'?: string }): { region?: string; profile?: string; endpoint?: string } {
  return {
    ...(args.region === undefined ? {} : { region: args.region }),
    ...(args.profile === undefined ? {} : { profile: args.profile }),
    ...(args['endpoint-url'] === undefined ? {} : { endpoint: args['endpoint-url'] }),
  };
}
