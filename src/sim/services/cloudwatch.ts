/**
 * Amazon CloudWatch (awsJson1_0, query-compatible, `GraniteServiceVersion20100801.<Op>`).
 *
 * GetMetricData follows the documented limits: at most 500 queries per request, at most 100,800
 * datapoints per response (the rest behind NextToken, queries cut there report PartialData), periods
 * that are multiples of 60 s, and retention (a 1-minute period returns nothing older than 15 days, 5
 * minutes nothing older than 63 days). Metric math is limited to what the tools send: a query id, or
 * `IF(<id> > 0, <id>)` (a point where the condition is false is omitted).
 */
import type { GetMetricDataOutput, MetricDataResult } from "@aws-sdk/client-cloudwatch";
import type { DescribeAlarmsOutput } from "@aws-sdk/client-cloudwatch";
import { aggregate, type Aggregated } from "../data/aggregate.ts";
import { samplerFor } from "../data/metrics.ts";
import { compact, type OpContext, type OperationTable, SimError } from "./common.ts";
import { optInt, optString, optStringList, paginate } from "./common.ts";
import { listMetricsOperation } from "./cloudwatch_list_metrics.ts";

const MAX_QUERIES = 500;
const MAX_POINTS = 100_800;
const INVALID = "InvalidParameterValue";
const ID = /^[a-z][a-zA-Z0-9_]*$/;
const POSITIVE_ONLY = /^\s*IF\s*\(\s*([a-z][a-zA-Z0-9_]*)\s*>\s*0\s*,\s*([a-z][a-zA-Z0-9_]*)\s*\)\s*$/;

interface Query {
  Id?: string;
  MetricStat?: {
    Metric?: { Namespace?: string; MetricName?: string; Dimensions?: { Name?: string; Value?: string }[] };
    Period?: number;
    Stat?: string;
  };
  Expression?: string;
  Period?: number;
  ReturnData?: boolean;
  Label?: string;
}

function epochMs(v: unknown, name: string): number {
  if (typeof v === "number") return v * 1000;
  if (typeof v === "string" && !Number.isNaN(Date.parse(v))) return Date.parse(v);
  throw new SimError(INVALID, `The parameter ${name} must be a timestamp.`);
}

/**
 * MetricStat queries computed between two yields to the event loop. AWS answers requests side by
 * side; a simulator that computes a 500-query answer in one go (~25 ms at scale) holds every other
 * answer due meanwhile, and the listing chains of the server under test wait for it.
 */
