/**
 * AWS Cost Explorer (awsJson1_1, `AWSInsightsIndexService.<Op>`; one global endpoint in us-east-1):
 * GetCostAndUsage (DAILY/MONTHLY, cost metrics, GroupBy up to two of SERVICE/USAGE_TYPE, Filter
 * expressions, NextPageToken) and GetCostForecast, answered from the estate's cost lines.
 *
 * Pages are small (PAGE_ROWS group rows) so clients must follow NextPageToken; a period whose
 * groups span two pages appears in both, as Cost Explorer does.
 */
import type { GetCostAndUsageResponse, GetCostForecastResponse, ResultByTime } from "@aws-sdk/client-cost-explorer";
import { addDays, amountOn, type CostLine, costLines, HISTORY_DAYS, todayUtc } from "../data/costs.ts";
import { compact, type OpContext, type OperationTable, optString, paginate, SimError } from "./common.ts";

/** Group rows per GetCostAndUsage page. */
export const PAGE_ROWS = 40;

const COST_METRICS = ["UnblendedCost", "BlendedCost", "AmortizedCost", "NetUnblendedCost", "NetAmortizedCost"];
const FORECAST_METRICS = [
  "UNBLENDED_COST",
  "BLENDED_COST",
  "AMORTIZED_COST",
  "NET_UNBLENDED_COST",
  "NET_AMORTIZED_COST",
];
const DIMENSIONS: Readonly<Record<string, (l: CostLine) => string>> = {
  SERVICE: (l) => l.service,
  USAGE_TYPE: (l) => l.usageType,
};
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

function invalid(message: string): SimError {
  return new SimError("ValidationException", message);
}

function timePeriod(input: Record<string, unknown>): { start: string; end: string } {
  const tp = input.TimePeriod as { Start?: unknown; End?: unknown } | undefined;
  const start = tp?.Start;
  const end = tp?.End;
  if (typeof start !== "string" || typeof end !== "string") throw invalid("TimePeriod Start and End are required.");
  for (const d of [start, end]) {
    if (!DAY_RE.test(d) || isNaN(Date.parse(`${d}T00:00:00Z`))) {
      throw invalid(`Invalid date format: ${d}. Expected yyyy-MM-dd.`);
    }
  }
  if (start >= end) throw invalid("Start date (and hour) should be before end date (and hour)");
  return { start, end };
}

function granularity(input: Record<string, unknown>): "DAILY" | "MONTHLY" {
  const g = input.Granularity;
  if (g === "DAILY" || g === "MONTHLY") return g;
  if (g === "HOURLY") {
    throw invalid("Hourly granularity is only available with hourly data enabled for the last 14 days.");
  }
  throw invalid("Granularity is required and must be one of DAILY, MONTHLY, HOURLY.");
}

type Expr = {
  And?: Expr[];
  Or?: Expr[];
  Not?: Expr;
  Dimensions?: { Key?: string; Values?: string[]; MatchOptions?: string[] };
  Tags?: unknown;
  CostCategories?: unknown;
};

/** Evaluates a Cost Explorer filter Expression on a cost line. */
function matches(e: Expr | undefined, line: CostLine): boolean {
  if (!e) return true;
  const parts = [e.And, e.Or, e.Not, e.Dimensions, e.Tags, e.CostCategories].filter((p) => p !== undefined);
  if (parts.length !== 1) throw invalid("Expression must have exactly one of And, Or, Not, Dimensions, Tags.");
  if (e.And) return e.And.every((x) => matches(x, line));
  if (e.Or) return e.Or.some((x) => matches(x, line));
  if (e.Not) return !matches(e.Not, line);
  if (e.Tags || e.CostCategories) return false; // no tagged spend in the simulator
  const d = e.Dimensions!;
  const get = DIMENSIONS[d.Key ?? ""];
  if (!get) throw invalid(`Dimension ${d.Key} is not supported by the simulator (use SERVICE or USAGE_TYPE).`);
  const value = get(line);
  const opts = d.MatchOptions ?? ["EQUALS"];
  const ci = opts.includes("CASE_INSENSITIVE");
  const norm = (s: string) => (ci ? s.toLowerCase() : s);
  return (d.Values ?? []).some((v) => {
    if (opts.includes("CONTAINS")) return norm(value).includes(norm(v));
    if (opts.includes("STARTS_WITH")) return norm(value).startsWith(norm(v));
    if (opts.includes("ENDS_WITH")) return norm(value).endsWith(norm(v));
    return norm(value) === norm(v);
  });
}

