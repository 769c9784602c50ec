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

/** One aggregated series: bucket start times (epoch ms, ascending) and values. */
export interface Aggregated {
  timestamps: number[];
  values: number[];
}

/** Oldest sample CloudWatch keeps at a given period: 1 min → 15 days, 5 min → 63 days, 1 h → 455 days. */
export function retentionStart(periodSec: number, now: number): number {
  if (periodSec < 300) return now - 15 * DAY;
  if (periodSec < 3600) return now - 63 * DAY;
  return now - 455 * DAY;
}

/** Aggregates a sampler's 5-minute samples into `periodSec` buckets with a CloudWatch statistic. */
export function aggregate(
  sampler: Sampler,
  start: number,
  end: number,
  periodSec: number,
  stat: string,
  now: number,
): Aggregated {
  const period = periodSec * 1000;
  const oldest = retentionStart(periodSec, now);
  const pct = /^p(\d+(?:\.\d+)?)$/.exec(stat);
  if (period === SAMPLE_MS && !pct) return fiveMinute(sampler, start, end, stat, now, oldest);
  const out: Aggregated = { timestamps: [], values: [] };
  const first = Math.floor(start / period) * period;
  const bucketValues: number[] = [];
  // Running totals per bucket (the simulator's hot loop); only a percentile keeps the bucket's values.
  const totals = { n: 0, sum: 0, max: -Infinity, min: Infinity };
  // Whole buckets of a tabulated day come from the table's bucket statistics, computed once per table.
  const wholeBuckets = !pct && DAY % period === 0 && period > SAMPLE_MS;
  let aggTable: ArrayLike<number> | undefined;
  let tableDay: number | undefined;
  let dayTable: ArrayLike<number> | null = null;
  let agg: Float64Array | undefined;
  for (let b = Math.max(first, Math.floor(oldest / period) * period); b < end; b += period) {
    if (b + period <= start) continue;
    bucketValues.length = 0;
    totals.n = 0;
    totals.sum = 0;
    totals.max = -Infinity;
    totals.min = Infinity;
    const from = Math.ceil(Math.max(b, start) / SAMPLE_MS) * SAMPLE_MS;
    const to = Math.min(b + period, end, now + 1);
    // A bucket within one tabulated day reads the table (the same samples, without a call per sample).
    const dayStart = Math.floor(from / DAY) * DAY;
    // The day's table, asked once per day (a 5-minute read has 288 buckets a day).
    if (dayStart !== tableDay) {
      tableDay = dayStart;
      dayTable = sampler.day ? sampler.day(dayStart) : null;
    }
    const table = to - 1 < dayStart + DAY ? dayTable : null;
    if (table && period === SAMPLE_MS && !pct) {
      // A 5-minute bucket holds at most its one sample: every statistic is the sample (SampleCount 1).
      if (from < to) {
        const x = table[(from - dayStart) / SAMPLE_MS];
        if (x >= 0) {
          out.timestamps.push(b);
          out.values.push(stat === "SampleCount" ? 1 : x);
        }
      }
      continue;
    }
    if (table && wholeBuckets && from === b && to === b + period) {
      if (table !== aggTable) {
        aggTable = table;
        agg = bucketStats(table, period, stat);
      }
      const v = agg![(b - dayStart) / period];
      if (!Number.isNaN(v)) {
        out.timestamps.push(b);
        out.values.push(v);
      }
      continue;
    }
    for (let t = from; t < to; t += SAMPLE_MS) {
      let v: number | undefined;
      if (table) {
        const x = table[(t - dayStart) / SAMPLE_MS];
        v = x < 0 ? undefined : x;
      } else v = sampler(t);
      if (v === undefined) continue;
      totals.n++;
      totals.sum += v;
      if (v > totals.max) totals.max = v;
      if (v < totals.min) totals.min = v;
      if (pct) bucketValues.push(v);
    }
    if (totals.n === 0) continue;
    out.timestamps.push(b);
    out.values.push(statistic(stat, totals, bucketValues, pct));
  }
  return out;
}

/**
 * A 5-minute read (any statistic but a percentile), day by day: a 5-minute bucket holds at most its
 * one sample, at the bucket's start, so every statistic is the sample (SampleCount 1). The buckets
 * are those starting in [start, min(end, now + 1)) and not before retention; a tabulated day is read
 * from its table, any other from the sampler. The simulator's hottest path (the straddlers' reads).
 */
function fiveMinute(
  sampler: Sampler,
  start: number,
  end: number,
  stat: string,
  now: number,
  oldest: number,
): Aggregated {
  const out: Aggregated = { timestamps: [], values: [] };
  const from = Math.max(Math.ceil(start / SAMPLE_MS), Math.floor(oldest / SAMPLE_MS)) * SAMPLE_MS;
  const to = Math.min(end, now + 1);
  const count = stat === "SampleCount";
  for (let day = Math.floor(from / DAY) * DAY; day < to; day += DAY) {
    const table = sampler.day ? sampler.day(day) : null;
    const last = Math.min(to, day + DAY);
    for (let b = Math.max(from, day); b < last; b += SAMPLE_MS) {
      let v: number | undefined;
      if (table) {
        const x = table[(b - day) / SAMPLE_MS];
        if (!(x >= 0)) continue;
        v = x;
      } else {
        v = sampler(b);
        if (v === undefined) continue;
      }
      out.timestamps.push(b);
      out.values.push(count ? 1 : v);
    }
  }
  return out;
}

/**
 * The last bucket statistics computed for a day table (a desktop's UserConnected shares four tables
 * over all its days; a CPU or memory table is one day's and read once, so one entry a table).
 */
const BUCKET_STATS = new WeakMap<ArrayLike<number>, { key: string; out: Float64Array }>();

/** The statistic of each `period`-ms bucket of a day table (NaN: no sample), as aggregate() computes it. */
function bucketStats(table: ArrayLike<number>, period: number, stat: string): Float64Array {
  const key = `${period}|${stat}`;
  const cached = BUCKET_STATS.get(table);
  if (cached?.key === key) return cached.out;
  const per = period / SAMPLE_MS;
  const out = new Float64Array(table.length / per);
  const totals = { n: 0, sum: 0, max: -Infinity, min: Infinity };
  for (let j = 0; j < out.length; j++) {
    totals.n = 0;
    totals.sum = 0;
    totals.max = -Infinity;
    totals.min = Infinity;
    for (let k = j * per; k < (j + 1) * per; k++) {
      const v = table[k];
      if (v < 0) continue;
      totals.n++;
      totals.sum += v;
      if (v > totals.max) totals.max = v;
      if (v < totals.min) totals.min = v;
    }
    out[j] = totals.n === 0 ? NaN : statistic(stat, totals, [], null);
  }
  BUCKET_STATS.set(table, { key, out });
  return out;
}

/** A bucket's statistic from its running totals (a percentile from its values); Average for any other name. */
function statistic(
  stat: string,
  totals: { n: number; sum: number; max: number; min: number },
  values: number[],
  pct: RegExpExecArray | null,
): number {
  switch (stat) {
    case "Sum":
      return totals.sum;
    case "Maximum":
      return totals.max;
    case "Minimum":
      return totals.min;
    case "SampleCount":
      return totals.n;
  }
  if (pct) {
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.ceil((Number(pct[1]) / 100) * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }
  return totals.sum / totals.n;
}
