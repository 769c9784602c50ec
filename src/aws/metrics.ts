/**
 * The one way tools read CloudWatch: many metric queries (across resources) packed into as few
 * GetMetricData requests as the API allows — at most 500 queries per request, every NextToken page
 * followed, a few requests in flight — with a period the metric's retention still serves, and
 * series returned as aligned timestamp/value arrays. No tool calls CloudWatch per resource.
 */
import { type Aws, AwsCallError } from "./clients.ts";
import { type AwsErrorInfo, classifyError } from "./errors.ts";
import { METRIC_POINTS, type WithMetricPoints } from "./metric_wire.ts";
import { mapLimit } from "./paginate.ts";

/** GetMetricData's documented maximum of queries (metrics plus expressions) per request. */
export const MAX_QUERIES_PER_REQUEST = 500;

const DAY = 86_400_000;
// Requests in flight at once; GetMetricData allows 50 TPS per account and region by default.
const DEFAULT_CONCURRENCY = 4;
// A response carries at most 100,800 datapoints; a batch this many pages deep is a bug, not data.
const MAX_PAGES_PER_BATCH = 2_000;

/** One metric to read. */
export interface MetricQuery {
  readonly namespace: string;
  readonly metric: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** Sum, Average, Maximum, Minimum, SampleCount or a percentile such as p95. */
  readonly stat: string;
  /**
   * Return only the points above zero (metric math `IF(m > 0, m)`, which omits the others): for
   * sparse signals such as UserConnected this cuts the datapoints — and so the NextToken pages — to
   * the connected samples. Costs two query slots instead of one.
   */
  readonly positiveOnly?: boolean;
}

/** The time range and period every query of one read shares. */
export interface MetricWindow {
  readonly start: Date;
  readonly end: Date;
  /** Seconds. */
  readonly period: number;
}

/** A series: bucket start times (epoch ms, ascending) and their values, as typed arrays (8 bytes a point). */
export interface Series {
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
}

/** The answer to one read: series in query order (null where the request failed), errors and the cost. */
export interface MetricResults {
  readonly series: (Series | null)[];
  readonly errors: AwsErrorInfo[];
  /** GetMetricData requests made (pages included). */
  readonly requests: number;
}

/**
 * The shortest period CloudWatch still serves for data starting at `start`: 1 minute for the last
 * 15 days, 5 minutes for the last 63 days, 1 hour up to 455 days.
 */
export function minimumPeriod(start: Date, now: number = Date.now()): number {
  const age = now - start.getTime();
  if (age <= 15 * DAY) return 60;
  if (age <= 63 * DAY) return 300;
  return 3600;
}

/**
 * A window ending now (rounded up to the period) and reaching `lookbackMs` back, with `wantedPeriod`
 * raised to what retention allows and rounded to a multiple of it; start is aligned to the period so
 * buckets fall on whole periods.
 */
export function metricWindow(lookbackMs: number, wantedPeriod: number, now: number = Date.now()): MetricWindow {
  const rawStart = new Date(now - lookbackMs);
  const floor = minimumPeriod(rawStart, now);
  const period = Math.max(floor, Math.ceil(wantedPeriod / floor) * floor);
  const ms = period * 1000;
  const end = Math.ceil(now / ms) * ms;
  const start = Math.floor(rawStart.getTime() / ms) * ms;
  return { start: new Date(start), end: new Date(end), period };
}

