/**
 * @module
 * The Node.js Lambda runtimes the adapter runs on, with AWS's deprecation calendar
 * (docs/cloudfront-rules.md §4.4). Dates are when creating / updating a function with the runtime
 * stops working; Lambda@Edge accepts the same runtimes while they can still be created.
 */

export interface RuntimeInfo {
  name: string;
  /** Functions can no longer be created with it from this day (UTC). */
  blockCreate: string;
  /** Nor updated. */
  blockUpdate: string;
}

/** Newest first; the first one that can still be created is the recommendation. */
export const NODE_RUNTIMES: readonly RuntimeInfo[] = [
  { name: 'nodejs24.x', blockCreate: '2028-06-01', blockUpdate: '2028-07-01' },
  { name: 'nodejs22.x', blockCreate: '2027-06-01', blockUpdate: '2027-07-01' },
  { name: 'nodejs20.x', blockCreate: '2026-08-31', blockUpdate: '2026-09-30' },
  { name: 'nodejs18.x', blockCreate: '2025-09-01', blockUpdate: '2025-09-01' },
];

export function runtimeInfo(name: string): RuntimeInfo | undefined {
  return NODE_RUNTIMES.find((r) => r.name === name);
}

/** Runtimes a function can be created with on `now`. */
export function creatableRuntimes(now: Date): string[] {
  return NODE_RUNTIMES.filter((r) => now < new Date(`${r.blockCreate}T00:00:00Z`)).map((r) => r.name);
}

/** Whether `name` can still be used to create (or, with `update`, to update) a function on `now`. */
export function isRuntimeUsable(name: string, now: Date, update = false): boolean {
  const info = runtimeInfo(name);
  if (info === undefined) return false;
  return now < new Date(`${update ? info.blockUpdate : info.blockCreate}T00:00:00Z`);
}
