/**
 * A real AWS API emulator for the deploy tests: moto in server mode (https://docs.getmoto.org),
 * installed by this helper into .cache/moto-venv on first use (a fresh clone needs only python3),
 * started on a free loopback port, stopped by `stop()`.
 *
 * moto's CloudFront model drops `LambdaFunctionAssociations` and accepts any `If-Match`, which are
 * exactly what deploy must get right; the launcher below patches both before serving, so the
 * tests read back the association and a stale ETag fails as it does on AWS (412
 * PreconditionFailed), and an updated distribution stays InProgress for two reads so the wait
 * loop is exercised. moto has no Lambda@Edge replicas: functions named `replicated-*` refuse
 * deletion the way Lambda does while CloudFront still holds replicas, and creating a function
 * named `throttled-*` is throttled twice (429 TooManyRequestsException). AWS managed policies are
 * loaded so AWSLambdaBasicExecutionRole exists.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './paths.js';
import { ensureVenv } from './venv.js';

const venv = join(repoRoot, '.cache', 'moto-venv');
const python = join(venv, 'bin', 'python');
/** The patches below touch moto internals: keep to the series they were written for. */
const MOTO_REQUIREMENT = 'moto[server]>=5.1,<5.3';

const LAUNCHER = `
import sys
from moto.cloudfront import models as cf
from moto.cloudfront.exceptions import CloudFrontException

_behaviour_init = cf.DefaultCacheBehaviour.__init__
def _keep_lambda_associations(self, config):
    _behaviour_init(self, config)
    lfa = config.get("LambdaFunctionAssociations")
    if lfa and int(lfa.get("Quantity") or 0) > 0:
        self.lambda_function_associations = lfa
cf.DefaultCacheBehaviour.__init__ = _keep_lambda_associations

class PreconditionFailed(CloudFrontException):
    code = 412
    def __init__(self):
        super().__init__("PreconditionFailed", "The If-Match version is missing or not valid for the resource.")

_update = cf.CloudFrontBackend.update_distribution
def _update_checking_etag(self, dist_config, _id, if_match):
    dist = self.distributions.get(_id)
    if dist is not None and if_match and if_match != dist.etag:
        raise PreconditionFailed()
    result = _update(self, dist_config, _id, if_match)
    dist.etag = cf.random_id()
    dist.status = "InProgress"
    dist._tick = 0
    return dist, dist.location, dist.etag
cf.CloudFrontBackend.update_distribution = _update_checking_etag

# Like AWS, a changed distribution is InProgress for a while: here, for two reads.
from moto.moto_api import state_manager
state_manager.set_transition(model_name="cloudfront::distribution", transition={"progression": "manual", "times": 2})

# moto has no Lambda@Edge replicas. Functions named replicated-* behave like an edge function
# CloudFront still has replicas of: Lambda refuses to delete them, with AWS's text.
from moto.awslambda import models as lm
from moto.awslambda.exceptions import InvalidParameterValueException
_delete = lm.LambdaBackend.delete_function
def _delete_unless_replicated(self, function_name, qualifier=None):
    name = function_name.split(":")[6] if function_name.startswith("arn:") else function_name
    if name.startswith("replicated-"):
        arn = "arn:aws:lambda:%s:%s:function:%s:%s" % (self.region_name, self.account_id, name, qualifier or "1")
        raise InvalidParameterValueException("Lambda was unable to delete %s because it is a replicated function. Please see our documentation for Deleting Lambda@Edge Functions and Replicas." % arn)
    return _delete(self, function_name, qualifier)
lm.LambdaBackend.delete_function = _delete_unless_replicated

# Throttling on demand: creating a function named throttled-* fails twice with Lambda's 429.
from moto.awslambda.exceptions import LambdaClientError
class TooManyRequests(LambdaClientError):
    code = 429
    def __init__(self):
        super().__init__("TooManyRequestsException", "Rate exceeded")
_create = lm.LambdaBackend.create_function
_throttled = {}
def _create_throttled(self, spec):
    name = spec.get("FunctionName", "")
    if name.startswith("throttled-") and _throttled.get(name, 0) < 2:
        _throttled[name] = _throttled.get(name, 0) + 1
        raise TooManyRequests()
    return _create(self, spec)
lm.LambdaBackend.create_function = _create_throttled

from moto.server import main
main(sys.argv[1:])
`;

export interface Moto {
  endpoint: string;
  stop(): Promise<void>;
}

/** Installs moto into its venv unless it is there. */
export function ensureMoto(): void {
  ensureVenv('moto-venv', MOTO_REQUIREMENT);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts a fresh moto (empty state) and waits until it answers. */
export async function startMoto(): Promise<Moto> {
  ensureMoto();
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(python, ['-c', LAUNCHER, '-H', '127.0.0.1', '-p', String(port)], {
      env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', PYTHONUNBUFFERED: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const endpoint = `http://127.0.0.1:${port}`;
    if (await waitUntilAnswering(endpoint, child)) {
      return { endpoint, stop: () => stopChild(child) };
    }
    await stopChild(child);
    // Another process may have taken the port between freePort() and the bind: try once more.
    if (attempt >= 2) throw new Error(`moto did not start on ${endpoint}:\n${stderr}`);
  }
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/** Dummy credentials for the SDK: moto accepts anything, and nothing real must be used by mistake. */
export function useDummyCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_SESSION_TOKEN = 'testing';
  process.env.AWS_REGION = 'us-east-1';
  delete process.env.AWS_PROFILE;
}
