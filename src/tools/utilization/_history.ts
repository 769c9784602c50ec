/**
 * Metric summaries and histories of the performance and usage-history tools: latest / average /
 * peak of a series, one point per period, and one batched GetMetricData read per target.
 */
import { z } from "zod";
import { getMetricSeries, type MetricQuery, metricWindow, type Series } from "../../aws/metrics.ts";
import type { Collection } from "../_lib/collection.ts";
import { DAY, round } from "../_lib/format.ts";
import { Errors, Notes } from "../_lib/schemas.ts";
import type { ToolContext } from "../registry.ts";

/** Points kept per history series (the most recent ones); totals still cover the whole window. */
const MAX_SERIES_POINTS = 168;

/** The largest value (-Infinity for none). */
export function maxOf(values: ArrayLike<number> & Iterable<number>): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}

/** latest / average / peak of one metric. */
export const MetricSummary = z.object({
  latest: z.number().nullable().describe("Last Average value"),
  average: z.number().nullable().describe("Mean of the Average values"),
  peak: z.number().nullable().describe("Highest Maximum value"),
  unit: z.string(),
});

const HistoryPoint = z.object({
  timestamp: z.string(),
  average: z.number().nullable(),
  peak: z.number().nullable(),
});

const HistoryMetric = MetricSummary.extend({
  total: z.number().nullable().describe("Sum over the window, for count metrics (null for others)"),
  series: z.array(HistoryPoint).describe(`One point per period (the latest ${MAX_SERIES_POINTS} at most)`),
});
/** One metric's history. */
export type HistoryMetricData = z.infer<typeof HistoryMetric>;

function mean(values: ArrayLike<number> & Iterable<number>): number | null {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length ? round(sum / values.length, 3) : null;
}

/** latest / average / peak of an Average and a Maximum series. */
export function metricSummary(avg: Series | null, max: Series | null, unit: string): z.infer<typeof MetricSummary> {
  const a = avg?.values ?? [];
  const m = max?.values ?? [];
  return {
    latest: a.length ? round(a[a.length - 1], 3) : null,
    average: mean(a),
    peak: m.length ? round(maxOf(m), 3) : null,
    unit,
  };
}

function historyMetric(avg: Series | null, max: Series | null, sum: Series | null, unit: string): HistoryMetricData {
  const byTime = new Map<number, { average: number | null; peak: number | null }>();
  avg?.timestamps.forEach((t, k) => byTime.set(t, { average: round(avg.values[k], 3), peak: null }));
  max?.timestamps.forEach((t, k) => {
    const p = byTime.get(t) ?? { average: null, peak: null };
    p.peak = round(max.values[k], 3);
    byTime.set(t, p);
  });
  const series = [...byTime.entries()].sort((a, b) => a[0] - b[0]).slice(-MAX_SERIES_POINTS)
    .map(([t, p]) => ({ timestamp: new Date(t).toISOString(), ...p }));
  return {
    ...metricSummary(avg, max, unit),
    total: sum ? round(sum.values.reduce((a, b) => a + b, 0), 3) : null,
    series,
  };
}

/** A metric a history reads, with its unit. */
export interface HistorySpec {
  metric: string;
  unit: string;
  /** Also read the Sum (count metrics). */
  sum?: boolean;
}

/** Reads Average and Maximum (and Sum where asked) of each metric in ONE batched read. */
export async function readHistory(
  ctx: ToolContext,
  region: string,
  namespace: string,
  dimensions: Record<string, string>,
  specs: readonly HistorySpec[],
  lookback: number,
  periodHours: number,
  col: Collection,
): Promise<{ metrics: Record<string, HistoryMetricData>; periods: number; failed: boolean }> {
  const queries: MetricQuery[] = [];
  const index: { avg: number; max: number; sum?: number }[] = [];
  for (const s of specs) {
    const q = (stat: string) => queries.push({ namespace, metric: s.metric, dimensions, stat }) - 1;
    index.push({ avg: q("Average"), max: q("Maximum"), sum: s.sum ? q("Sum") : undefined });
  }
  const window = metricWindow(lookback * DAY, periodHours * 3600);
  const r = await getMetricSeries(ctx.aws, region, queries, window, { signal: ctx.signal });
  col.errors.push(...r.errors);
  const metrics: Record<string, HistoryMetricData> = {};
  specs.forEach((s, i) => {
    const at = index[i];
    metrics[s.metric] = historyMetric(
      r.series[at.avg],
      r.series[at.max],
      at.sum === undefined ? null : r.series[at.sum],
      s.unit,
    );
  });
  const periods = Math.round((window.end.getTime() - window.start.getTime()) / (window.period * 1000));
  return { metrics, periods, failed: r.errors.length > 0 };
}

const ActiveSession = z.object({
  session_id: z.string().nullable(),
  user: z.string().nullable(),
  state: z.string().nullable(),
  connection_state: z.string().nullable(),
  start_time: z.string().nullable(),
  stack_name: z.string().nullable().optional(),
});

/** The output fields every history tool shares. */
export const HistoryFields = {
  lookback_days: z.number().int(),
  period_hours: z.number().int(),
  active_session_count: z.number().int().nullable().describe("Live sessions right now (null when unreadable)"),
  active_sessions: z.array(ActiveSession),
  metrics: z.record(z.string(), HistoryMetric),
  summary: z.string(),
  errors: Errors,
  notes: Notes,
};
