/**
 * The simulated CloudWatch's aggregation: a sampler's 5-minute samples into GetMetricData buckets
 * with a statistic and CloudWatch's retention, with fast paths for tabulated days (src/sim/data/metrics.ts).
 */
import { DAY } from "../seed.ts";
import type { Sampler } from "../types.ts";
import { SAMPLE_MS } from "./metrics.ts";

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