/** The periods of [start, end): days, or calendar months clipped to the window. */
function periods(start: string, end: string, g: "DAILY" | "MONTHLY"): { start: string; end: string }[] {
  const out: { start: string; end: string }[] = [];
  let cur = start;
  while (cur < end) {
    let next: string;
    if (g === "DAILY") next = addDays(cur, 1);
    else {
      const d = new Date(`${cur}T00:00:00Z`);
      next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
    }
    if (next > end) next = end;
    out.push({ start: cur, end: next });
    cur = next;
  }
  return out;
}

function sumOver(lines: CostLine[], start: string, end: string, first: string, today: string): number {
  let total = 0;
  for (let day = start < first ? first : start; day < end && day <= today; day = addDays(day, 1)) {
    for (const l of lines) total += amountOn(l, day);
  }
  return total;
}

function amount(n: number): string {
  return (Math.round(n * 1e8) / 1e8).toString();
}

function getCostAndUsage(ctx: OpContext): GetCostAndUsageResponse {
  const { input, estate } = ctx;
  const { start, end } = timePeriod(input);
  const g = granularity(input);
  const metrics = input.Metrics;
  if (!Array.isArray(metrics) || metrics.length === 0) throw invalid("Metrics is required.");
  for (const m of metrics) {
    if (!COST_METRICS.includes(m as string) && m !== "UsageQuantity") {
      throw invalid(`Metric ${m} is not valid. Valid metrics: ${COST_METRICS.join(", ")}, UsageQuantity.`);
    }
  }
  const groupBy = (input.GroupBy ?? []) as { Type?: string; Key?: string }[];
  if (!Array.isArray(groupBy) || groupBy.length > 2) throw invalid("GroupBy accepts at most 2 group definitions.");
  for (const gd of groupBy) {
    if (gd.Type !== "DIMENSION" || !DIMENSIONS[gd.Key ?? ""]) {
      throw invalid(`Group definition ${gd.Type}/${gd.Key} is not supported by the simulator.`);
    }
  }
  const today = todayUtc();
  const first = addDays(today, -HISTORY_DAYS);
  if (start < addDays(today, -14 * 31)) throw invalid("start date is too old: Cost Explorer keeps 14 months.");
  const filter = input.Filter as Expr | undefined;
  const lines = costLines(estate).filter((l) => matches(filter, l));
  const unit = (m: string) => (m === "UsageQuantity" ? "N/A" : "USD");
  const metricValues = (n: number) =>
    Object.fromEntries(
      (metrics as string[]).map((m) => [m, { Amount: amount(m === "UsageQuantity" ? 0 : n), Unit: unit(m) }]),
    );

  const current = today.slice(0, 7);
  const rows: { p: number; keys?: string[]; value: number }[] = [];
  const spans = periods(start, end, g);
  spans.forEach((span, p) => {
    if (groupBy.length === 0) {
      rows.push({ p, value: sumOver(lines, span.start, span.end, first, today) });
      return;
    }
    const byKey = new Map<string, { keys: string[]; value: number }>();
    for (const l of lines) {
      const v = sumOver([l], span.start, span.end, first, today);
      if (v === 0) continue;
      const keys = groupBy.map((gd) => DIMENSIONS[gd.Key!](l));
      const k = keys.join("\u0000");
      const e = byKey.get(k) ?? { keys, value: 0 };
      e.value += v;
      byKey.set(k, e);
    }
    const groups = [...byKey.values()].sort((a, b) => a.keys.join().localeCompare(b.keys.join()));
    if (groups.length === 0) rows.push({ p, value: 0 });
    for (const e of groups) rows.push({ p, keys: e.keys, value: e.value });
  });
  const page = paginate(rows, {
    operation: "GetCostAndUsage",
    token: optString(input, "NextPageToken"),
    size: PAGE_ROWS,
    invalidTokenCode: "InvalidNextTokenException",
  });
  const results: ResultByTime[] = [];
  for (const row of page.items) {
    const span = spans[row.p];
    let r = results.at(-1);
    if (!r || r.TimePeriod?.Start !== span.start) {
      r = {
        TimePeriod: { Start: span.start, End: span.end },
        Total: groupBy.length === 0 ? metricValues(row.value) : {},
        Groups: [],
        Estimated: span.start.slice(0, 7) === current,
      };
      results.push(r);
    }
    if (row.keys) r.Groups!.push({ Keys: row.keys, Metrics: metricValues(row.value) });
  }
  return compact({
    GroupDefinitions: groupBy.length ? groupBy.map((gd) => ({ Type: "DIMENSION" as const, Key: gd.Key })) : undefined,
    ResultsByTime: results,
    DimensionValueAttributes: [],
    NextPageToken: page.nextToken,
  });
}