/** Reads every query over the window in as few GetMetricData requests as the limits allow. */
export async function getMetricSeries(
  aws: Aws,
  region: string,
  queries: readonly MetricQuery[],
  window: MetricWindow,
  opts: { signal?: AbortSignal; concurrency?: number; onBatch?: (done: number, total: number) => void } = {},
): Promise<MetricResults> {
  const batches = pack(queries);
  // Each page's points are copied into typed arrays at once, so the SDK's Date and number arrays of a page
  // can be collected while the next page is read; the chunks are joined when the read ends.
  const parts: ({ t: Float64Array; v: Float64Array }[] | null)[] = queries.map(() => []);
  const errors: AwsErrorInfo[] = [];
  let requests = 0;
  let done = 0;
  await mapLimit(batches, opts.concurrency ?? DEFAULT_CONCURRENCY, async (batch) => {
    const wire = batch.flatMap((i) => toWire(queries[i], i, window.period));
    const byId = new Map(batch.map((i) => [`q${i}`, i]));
    const seen = new Set<string>();
    let token: string | undefined;
    try {
      for (let page = 0; page < MAX_PAGES_PER_BATCH; page++) {
        requests++;
        const out = await aws.call("cloudwatch", "GetMetricData", {
          MetricDataQueries: wire,
          StartTime: window.start,
          EndTime: window.end,
          ScanBy: "TimestampAscending",
          NextToken: token,
        }, { region, signal: opts.signal });
        const taken = (out as WithMetricPoints)[METRIC_POINTS];
        for (const r of out.MetricDataResults ?? []) {
          const i = byId.get(r.Id ?? "");
          if (i === undefined) continue;
          const read = taken?.get(r.Id ?? "");
          if (read) {
            if (read.t.length) parts[i]!.push(read);
            continue;
          }
          const ts = r.Timestamps ?? [];
          const vs = r.Values ?? [];
          const n = Math.min(ts.length, vs.length);
          if (n === 0) continue;
          const t = new Float64Array(n);
          const v = new Float64Array(n);
          for (let k = 0; k < n; k++) {
            t[k] = ts[k].getTime();
            v[k] = vs[k];
          }
          parts[i]!.push({ t, v });
        }
        // The page's SDK objects are no longer referenced from here.
        out.MetricDataResults = undefined;
        token = out.NextToken;
        if (!token || seen.has(token)) break;
        seen.add(token);
      }
    } catch (e) {
      if ((e as Error)?.name === "AbortError") throw e;
      errors.push(
        e instanceof AwsCallError
          ? e.info
          : classifyError(e, { service: "cloudwatch", operation: "GetMetricData", region }),
      );
      for (const i of batch) parts[i] = null;
    }
    done++;
    opts.onBatch?.(done, batches.length);
  });
  const series = parts.map((p) => (p ? sortSeries(join(p)) : null));
  return { series, errors, requests };
}

/** One series from its pages' chunks. */
function join(chunks: { t: Float64Array; v: Float64Array }[]): Series {
  if (chunks.length === 1) return { timestamps: chunks[0].t, values: chunks[0].v };
  let n = 0;
  for (const c of chunks) n += c.t.length;
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  let at = 0;
  for (const c of chunks) {
    timestamps.set(c.t, at);
    values.set(c.v, at);
    at += c.t.length;
  }
  return { timestamps, values };
}

/** Query indexes grouped so each group fits MAX_QUERIES_PER_REQUEST slots (a positiveOnly query takes two). */
function pack(queries: readonly MetricQuery[]): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let slots = 0;
  queries.forEach((q, i) => {
    const need = q.positiveOnly ? 2 : 1;
    if (slots + need > MAX_QUERIES_PER_REQUEST) {
      batches.push(current);
      current = [];
      slots = 0;
    }
    current.push(i);
    slots += need;
  });
  if (current.length) batches.push(current);
  return batches;
}

function toWire(q: MetricQuery, i: number, period: number) {
  const stat = {
    Metric: {
      Namespace: q.namespace,
      MetricName: q.metric,
      Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({ Name, Value })),
    },
    Period: period,
    Stat: q.stat,
  };
  if (!q.positiveOnly) return [{ Id: `q${i}`, MetricStat: stat, ReturnData: true }];
  return [
    { Id: `r${i}`, MetricStat: stat, ReturnData: false },
    { Id: `q${i}`, Expression: `IF(r${i} > 0, r${i})`, ReturnData: true },
  ];
}

/** The series in ascending time order (as it is, when it already is). */
function sortSeries(s: Series): Series {
  for (let k = 1; k < s.timestamps.length; k++) {
    if (s.timestamps[k] < s.timestamps[k - 1]) {
      const order = Array.from(s.timestamps, (t, j) => [t, s.values[j]] as const).sort((a, b) => a[0] - b[0]);
      return { timestamps: Float64Array.from(order, (o) => o[0]), values: Float64Array.from(order, (o) => o[1]) };
    }
  }
  return s;
}

/** latest / average / peak / minimum / sum / count of a series; nulls when it has no points. */
export function summarize(s: Series | null): {
  latest: number | null;
  average: number | null;
  peak: number | null;
  minimum: number | null;
  sum: number | null;
  count: number;
} {
  if (!s || s.values.length === 0) {
    return { latest: null, average: null, peak: null, minimum: null, sum: null, count: 0 };
  }
  let sum = 0;
  let peak = -Infinity;
  let minimum = Infinity;
  for (const v of s.values) {
    sum += v;
    if (v > peak) peak = v;
    if (v < minimum) minimum = v;
  }
  return {
    latest: s.values[s.values.length - 1],
    average: round(sum / s.values.length),
    peak: round(peak),
    minimum: round(minimum),
    sum: round(sum),
    count: s.values.length,
  };
}

/** The p-th percentile (nearest rank) of the values; null when there are none. */
export function percentile(values: ArrayLike<number>, p: number): number | null {
  if (values.length === 0) return null;
  const sorted = Array.from(values).sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
