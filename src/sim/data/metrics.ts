/**
 * The simulated CloudWatch's data: every metric is a sampler (value at a 5-minute sample time, or
 * nothing published), found by namespace, name and dimensions. Desktops derive theirs from a usage
 * profile that is consistent with their running mode (an AutoStop desktop publishes only while it
 * runs); anything else comes from series a scenario registers with `.metric(...)`.
 */
import { DAY, hash32, hash32OnInteger, HOUR, MINUTE } from "../seed.ts";
import type { Sampler, UsageProfile } from "../types.ts";
import { type QuotaRegion, quotaUsageMetrics } from "./quotas.ts";

/** What the metric providers read of one region (the region store satisfies it). */
export interface MetricRegion extends QuotaRegion {
  /** How each desktop is used, by WorkspaceId. */
  readonly usage: ReadonlyMap<string, UsageProfile>;
  /** Explicit series by metricKey(namespace, metric, dimensions). */
  readonly metricSeries: ReadonlyMap<string, Sampler>;
  /** InsufficientCapacityError count per day, by fleet name. */
  readonly fleetCapacityErrors: ReadonlyMap<string, number>;
  /** WorkSpaces tags by resource id (a simulated pool's tag picks its metric dimension name). */
  readonly tags: ReadonlyMap<string, readonly { Key?: string; Value?: string }[]>;
}

/** Spacing of the simulated samples: WorkSpaces publishes its metrics every 5 minutes. */
export const SAMPLE_MS = 300_000;