function getCostForecast(ctx: OpContext): GetCostForecastResponse {
  const { input, estate } = ctx;
  const { start, end } = timePeriod(input);
  const g = granularity(input);
  const metric = input.Metric;
  if (typeof metric !== "string" || !FORECAST_METRICS.includes(metric)) {
    throw invalid(`Metric must be one of ${FORECAST_METRICS.join(", ")}.`);
  }
  const today = todayUtc();
  if (start < today) throw invalid("Start date must be equal to or later than the current date.");
  if (g === "DAILY" && end > addDays(today, 93)) throw invalid("Daily forecasts are limited to 3 months.");
  if (end > addDays(today, 366)) throw invalid("Forecasts are limited to 12 months.");
  const level = input.PredictionIntervalLevel;
  if (level !== undefined && (typeof level !== "number" || level < 51 || level > 99)) {
    throw invalid("PredictionIntervalLevel must be between 51 and 99.");
  }
  const lines = costLines(estate).filter((l) => matches(input.Filter as Expr | undefined, l));
  const first = addDays(today, -HISTORY_DAYS);
  const avg = (days: number) => sumOver(lines, addDays(today, -days), today, first, today) / days;
  const recent = avg(7);
  const trailing = avg(30);
  if (recent === 0 && trailing === 0) {
    throw new SimError("DataUnavailableException", "Insufficient amount of historical data to generate forecast.");
  }
  // Recent days weigh more, as Cost Explorer's model does: a spike in the last week inflates the forecast.
  const daily = 0.5 * recent + 0.5 * trailing;
  const spread = 0.1 + ((typeof level === "number" ? level : 80) - 80) / 200;
  let total = 0;
  const results = periods(start, end, g).map((span) => {
    const days = Math.round((Date.parse(span.end) - Date.parse(span.start)) / 86_400_000);
    const mean = daily * days;
    total += mean;
    return {
      TimePeriod: { Start: span.start, End: span.end },
      MeanValue: amount(mean),
      PredictionIntervalLowerBound: amount(mean * (1 - spread)),
      PredictionIntervalUpperBound: amount(mean * (1 + spread)),
    };
  });
  return { Total: { Amount: amount(total), Unit: "USD" }, ForecastResultsByTime: results };
}

/** Operations by name. */
export const operations: OperationTable = {
  GetCostAndUsage: getCostAndUsage,
  GetCostForecast: getCostForecast,
};
