/**
 * @module
 * The `distribution` and `deploy` sections of a `ProjectConfig`, validated with their defaults, for
 * `emulator/config.ts` and `deploy/config.ts`. A config from `loadConfig` was validated whole; one
 * built in code (tests, `bench`) is validated here, against the same schema and cross-section rules.
 */
import type { DeploySection } from './deploy-schema.js';
import { deployProblems, deploySchema } from './deploy-schema.js';
import { distributionSchema, triggerProblems, type DistributionSection } from './distribution-schema.js';
import type { FunctionKind } from './limits.js';
import type { ProjectConfig } from './load.js';
import { configError, fallbackMessage, formatPath, problemsOf, type ConfigProblem } from './problems.js';

function kindsOf(config: ProjectConfig): Map<string, FunctionKind> {
  return new Map(config.functions.map((f) => [f.name, f.kind]));
}

function check<T>(config: ProjectConfig, section: 'distribution' | 'deploy', parsed: { success: true; data: T } | { success: false; error: { issues: unknown[] } }, cross: Array<{ path: (string | number)[]; message: string }>): T {
  const problems: ConfigProblem[] = parsed.success ? [] : problemsOf(parsed.error.issues as Parameters<typeof problemsOf>[0], [section]);
  problems.push(...cross.map((p) => ({ path: formatPath(p.path), message: p.message })));
  if (problems.length > 0 || !parsed.success) throw configError(config.file ?? 'config', problems);
  return parsed.data;
}

/** The distribution for `dev`, or undefined when the config has none. */
export function distributionSection(config: ProjectConfig): DistributionSection | undefined {
  if (config.distribution === undefined) return undefined;
  const names = config.functions.map((f) => f.name);
  return check(config, 'distribution', distributionSchema.safeParse(config.distribution, { error: fallbackMessage }), triggerProblems(config.distribution, kindsOf(config), names));
}

/** The deploy settings, defaults filled in (an absent section is all defaults). */
export function deploySection(config: ProjectConfig): DeploySection {
  const raw = config.deploy ?? {};
  const names = config.functions.map((f) => f.name);
  return check(config, 'deploy', deploySchema.safeParse(raw, { error: fallbackMessage }), deployProblems(raw, kindsOf(config), names));
}