/** The canonical key of one metric: namespace, name and sorted dimensions. */
export function metricKey(namespace: string, metric: string, dimensions: Readonly<Record<string, string>>): string {
  const dims = Object.entries(dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`).join(",");
  return `${namespace}|${metric}|${dims}`;
}

/** Finds a metric's sampler: an explicit series first, then one derived from the resource it names. */
export function samplerFor(
  region: MetricRegion,
  namespace: string,
  metric: string,
  dimensions: Readonly<Record<string, string>>,
  now: number,
): Sampler | undefined {
  const explicit = region.metricSeries.get(metricKey(namespace, metric, dimensions));
  if (explicit) return explicit;
  for (const provider of PROVIDERS) {
    const s = provider(region, namespace, metric, dimensions, now);
    if (s) return s;
  }
  return undefined;
}

/** Derives a sampler for metrics of resources in the estate; undefined when it does not know the metric. */
export type MetricProvider = (
  region: MetricRegion,
  namespace: string,
  metric: string,
  dimensions: Readonly<Record<string, string>>,
  now: number,
) => Sampler | undefined;

/** AWS/WorkSpaces per WorkspaceId, from the desktop's usage profile and running mode. */
const workspaceMetrics: MetricProvider = (region, namespace, metric, dims, now) => {
  if (namespace !== "AWS/WorkSpaces" || Object.keys(dims).length !== 1 || !dims.WorkspaceId) return undefined;
  const ws = region.workspaces.get(dims.WorkspaceId);
  if (!ws) return undefined;
  const p = region.usage.get(dims.WorkspaceId) ?? { hoursPerDay: 0 };
  const alwaysOn = ws.WorkspaceProperties?.RunningMode === "ALWAYS_ON";
  // A desktop that is down now published nothing recently: its history ends a day ago, at the top of
  // that hour, so the cut stays put for an hour instead of moving with every request (two reads a few seconds
  // apart, say before and after retries, see the same series unless an hour boundary lies between them).
  const down = ["STOPPED", "SUSPENDED", "ERROR", "TERMINATED", "PENDING"].includes(ws.State ?? "");
  const silentFrom = Math.floor((now - DAY) / HOUR) * HOUR;
  const autoStopMs = (ws.WorkspaceProperties?.RunningModeAutoStopTimeoutInMinutes ?? 60) * MINUTE;
  const hours = Math.min(24, Math.max(0, p.hoursPerDay ?? 8));
  const startMs = (p.startHour ?? 8) * HOUR;
  const breakMs = (p.breakMinutes ?? 0) * MINUTE;
  const sessionMs = hours * HOUR;
  const breakStart = startMs + sessionMs / 2 - breakMs / 2;
  const breakEnd = breakStart + breakMs;
  const today = Math.floor(now / DAY) * DAY;
  const explicitDays = Array.isArray(p.days) ? new Set(p.days as number[]) : undefined;
  const idleFor = p.idleForDays ?? 0;
  const failures = p.failuresPerDay ?? 0;
  const seed = hash32(dims.WorkspaceId);
  const isActiveDay = (dayStart: number): boolean => {
    const ago = Math.round((today - dayStart) / DAY);
    if (ago < idleFor) return false;
    if (explicitDays) return explicitDays.has(ago);
    if (p.days === "daily") return true;
    const wd = new Date(dayStart).getUTCDay();
    return wd >= 1 && wd <= 5;
  };
  const activeDays = new Map<number, boolean>();
  const activeDay = (dayStart: number): boolean => {
    let active = activeDays.get(dayStart);
    if (active === undefined) activeDays.set(dayStart, active = isActiveDay(dayStart));
    return active;
  };
  /** The state `m` ms into a day, given whether that day and the one before are active days. */
  const stateAt = (m: number, today: boolean, yesterday: boolean): 0 | 1 | undefined => {
    if (sessionMs > 0 && today) {
      const inSession = m >= startMs && m < startMs + sessionMs && !(m >= breakStart && m < breakEnd);
      if (inSession) return 1;
      // AutoStop keeps the desktop running for the timeout after a disconnect (a long break stops it).
      if (m >= breakStart && m < breakEnd && (alwaysOn || m < breakStart + autoStopMs)) return 0;
      if (m >= startMs + sessionMs && m < startMs + sessionMs + autoStopMs) return 0;
    }
    if (alwaysOn) return 0;
    // The tail of yesterday's session past midnight.
    if (sessionMs > 0 && yesterday && m + DAY < startMs + sessionMs + autoStopMs) return 0;
    return undefined;
  };
  // The sampler's hot path (a 14-day read samples each day 288 times per metric, at 10,000 desktops): a day's
  // 5-minute samples depend only on whether it and the day before are active, so each of the four cases is
  // tabulated once (-1 = not running) and each day's case memoised.
  const tables: (Int8Array | undefined)[] = [];
  const dayCases = new Map<number, number>();
  const table = (c: number): Int8Array => {
    const out = new Int8Array(DAY / SAMPLE_MS);
    for (let k = 0; k < out.length; k++) out[k] = stateAt(k * SAMPLE_MS, c >= 2, c % 2 === 1) ?? -1;
    return out;
  };
  /** The day's table; null within the last day of a desktop that is down (it published nothing). */
  const day = (dayStart: number): Int8Array | null => {
    if (down && dayStart + DAY > silentFrom) return null;
    let c = dayCases.get(dayStart);
    if (c === undefined) {
      dayCases.set(dayStart, c = (activeDay(dayStart) ? 2 : 0) + (activeDay(dayStart - DAY) ? 1 : 0));
    }
    return tables[c] ??= table(c);
  };
  /** 1 connected, 0 running but not connected, undefined not running. */
  const state = Object.assign((t: number): 0 | 1 | undefined => {
    if (down && t >= silentFrom) return undefined;
    const dayStart = Math.floor(t / DAY) * DAY;
    const m = t - dayStart;
    const tabulated = m % SAMPLE_MS === 0 ? day(dayStart) : null;
    if (!tabulated) return stateAt(m, activeDay(dayStart), activeDay(dayStart - DAY));
    const v = tabulated[m / SAMPLE_MS];
    return v < 0 ? undefined : v as 0 | 1;
  }, { day });
  const isStart = (t: number) => {
    const dayStart = Math.floor(t / DAY) * DAY;
    return activeDay(dayStart) && t - dayStart === startMs;
  };
  // hash32(`${seed}:${t}`), its prefix hashed once (a CPU or memory read hashes every 5-minute sample).
  const wavePrefix = hash32(`${seed}:`);
  const wave = (t: number, load: { average: number; peak: number }) => {
    const h = hash32OnInteger(wavePrefix, t) % 1000;
    if (h < 8) return load.peak; // a rare spike: peak, not p95
    const spread = Math.min(10, (load.peak - load.average) / 2);
    return Math.max(0, Math.min(load.peak, load.average + ((h % 100) / 100 - 0.5) * spread));
  };
  /**
   * A load metric: the wave while connected, `idle` while running disconnected. Its days are tabulated
   * from the states, the last one kept (a read walks the days in order, one bucket after another).
   */
  const load = (l: { average: number; peak: number }, idle: number): Sampler => {
    let last: { dayStart: number; values: Float64Array } | undefined;
    return Object.assign((t: number) => {
      const s = state(t);
      return s === undefined ? undefined : s ? wave(t, l) : idle;
    }, {
      day: (dayStart: number): Float64Array | null => {
        if (last?.dayStart === dayStart) return last.values;
        const states = day(dayStart);
        if (!states) return null;
        const values = new Float64Array(states.length);
        for (let k = 0; k < states.length; k++) {
          values[k] = states[k] < 0 ? -1 : states[k] ? wave(dayStart + k * SAMPLE_MS, l) : idle;
        }
        last = { dayStart, values };
        return values;
      },
    });
  };
  const cpu = p.cpu ?? { average: 25, peak: 60 };
  const mem = p.memory ?? { average: 40, peak: 65 };
  switch (metric) {
    case "UserConnected":
      return state;
    case "CPUUsage":
      return load(cpu, 3);
    case "MemoryUsage":
      return load(mem, 22);
    case "InSessionLatency":
      return (t) => (state(t) === 1 ? p.latencyMs ?? 60 : undefined);
    case "ConnectionAttempt":
      return (t) => (isStart(t) && (sessionMs > 0 || failures > 0) ? (sessionMs > 0 ? 1 : 0) + failures : undefined);
    case "ConnectionSuccess":
      return (t) => (isStart(t) && sessionMs > 0 ? 1 : undefined);
    case "ConnectionFailure":
      return (t) => (isStart(t) && failures > 0 ? failures : undefined);
    case "SessionLaunchTime":
      return (t) => (isStart(t) && sessionMs > 0 ? 18 + (seed % 10) : undefined);
    case "RootVolumeDiskUsage":
      return (t) => (state(t) === undefined ? undefined : 46);
    case "UserVolumeDiskUsage":
      return (t) => (state(t) === undefined ? undefined : 31);
    case "UpTime":
      return (t) => (state(t) === undefined ? undefined : SAMPLE_MS / 1000);
    default:
      return undefined;
  }
};

// ---------------------------------------------------------------- pools and fleets (diagnostics, utilization)

/** The CloudWatch dimension of WorkSpaces Pools metrics: literally "WorkSpaces pool ID", with spaces. */
export const POOL_DIMENSION = "WorkSpaces pool ID";

/**
 * AWS/WorkSpaces per pool (dimension "WorkSpaces pool ID"), from the pool's live CapacityStatus: a
 * running pool publishes its current capacity every sample across the window (explicit series via
 * `scenario().metric(...)` override it); a STOPPED pool publishes nothing.
 */
const poolMetrics: MetricProvider = (region, namespace, metric, dims) => {
  if (namespace !== "AWS/WorkSpaces" || Object.keys(dims).length !== 1 || !dims[POOL_DIMENSION]) return undefined;
  const pool = region.pools.get(dims[POOL_DIMENSION]);
  if (!pool) return undefined;
  const live = () => {
    if (pool.State === "STOPPED") return undefined;
    const c = pool.CapacityStatus;
    const desired = c?.DesiredUserSessions ?? 0;
    const actual = c?.ActualUserSessions ?? 0;
    const active = c?.ActiveUserSessions ?? 0;
    return { desired, actual, active, available: c?.AvailableUserSessions ?? Math.max(0, actual - active) };
  };
  const of = (pick: (c: NonNullable<ReturnType<typeof live>>) => number) => whileLive(live, pick);
  switch (metric) {
    case "DesiredUserSessionCapacity":
      return of((c) => c.desired);
    case "ActualUserSessionCapacity":
      return of((c) => c.actual);
    case "ActiveUserSessionCapacity":
      return of((c) => c.active);
    case "AvailableUserSessionCapacity":
      return of((c) => c.available);
    case "PendingUserSessionCapacity":
      return of((c) => Math.max(0, c.desired - c.actual));
    case "UserSessionsCapacityUtilization":
      return of((c) => (c.actual > 0 ? Math.round((c.active / c.actual) * 1000) / 10 : 0));
    default:
      return undefined;
  }
};

/** UTC hours over which a fleet's daily InsufficientCapacityError count is spread (the busy part of the day). */
const CAPACITY_ERROR_HOURS = [9, 10, 11, 12, 13, 14, 15, 16];

/**
 * AWS/AppStream per fleet (dimension Fleet), from the fleet's live ComputeCapacityStatus, following
 * AWS's definitions: Actual = Available + InUse, Pending = Desired − Running while starting up,
 * CapacityUtilization = InUse / Actual. A STOPPED fleet publishes nothing.
 * InsufficientCapacityError: the fleet's errors per day, spread over CAPACITY_ERROR_HOURS (0 otherwise).
 */
const fleetMetrics: MetricProvider = (region, namespace, metric, dims) => {
  if (namespace !== "AWS/AppStream" || Object.keys(dims).length !== 1 || !dims.Fleet) return undefined;
  const fleet = region.fleets.get(dims.Fleet);
  if (!fleet) return undefined;
  const live = () => {
    if (fleet.State === "STOPPED") return undefined;
    const c = fleet.ComputeCapacityStatus;
    const desired = c?.Desired ?? 0;
    const running = c?.Running ?? 0;
    const inUse = c?.InUse ?? 0;
    const available = c?.Available ?? Math.max(0, running - inUse);
    return { desired, running, inUse, available, actual: inUse + available };
  };
  const of = (pick: (c: NonNullable<ReturnType<typeof live>>) => number) => whileLive(live, pick);
  switch (metric) {
    case "DesiredCapacity":
      return of((c) => c.desired);
    case "RunningCapacity":
      return of((c) => c.running);
    case "InUseCapacity":
      return of((c) => c.inUse);
    case "AvailableCapacity":
      return of((c) => c.available);
    case "ActualCapacity":
      return of((c) => c.actual);
    case "PendingCapacity":
      return of((c) => Math.max(0, c.desired - c.running));
    case "CapacityUtilization":
      return of((c) => (c.actual > 0 ? Math.round((c.inUse / c.actual) * 1000) / 10 : 0));
    case "InsufficientCapacityError": {
      const perDay = region.fleetCapacityErrors.get(dims.Fleet) ?? 0;
      const n = CAPACITY_ERROR_HOURS.length;
      return (t) => {
        if (live() === undefined) return undefined;
        const m = t % DAY;
        const k = CAPACITY_ERROR_HOURS.indexOf(Math.floor(m / HOUR));
        if (k < 0 || m % HOUR !== 0) return 0;
        return Math.floor(perDay / n) + (k < perDay % n ? 1 : 0);
      };
    }
    default:
      return undefined;
  }
};

/** A sampler that reads `live()` at each sample: nothing while it is undefined (a stopped resource), else `pick`. */
function whileLive<C>(live: () => C | undefined, pick: (c: C) => number): Sampler {
  return () => {
    const c = live();
    return c === undefined ? undefined : pick(c);
  };
}

/** Metric providers, tried in order after explicit series. Add one per resource kind that publishes metrics. */
export const PROVIDERS: MetricProvider[] = [workspaceMetrics, quotaUsageMetrics, poolMetrics, fleetMetrics];