const QUERIES_PER_SLICE = 100;
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function getMetricData(ctx: OpContext): Promise<GetMetricDataOutput> {
  const { input, region } = ctx;
  const queries = input.MetricDataQueries as Query[] | undefined;
  if (!Array.isArray(queries) || queries.length === 0) {
    throw new SimError("MissingParameter", "The parameter MetricDataQueries is required.");
  }
  if (queries.length > MAX_QUERIES) {
    throw new SimError(INVALID, `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  }
  const start = epochMs(input.StartTime, "StartTime");
  const end = epochMs(input.EndTime, "EndTime");
  if (start >= end) throw new SimError(INVALID, "The parameter StartTime must be less than the parameter EndTime.");
  const now = Date.now();
  const series = new Map<string, Aggregated>();
  const ids = new Set<string>();
  for (const q of queries) {
    if (!q.Id || !ID.test(q.Id)) throw new SimError(INVALID, `Invalid metric data query Id: ${q.Id}`);
    if (ids.has(q.Id)) throw new SimError(INVALID, `Duplicate metric data query Id: ${q.Id}`);
    ids.add(q.Id);
    if (!q.MetricStat === !q.Expression) {
      throw new SimError(INVALID, `Query ${q.Id} must have exactly one of MetricStat and Expression.`);
    }
  }
  let computed = 0;
  for (const q of queries) {
    if (!q.MetricStat) continue;
    if (++computed % QUERIES_PER_SLICE === 0) await nextTask();
    const m = q.MetricStat;
    const period = m.Period ?? 0;
    if (!Number.isInteger(period) || period < 60 || period % 60 !== 0) {
      throw new SimError(INVALID, `The Period of query ${q.Id} must be a multiple of 60.`);
    }
    const dims: Record<string, string> = {};
    for (const d of m.Metric?.Dimensions ?? []) dims[d.Name ?? ""] = d.Value ?? "";
    const sampler = samplerFor(region, m.Metric?.Namespace ?? "", m.Metric?.MetricName ?? "", dims, now);
    series.set(
      q.Id!,
      sampler ? aggregate(sampler, start, end, period, m.Stat ?? "Average", now) : { timestamps: [], values: [] },
    );
  }
  for (const q of queries) {
    if (!q.Expression) continue;
    const expr = q.Expression;
    const plain = series.get(expr.trim());
    const positive = POSITIVE_ONLY.exec(expr);
    let out: Aggregated;
    if (plain) out = plain;
    else if (positive && positive[1] === positive[2] && series.has(positive[1])) {
      const src = series.get(positive[1])!;
      out = { timestamps: [], values: [] };
      src.values.forEach((v, i) => {
        if (v > 0) {
          out.timestamps.push(src.timestamps[i]);
          out.values.push(v);
        }
      });
    } else {
      throw new SimError("ValidationError", `The simulator does not evaluate the expression "${expr}".`);
    }
    series.set(q.Id!, out);
  }
  // Every returned point in query order; a page is the next MAX_POINTS of them.
  const returned = queries.filter((q) => q.ReturnData !== false);
  let offset = 0;
  const token = input.NextToken;
  if (token !== undefined && token !== null) {
    try {
      const parsed = JSON.parse(atob(String(token))) as { op?: string; offset?: number };
      if (parsed.op !== "GetMetricData" || !Number.isInteger(parsed.offset)) throw new Error("foreign token");
      offset = parsed.offset!;
    } catch {
      throw new SimError("InvalidNextToken", "The service found that the NextToken is invalid.");
    }
  }
  const pageEnd = offset + MAX_POINTS;
  const results: MetricDataResult[] = [];
  let position = 0;
  let total = 0;
  for (const q of returned) {
    const s = series.get(q.Id!)!;
    const from = position;
    const to = position + s.values.length;
    total = to;
    position = to;
    const lo = Math.max(from, offset);
    const hi = Math.min(to, pageEnd);
    const empty = s.values.length === 0;
    if (hi <= lo && !(empty && offset === 0)) continue;
    results.push({
      Id: q.Id,
      Label: q.Label ?? q.MetricStat?.Metric?.MetricName ?? q.Id,
      // Epoch seconds, which is what awsJson carries for a timestamp: no Date per point to convert back.
      Timestamps: empty ? [] : s.timestamps.slice(lo - from, hi - from).map((t) => t / 1000) as unknown as Date[],
      Values: empty ? [] : s.values.slice(lo - from, hi - from),
      StatusCode: to > pageEnd ? "PartialData" : "Complete",
    });
  }
  return compact({
    MetricDataResults: results,
    NextToken: total > pageEnd ? btoa(JSON.stringify({ op: "GetMetricData", offset: pageEnd })) : undefined,
    Messages: [],
  });
}

// ---------------------------------------------------------------- DescribeAlarms (diagnostics)

const ALARM_TYPES = new Set(["MetricAlarm", "CompositeAlarm"]);
const STATES = new Set(["OK", "ALARM", "INSUFFICIENT_DATA"]);

/**
 * DescribeAlarms: filters by names or name prefix, state, action prefix and alarm types; without
 * AlarmTypes AWS returns only metric alarms, even when composite alarms exist. MaxRecords 1–100
 * (default 50) counts the alarms of both kinds on a page.
 */
function describeAlarms(ctx: OpContext): DescribeAlarmsOutput {
  const { input, region } = ctx;
  const names = optStringList(input, "AlarmNames", 100, INVALID);
  const prefix = optString(input, "AlarmNamePrefix", INVALID);
  if (names && prefix !== undefined) {
    throw new SimError(INVALID, "AlarmNames and AlarmNamePrefix cannot be specified together.");
  }
  const types = optStringList(input, "AlarmTypes", 2, INVALID) ?? ["MetricAlarm"];
  if (types.some((t) => !ALARM_TYPES.has(t))) throw new SimError(INVALID, `Invalid AlarmTypes: ${types.join(", ")}`);
  const state = optString(input, "StateValue", INVALID);
  if (state !== undefined && !STATES.has(state)) throw new SimError(INVALID, `Invalid StateValue: ${state}`);
  const actionPrefix = optString(input, "ActionPrefix", INVALID);
  const size = optInt(input, "MaxRecords", 1, 100, INVALID) ?? 50;
  type Entry = { kind: "metric" | "composite"; name: string; state?: string; actions?: string[]; alarm: unknown };
  const all: Entry[] = [];
  if (types.includes("MetricAlarm")) {
    for (const a of region.metricAlarms.values()) {
      all.push({ kind: "metric", name: a.AlarmName!, state: a.StateValue, actions: a.AlarmActions, alarm: a });
    }
  }
  if (types.includes("CompositeAlarm")) {
    for (const a of region.compositeAlarms.values()) {
      all.push({ kind: "composite", name: a.AlarmName!, state: a.StateValue, actions: a.AlarmActions, alarm: a });
    }
  }
  const wanted = names ? new Set(names) : undefined;
  const items = all
    .filter((e) => !wanted || wanted.has(e.name))
    .filter((e) => prefix === undefined || e.name.startsWith(prefix))
    .filter((e) => state === undefined || e.state === state)
    .filter((e) => actionPrefix === undefined || (e.actions ?? []).some((a) => a.startsWith(actionPrefix)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const page = paginate(items, {
    operation: "DescribeAlarms",
    token: optString(input, "NextToken"),
    size,
    invalidTokenCode: "InvalidNextToken",
  });
  return compact({
    MetricAlarms: types.includes("MetricAlarm")
      ? page.items.filter((e) => e.kind === "metric").map((e) =>
        e.alarm as NonNullable<DescribeAlarmsOutput["MetricAlarms"]>[number]
      )
      : undefined,
    CompositeAlarms: types.includes("CompositeAlarm")
      ? page.items.filter((e) => e.kind === "composite").map((e) =>
        e.alarm as NonNullable<DescribeAlarmsOutput["CompositeAlarms"]>[number]
      )
      : undefined,
    NextToken: page.nextToken,
  });
}

/** CloudWatch operations by name. */
export const operations: OperationTable = {
  DescribeAlarms: describeAlarms,
  GetMetricData: getMetricData,
  ...listMetricsOperation,
};
