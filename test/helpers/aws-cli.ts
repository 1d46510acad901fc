/**
 * AWS CLI version 1 (the `awscli` package on PyPI), installed by the tests into .cache/awscli-venv
 * on first use, so that the command lines `dev` prints are run by the real CLI on every machine,
 * CI's included. (Version 2 is not published on the registries this project installs from.)
 */
import { join } from 'node:path';
import { ensureVenv } from './venv.js';

const AWSCLI_REQUIREMENT = 'awscli>=1.36,<2';

/** The path of an `aws` executable (CLI v1), installed when missing. */
export function awsCli(): string {
  return join(ensureVenv('awscli-venv', AWSCLI_REQUIREMENT), 'bin', 'aws');
}
