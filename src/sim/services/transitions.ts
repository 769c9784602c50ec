/**
 * Simulated time for write operations: a mutation puts a resource in its transitional state
 * (STARTING, STOPPING, TERMINATING, …) and records when it settles; every operation of the
 * services that own such resources first settles what is due, so a later Describe* sees the end
 * state. No timers: nothing is left running when a test ends.
 */
import type { OpContext, OperationTable } from "./common.ts";

type Region = OpContext["region"];

/** One pending change: applied once `at` (epoch ms) has passed. */
interface Pending {
  at: number;
  apply(): void;
}

/** How long a simulated transition takes (ms); tests and the demo keep it short. */
export const SIM_TIMING = { transitionMs: 300 };

const PENDING = new WeakMap<Region, Map<string, Pending>>();
const FAILURES = new WeakMap<Region, Map<string, { code: string; message: string }>>();

/** Schedules `apply` for `key` (a resource id) after the transition time; a newer schedule replaces it. */
export function schedule(region: Region, key: string, apply: () => void, ms = SIM_TIMING.transitionMs): void {
  let map = PENDING.get(region);
  if (!map) PENDING.set(region, map = new Map());
  map.set(key, { at: Date.now() + ms, apply });
}

/** Applies every pending change that is due. */
export function settle(region: Region): void {
  const map = PENDING.get(region);
  if (!map) return;
  const now = Date.now();
  for (const [key, p] of map) {
    if (p.at <= now) {
      map.delete(key);
      p.apply();
    }
  }
}

/**
 * Makes the next write request for `id` fail the way AWS reports it (a FailedRequests entry or an
 * exception), whatever its state: the race a plan cannot see.
 */
export function failNextWrite(region: Region, id: string, code: string, message: string): void {
  let map = FAILURES.get(region);
  if (!map) FAILURES.set(region, map = new Map());
  map.set(id, { code, message });
}

/** The injected failure for `id`, consumed. */
export function takeFailure(region: Region, id: string): { code: string; message: string } | undefined {
  const map = FAILURES.get(region);
  const f = map?.get(id);
  if (f) map!.delete(id);
  return f;
}

/** The table with every operation settling due transitions first. */
export function settling(table: OperationTable): OperationTable {
  return Object.fromEntries(
    Object.entries(table).map(([name, fn]) => [name, (ctx: OpContext) => {
      settle(ctx.region);
      return fn(ctx);
    }]),
  );
}
