/**
 * The cost toolset: Cost Explorer spend, forecast and comparison, and Price List prices.
 *
 * Improvements over the reference: every GetCostAndUsage follows NextPageToken one request per
 * page (Cost Explorer bills $0.01 a request, so calls are few and counted in `ce_requests`, never
 * one per resource); EUC services are matched by keyword so "Amazon AppStream" and "Amazon
 * WorkSpaces Applications" spend both count and Thin Client hardware does not; dates are checked
 * before any request; top_n is bounded; the forecast's run-rate shares the discovery request; prices
 * cover every region and every service, with failures in `errors` instead of silent nulls.
 */
import { z } from "zod";
import type { OpInput, OpOutput } from "../aws/clients.ts";
import type { AwsErrorInfo } from "../aws/errors.ts";
import { pages } from "../aws/paginate.ts";
import {
  APP_FUNCTIONS,
  appOperatingSystem,
  bundleFamily,
  HOURS_PER_MONTH,
  personalOsLicense,
  priceListFor,
} from "../aws/pricing.ts";
import { PRODUCT, SERVICE_IDS, serviceFromAlias, type ServiceId } from "../names.ts";
import { Collection } from "./_lib/collection.ts";
import { READ_ONLY, type ToolContext, type ToolDef, ToolFailure } from "./registry.ts";
import { Errors, Notes, RegionInput, RegionsInput } from "./_lib/schemas.ts";

// ---------------------------------------------------------------- Cost Explorer plumbing

/** Cost Explorer has one endpoint, in us-east-1. */
const CE_REGION = "us-east-1";
/** Recent spend this many times the 30-day average inflates a forecast. */
const INFLATION_RATIO = 1.3;
/** Cost Explorer forecasts DAILY granularity at most three months ahead. */
const MAX_DAILY_FORECAST_DAYS = 90;

type ResultByTime = NonNullable<OpOutput<"ce", "GetCostAndUsage">["ResultsByTime"]>[number];
type CostInput = OpInput<"ce", "GetCostAndUsage">;

/** Counts Cost Explorer requests (pages) so tools can say what an answer cost. */
interface CeMeter {
  requests: number;
}

/** Every page of one GetCostAndUsage query, merged by period (a period may span two pages). */
async function costAndUsage(ctx: ToolContext, meter: CeMeter, input: CostInput): Promise<ResultByTime[]> {
  const merged = new Map<string, ResultByTime>();
  for await (const page of pages(ctx.aws, "ce", "GetCostAndUsage", input, { region: CE_REGION, signal: ctx.signal })) {
    meter.requests++;
    for (const r of page.ResultsByTime ?? []) {
      const key = r.TimePeriod?.Start ?? "";
      const prev = merged.get(key);
      if (!prev) merged.set(key, { ...r, Groups: [...(r.Groups ?? [])] });
      else prev.Groups!.push(...(r.Groups ?? []));
    }
  }
  return [...merged.values()].sort((a, b) => (a.TimePeriod?.Start ?? "").localeCompare(b.TimePeriod?.Start ?? ""));
}

function amountOf(metrics: Record<string, { Amount?: string; Unit?: string }> | undefined): number {
  const n = Number(metrics?.UnblendedCost?.Amount ?? 0);
  return Number.isFinite(n) ? n : 0;
}

function unitOf(results: ResultByTime[]): string {
  for (const r of results) {
    for (const g of r.Groups ?? []) if (g.Metrics?.UnblendedCost?.Unit) return g.Metrics.UnblendedCost.Unit;
    if (r.Total?.UnblendedCost?.Unit) return r.Total.UnblendedCost.Unit;
  }
  return "USD";
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** EUC spend by Cost Explorer's SERVICE name: "workspaces" or "appstream" in it, and not Thin Client hardware. */
export function isEucService(name: string): boolean {
  const n = name.toLowerCase();
  return (n.includes("workspaces") || n.includes("appstream")) && !n.includes("thin client");
}

/** The plain "Amazon WorkSpaces" line (Personal, Pools and Core together). */
function isPlainWorkSpaces(name: string): boolean {
  const n = name.toLowerCase();
  return n.includes("workspaces") && !/applications|secure browser|web|thin client|appstream/.test(n);
}

/** The current product name of a Cost Explorer service label. */
function productOf(label: string): string {
  const n = label.toLowerCase();
  if (n.includes("appstream") || n.includes("applications")) return PRODUCT.applications;
  if (n.includes("secure browser") || n.includes("workspaces web")) return PRODUCT["secure-browser"];
  return "Amazon WorkSpaces";
}

/** Personal, Pools or Core for a WorkSpaces usage type (Cost Explorer cannot split them by SERVICE). */
export function usageCategory(usageType: string): string {
  const u = usageType.toLowerCase();
  if (u.includes("pools")) return PRODUCT.pools;
  if (u.includes("managedinstances")) return PRODUCT.core;
  return PRODUCT.personal;
}

function ceNote(meter: CeMeter): string {
  return `Cost Explorer requests made: ${meter.requests} (billed at about $0.01 each; every page is one request).`;
}

// ---------------------------------------------------------------- dates

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const DateString = z.string().regex(DAY_RE, "must be a date YYYY-MM-DD");

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function daysBetween(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
}

function checkDay(name: string, value: string): void {
  const d = new Date(`${value}T00:00:00Z`);
  if (!DAY_RE.test(value) || isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new ToolFailure(
      "InvalidInput",
      `${name} ${value} is not a calendar date.`,
      "Use YYYY-MM-DD, e.g. 2025-01-31.",
    );
  }
}

/** Checks a [start, end) window before any request: real dates, start < end, nothing after today. */
function checkWindow(names: [string, string], start: string, end: string): void {
  checkDay(names[0], start);
  checkDay(names[1], end);
  const today = todayUtc();
  if (start >= end) {
    throw new ToolFailure(
      "InvalidInput",
      `${names[0]} ${start} must be before ${names[1]} ${end}.`,
      `${names[1]} is exclusive: for all of January use ${names[0]}=2025-01-01 and ${names[1]}=2025-02-01.`,
    );
  }
  if (start > today) {
    throw new ToolFailure(
      "InvalidInput",
      `${names[0]} ${start} is in the future; Cost Explorer only has spend up to today (${today}).`,
      "Use get_euc_cost_forecast for future spend.",
    );
  }
  if (end > addDays(today, 1)) {
    throw new ToolFailure(
      "InvalidInput",
      `${names[1]} ${end} is after tomorrow; Cost Explorer only has spend up to today (${today}).`,
      `Use ${names[1]}=${addDays(today, 1)} at most (it is exclusive), or get_euc_cost_forecast for future spend.`,
    );
  }
}

// ---------------------------------------------------------------- get_euc_cost_summary

const Granularity = z.enum(["MONTHLY", "DAILY"]);

const SummaryInput = z.object({
  lookback_days: z.number().int().min(1).max(365).default(30).describe(
    "Days back from today (UTC) when no dates are given; the window ends today (exclusive)",
  ),
  granularity: Granularity.default("MONTHLY").describe("MONTHLY or DAILY periods in by_period"),
  start_date: DateString.optional().describe("First day, YYYY-MM-DD (inclusive); overrides lookback_days"),
  end_date: DateString.optional().describe("Day after the last one, YYYY-MM-DD (exclusive); default today"),
  split_workspaces: z.boolean().default(true).describe(
    "Split the Amazon WorkSpaces line into Personal, Pools and Core by usage type (one more request)",
  ),
});

const ServiceAmount = z.object({
  service: z.string().describe("Current product name (Personal, Pools and Core share 'Amazon WorkSpaces')"),
  amount: z.number(),
  ce_services: z.array(z.string()).describe("Cost Explorer SERVICE labels summed here (e.g. Amazon AppStream)"),
});

const SummaryOutput = z.object({
  scope: z.literal("account-wide"),
  start: z.string(),
  end: z.string().describe("Exclusive"),
  granularity: Granularity,
  currency: z.string(),
  total: z.number().describe("All EUC spend in the window"),
  by_service: z.array(ServiceAmount).describe("Sorted by amount, largest first"),
  workspaces_breakdown: z.record(z.string(), z.number()).describe(
    "The Amazon WorkSpaces line split into Personal, Pools and Core Managed Instances by usage type (zero buckets dropped)",
  ),
  by_period: z.array(z.object({
    start: z.string(),
    end: z.string(),
    total: z.number(),
    by_service: z.record(z.string(), z.number()),
    estimated: z.boolean().describe("Cost Explorer marks the current month as estimated"),
  })),
  excluded: z.array(z.object({ ce_service: z.string(), amount: z.number(), reason: z.string() })).describe(
    "WorkSpaces-named spend left out of the EUC totals (Thin Client devices)",
  ),
  ce_requests: z.number().int().describe("Cost Explorer requests this answer took ($0.01 each)"),
  errors: Errors,
  notes: Notes,
});

function resolveSummaryWindow(args: { lookback_days: number; start_date?: string; end_date?: string }) {
  const today = todayUtc();
  const end = args.end_date ?? today;
  const start = args.start_date ?? addDays(end, -args.lookback_days);
  checkWindow(["start_date", "end_date"], start, end);
  return { start, end };
}

/** EUC spend over a window by service, WorkSpaces split by usage type, and by period. */
export const getEucCostSummary: ToolDef<typeof SummaryInput, typeof SummaryOutput> = {
  name: "get_euc_cost_summary",
  title: "EUC cost summary",
  toolset: "cost",
  tier: 1,
  actions: ["ce:GetCostAndUsage"],
  annotations: READ_ONLY,
  description: "Actual spend (Cost Explorer, account-wide, unblended USD) on WorkSpaces Personal, Pools and Core, " +
    "WorkSpaces Applications (AppStream 2.0) and Secure Browser over a window: total, by service, the Amazon " +
    "WorkSpaces line split into Personal/Pools/Core by usage type, and per MONTHLY or DAILY period. Default window: " +
    "the last 30 days; start_date/end_date (YYYY-MM-DD, end exclusive) override it. AlwaysOn fees post on the 1st, " +
    "so a DAILY series spikes on day 1. Needs IAM tier 1 (ce:GetCostAndUsage).",
  input: SummaryInput,
  output: SummaryOutput,
  async run(ctx, args) {
    const { start, end } = resolveSummaryWindow(args);
    const meter: CeMeter = { requests: 0 };
    const results = await costAndUsage(ctx, meter, {
      TimePeriod: { Start: start, End: end },
      Granularity: args.granularity,
      Metrics: ["UnblendedCost"],
      GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }],
    });
    const currency = unitOf(results);
    const byLabel = new Map<string, number>();
    const by_period = results.map((r) => {
      const bySvc: Record<string, number> = {};
      let total = 0;
      for (const g of r.Groups ?? []) {
        const label = g.Keys?.[0] ?? "";
        const amount = amountOf(g.Metrics);
        byLabel.set(label, (byLabel.get(label) ?? 0) + amount);
        if (!isEucService(label)) continue;
        const name = productOf(label);
        bySvc[name] = round2((bySvc[name] ?? 0) + amount);
        total += amount;
      }
      return {
        start: r.TimePeriod?.Start ?? "",
        end: r.TimePeriod?.End ?? "",
        total: round2(total),
        by_service: bySvc,
        estimated: r.Estimated === true,
      };
    });
    const grouped = new Map<string, { amount: number; labels: string[] }>();
    const excluded: z.infer<typeof SummaryOutput>["excluded"] = [];
    for (const [label, amount] of byLabel) {
      if (isEucService(label)) {
        const g = grouped.get(productOf(label)) ?? { amount: 0, labels: [] };
        g.amount += amount;
        g.labels.push(label);
        grouped.set(productOf(label), g);
      } else if (label.toLowerCase().includes("workspaces") && amount !== 0) {
        excluded.push({
          ce_service: label,
          amount: round2(amount),
          reason: "Thin Client devices are hardware, not EUC compute; left out of the totals",
        });
      }
    }
    const by_service = [...grouped.entries()]
      .map(([service, g]) => ({ service, amount: round2(g.amount), ce_services: g.labels.sort() }))
      .sort((a, b) => b.amount - a.amount);
    const total = round2([...grouped.values()].reduce((n, g) => n + g.amount, 0));

    const errors: AwsErrorInfo[] = [];
    const notes: string[] = [];
    let workspaces_breakdown: Record<string, number> = {};
    const plain = [...byLabel.entries()].filter(([l, a]) => isPlainWorkSpaces(l) && a !== 0).map(([l]) => l);
    if (args.split_workspaces && plain.length > 0) {
      const col = new Collection();
      const split = await col.attempt(
        { service: "ce", operation: "GetCostAndUsage", region: CE_REGION },
        () =>
          costAndUsage(ctx, meter, {
            TimePeriod: { Start: start, End: end },
            Granularity: "MONTHLY", // totals only: the fewest rows, so the fewest pages
            Metrics: ["UnblendedCost"],
            Filter: { Dimensions: { Key: "SERVICE", Values: plain } },
            GroupBy: [{ Type: "DIMENSION", Key: "USAGE_TYPE" }],
          }),
      );
      errors.push(...col.errors);
      if (split) workspaces_breakdown = splitWorkSpaces(split);
      else notes.push("The Personal/Pools/Core split failed (see errors); the totals are still complete.");
    }

    if (args.granularity === "DAILY") {
      notes.push(
        "AlwaysOn desktops, AutoStop base fees and user fees post monthly on the 1st, so a DAILY series spikes on day 1.",
      );
    }
    if (by_period.some((p) => p.estimated)) {
      notes.push("The current month is estimated by Cost Explorer and data lags up to 24 hours.");
    }
    if (by_service.length === 0) notes.push("No EUC spend in this window.");
    notes.push(
      "Amounts are Cost Explorer UnblendedCost; Cost Explorer may label WorkSpaces " +
        "Applications as Amazon AppStream (both are counted).",
    );
    notes.push(ceNote(meter));
    const top = by_service.slice(0, 3).map((s) => `${s.service} ${currency} ${s.amount.toFixed(2)}`).join(", ");
    return {
      summary: `EUC spend ${start} to ${end} (exclusive): ${currency} ${total.toFixed(2)}${top ? ` (${top})` : ""}; ` +
        `${meter.requests} Cost Explorer request${meter.requests === 1 ? "" : "s"}.`,
      data: {
        scope: "account-wide",
        start,
        end,
        granularity: args.granularity,
        currency,
        total,
        by_service,
        workspaces_breakdown,
        by_period,
        excluded,
        ce_requests: meter.requests,
        errors,
        notes,
      },
    };
  },
};

function splitWorkSpaces(results: ResultByTime[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    for (const g of r.Groups ?? []) {
      const bucket = usageCategory(g.Keys?.[0] ?? "");
      out[bucket] = (out[bucket] ?? 0) + amountOf(g.Metrics);
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, round2(v)]).filter(([, v]) => v !== 0));
}

// ---------------------------------------------------------------- get_euc_cost_forecast

const ForecastInput = z.object({
  days_ahead: z.number().int().min(1).max(365).default(30).describe(
    "Days to forecast, starting tomorrow (DAILY: at most 90, a Cost Explorer limit)",
  ),
  granularity: Granularity.default("MONTHLY").describe("MONTHLY or DAILY periods in by_period"),
});

const ForecastOutput = z.object({
  scope: z.literal("account-wide"),
  start: z.string(),
  end: z.string().describe("Exclusive"),
  granularity: Granularity,
  currency: z.string(),
  forecast_total: z.number().nullable().describe("Mean forecast; null when there is no EUC history or it failed"),
  by_period: z.array(z.object({
    start: z.string(),
    end: z.string(),
    mean: z.number(),
    lower: z.number().nullable().describe("80% prediction interval"),
    upper: z.number().nullable(),
  })),
  filtered_services: z.array(z.string()).describe("Cost Explorer SERVICE labels the forecast covers"),
  recent_7d_daily_avg: z.number().nullable().describe(
    "EUC $/day over the last 7 full days (1st-of-month fees left out)",
  ),
  trailing_30d_daily_avg: z.number().nullable().describe("EUC $/day over the last 30 full days (same rule)"),
  ce_requests: z.number().int(),
  errors: Errors,
  notes: Notes,
});

/** Cost Explorer's forecast of EUC spend, with run-rate context that flags transient spikes. */
export const getEucCostForecast: ToolDef<typeof ForecastInput, typeof ForecastOutput> = {
  name: "get_euc_cost_forecast",
  title: "EUC cost forecast",
  toolset: "cost",
  tier: 1,
  actions: ["ce:GetCostAndUsage", "ce:GetCostForecast"],
  annotations: READ_ONLY,
  description: "Forecast of EUC spend (Cost Explorer GetCostForecast, 80% prediction interval) from tomorrow for " +
    "days_ahead days, restricted to the WorkSpaces, WorkSpaces Applications (AppStream 2.0) and Secure Browser " +
    "services found in the last 30 days, plus run-rate context: recent 7-day vs trailing 30-day daily averages, " +
    "with a warning when recent spend (image builders, a one-off scale-up) is inflating the forecast. " +
    "Needs IAM tier 1 (ce:GetCostAndUsage, ce:GetCostForecast).",
  input: ForecastInput,
  output: ForecastOutput,
  async run(ctx, args) {
    if (args.granularity === "DAILY" && args.days_ahead > MAX_DAILY_FORECAST_DAYS) {
      throw new ToolFailure(
        "InvalidInput",
        `A DAILY forecast covers at most ${MAX_DAILY_FORECAST_DAYS} days (Cost Explorer limit); ${args.days_ahead} asked.`,
        "Use granularity MONTHLY for longer horizons (up to 365 days).",
      );
    }
    const today = todayUtc();
    const start = addDays(today, 1);
    const end = addDays(start, args.days_ahead);
    const meter: CeMeter = { requests: 0 };
    // One request serves both discovery (which EUC services have spend) and the run-rate (daily EUC totals).
    const history = await costAndUsage(ctx, meter, {
      TimePeriod: { Start: addDays(today, -30), End: today },
      Granularity: "DAILY",
      Metrics: ["UnblendedCost"],
      GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }],
    });
    const currency = unitOf(history);
    const names = new Set<string>();
    const daily: { day: string; amount: number }[] = [];
    for (const r of history) {
      let amount = 0;
      for (const g of r.Groups ?? []) {
        const label = g.Keys?.[0] ?? "";
        const a = amountOf(g.Metrics);
        if (!isEucService(label)) continue;
        if (a !== 0) names.add(label);
        amount += a;
      }
      daily.push({ day: r.TimePeriod?.Start ?? "", amount });
    }
    const errors: AwsErrorInfo[] = [];
    const notes: string[] = [];
    const filtered_services = [...names].sort();
    const base = {
      scope: "account-wide" as const,
      start,
      end,
      granularity: args.granularity,
      currency,
      filtered_services,
    };
    if (filtered_services.length === 0) {
      notes.push("No EUC spend in the last 30 days, so there is no history to forecast from (not an error).");
      notes.push(ceNote(meter));
      return {
        summary: "No EUC spend in the last 30 days: nothing to forecast.",
        data: {
          ...base,
          forecast_total: null,
          by_period: [],
          recent_7d_daily_avg: null,
          trailing_30d_daily_avg: null,
          ce_requests: meter.requests,
          errors,
          notes,
        },
      };
    }
    // Monthly fees post on the 1st; leaving those days out of both averages compares like with like.
    const usual = daily.filter((d) => !d.day.endsWith("-01"));
    const avg = (xs: { amount: number }[]) =>
      xs.length ? round2(xs.reduce((n, d) => n + d.amount, 0) / xs.length) : null;
    const recent = avg(usual.filter((d) => d.day >= addDays(today, -7)));
    const trailing = avg(usual);

    const col = new Collection();
    const forecast = await col.attempt(
      { service: "ce", operation: "GetCostForecast", region: CE_REGION },
      async () => {
        meter.requests++;
        return await ctx.aws.call("ce", "GetCostForecast", {
          TimePeriod: { Start: start, End: end },
          Metric: "UNBLENDED_COST",
          Granularity: args.granularity,
          Filter: { Dimensions: { Key: "SERVICE", Values: filtered_services } },
          PredictionIntervalLevel: 80,
        }, { region: CE_REGION, signal: ctx.signal });
      },
    );
    errors.push(...col.errors);
    const num = (s: string | undefined) => (s === undefined || s === "" ? null : round2(Number(s)));
    const by_period = (forecast?.ForecastResultsByTime ?? []).map((f) => ({
      start: f.TimePeriod?.Start ?? "",
      end: f.TimePeriod?.End ?? "",
      mean: num(f.MeanValue) ?? 0,
      lower: num(f.PredictionIntervalLowerBound),
      upper: num(f.PredictionIntervalUpperBound),
    }));
    const forecast_total = forecast ? num(forecast.Total?.Amount) : null;
    if (!forecast) notes.push("The forecast request failed (see errors); the run-rate figures are still valid.");
    if (recent !== null && trailing !== null && trailing > 0 && recent > INFLATION_RATIO * trailing) {
      notes.push(
        `FORECAST INFLATION: recent EUC spend (${currency} ${recent.toFixed(2)}/day over 7 days) is ` +
          `${(recent / trailing).toFixed(1)}× the 30-day average (${currency} ${trailing.toFixed(2)}/day). Cost ` +
          "Explorer weights recent days, so transient spend (running image builders, a one-off scale-up) inflates " +
          "this forecast; check get_euc_cost_summary with DAILY granularity and stop what is no longer needed.",
      );
    }
    notes.push("Days on the 1st of a month (monthly fees) are left out of both daily averages.");
    notes.push("The forecast is Cost Explorer's statistical model over list-rate unblended cost, not a commitment.");
    notes.push(ceNote(meter));
    return {
      summary: forecast_total === null
        ? `EUC forecast ${start} to ${end} unavailable (${errors[0]?.code ?? "no data"}); run-rate ${currency} ${
          recent ?? "?"
        }/day recent, ${trailing ?? "?"}/day 30-day.`
        : `EUC forecast ${start} to ${end} (exclusive): ${currency} ${
          forecast_total.toFixed(2)
        }; run-rate ${currency} ${recent ?? "?"}/day recent vs ${trailing ?? "?"}/day 30-day.`,
      data: {
        ...base,
        forecast_total,
        by_period,
        recent_7d_daily_avg: recent,
        trailing_30d_daily_avg: trailing,
        ce_requests: meter.requests,
        errors,
        notes,
      },
    };
  },
};

// ---------------------------------------------------------------- compare_euc_costs

const CompareInput = z.object({
  start_date: DateString.optional().describe("Comparison window start (inclusive); default 30 days ago"),
  end_date: DateString.optional().describe("Comparison window end (exclusive); default today"),
  baseline_start: DateString.optional().describe("Baseline start (inclusive); default: the preceding window"),
  baseline_end: DateString.optional().describe("Baseline end (exclusive); default: the comparison start"),
  top_n: z.number().int().min(1).max(50).default(10).describe("How many usage-type drivers to list"),
});

const Delta = z.object({ baseline: z.number(), comparison: z.number(), delta: z.number() });

const CompareOutput = z.object({
  baseline_start: z.string(),
  baseline_end: z.string(),
  comparison_start: z.string(),
  comparison_end: z.string(),
  currency: z.string(),
  baseline_total: z.number(),
  comparison_total: z.number(),
  delta: z.number(),
  delta_pct: z.number().nullable().describe("Null when the baseline is 0"),
  by_service_delta: z.record(z.string(), Delta),
  by_category_delta: z.record(z.string(), Delta).describe(
    "Amazon WorkSpaces split into Personal, Pools and Core Managed Instances, plus the other EUC services",
  ),
  top_drivers: z.array(z.object({
    service: z.string().describe("Cost Explorer SERVICE label"),
    usage_type: z.string(),
    category: z.string().describe("Personal, Pools, Core Managed Instances, or the service"),
    baseline: z.number(),
    comparison: z.number(),
    delta: z.number(),
  })).describe("(service, usage type) pairs whose spend changed by at least $0.01, largest change first"),
  ce_requests: z.number().int(),
  errors: Errors,
  notes: Notes,
});

function pairWindow(
  names: [string, string],
  start: string | undefined,
  end: string | undefined,
): { start: string; end: string } | undefined {
  if (start === undefined && end === undefined) return undefined;
  if (start === undefined || end === undefined) {
    throw new ToolFailure(
      "InvalidInput",
      `Give both ${names[0]} and ${names[1]}, or neither.`,
      `Omit both for the default window, or pass both as YYYY-MM-DD (${names[1]} exclusive).`,
    );
  }
  checkWindow(names, start, end);
  return { start, end };
}

/** What changed between two windows of EUC spend, by service, by Personal/Pools/Core, and by usage type. */
export const compareEucCosts: ToolDef<typeof CompareInput, typeof CompareOutput> = {
  name: "compare_euc_costs",
  title: "Compare EUC costs between two periods",
  toolset: "cost",
  tier: 1,
  actions: ["ce:GetCostAndUsage"],
  annotations: READ_ONLY,
  description: "Compares EUC spend (Cost Explorer) between a comparison window (default: the last 30 days) and a " +
    "baseline (default: the 30 days before): totals, delta and delta %, by service, Amazon WorkSpaces split into " +
    "Personal/Pools/Core, and the top_n usage types that drove the change. Dates YYYY-MM-DD, ends exclusive. " +
    "Needs IAM tier 1 (ce:GetCostAndUsage).",
  input: CompareInput,
  output: CompareOutput,
  async run(ctx, args) {
    const today = todayUtc();
    const comparison = pairWindow(["start_date", "end_date"], args.start_date, args.end_date) ??
      { start: addDays(today, -30), end: today };
    const length = daysBetween(comparison.start, comparison.end);
    const baseline = pairWindow(["baseline_start", "baseline_end"], args.baseline_start, args.baseline_end) ??
      { start: addDays(comparison.start, -length), end: comparison.start };
    const meter: CeMeter = { requests: 0 };
    // Discovery over both windows at once: the exact EUC SERVICE names, so the detailed queries stay small.
    const first = baseline.start < comparison.start ? baseline.start : comparison.start;
    const last = baseline.end > comparison.end ? baseline.end : comparison.end;
    const discovery = await costAndUsage(ctx, meter, {
      TimePeriod: { Start: first, End: last },
      Granularity: "MONTHLY",
      Metrics: ["UnblendedCost"],
      GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }],
    });
    const currency = unitOf(discovery);
    const names = new Set<string>();
    for (const r of discovery) {
      for (const g of r.Groups ?? []) {
        const label = g.Keys?.[0] ?? "";
        if (isEucService(label) && amountOf(g.Metrics) !== 0) names.add(label);
      }
    }
    const windowSpend = async (w: { start: string; end: string }) => {
      const out = new Map<string, { service: string; usage_type: string; amount: number }>();
      if (names.size === 0) return out;
      const results = await costAndUsage(ctx, meter, {
        TimePeriod: { Start: w.start, End: w.end },
        Granularity: "MONTHLY",
        Metrics: ["UnblendedCost"],
        Filter: { Dimensions: { Key: "SERVICE", Values: [...names].sort() } },
        GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }, { Type: "DIMENSION", Key: "USAGE_TYPE" }],
      });
      for (const r of results) {
        for (const g of r.Groups ?? []) {
          const [service = "", usage_type = ""] = g.Keys ?? [];
          const key = `${service}\u0000${usage_type}`;
          const e = out.get(key) ?? { service, usage_type, amount: 0 };
          e.amount += amountOf(g.Metrics);
          out.set(key, e);
        }
      }
      return out;
    };
    const col = new Collection();
    const where = { service: "ce", operation: "GetCostAndUsage", region: CE_REGION };
    const [base, comp] = await Promise.all([
      col.attempt(where, () => windowSpend(baseline)),
      col.attempt(where, () => windowSpend(comparison)),
    ]);
    if (!base || !comp) {
      const e = col.errors[0];
      throw new ToolFailure(e.code, `Could not read both windows from Cost Explorer: ${e.message}`, e.hint, col.errors);
    }
    const keys = new Set([...base.keys(), ...comp.keys()]);
    const by_service_delta: Record<string, z.infer<typeof Delta>> = {};
    const by_category_delta: Record<string, z.infer<typeof Delta>> = {};
    const drivers: z.infer<typeof CompareOutput>["top_drivers"] = [];
    const bump = (rec: Record<string, z.infer<typeof Delta>>, k: string, b: number, c: number) => {
      const d = rec[k] ?? { baseline: 0, comparison: 0, delta: 0 };
      d.baseline += b;
      d.comparison += c;
      rec[k] = d;
    };
    let baseline_total = 0;
    let comparison_total = 0;
    for (const k of keys) {
      const b = base.get(k)?.amount ?? 0;
      const c = comp.get(k)?.amount ?? 0;
      const { service, usage_type } = base.get(k) ?? comp.get(k)!;
      baseline_total += b;
      comparison_total += c;
      bump(by_service_delta, productOf(service), b, c);
      const category = isPlainWorkSpaces(service) ? usageCategory(usage_type) : productOf(service);
      bump(by_category_delta, category, b, c);
      if (Math.abs(c - b) >= 0.01) {
        drivers.push({
          service,
          usage_type,
          category,
          baseline: round2(b),
          comparison: round2(c),
          delta: round2(c - b),
        });
      }
    }
    for (const rec of [by_service_delta, by_category_delta]) {
      for (const d of Object.values(rec)) {
        d.baseline = round2(d.baseline);
        d.comparison = round2(d.comparison);
        d.delta = round2(d.comparison - d.baseline);
      }
    }
    drivers.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta));
    const delta = round2(comparison_total - baseline_total);
    const delta_pct = baseline_total === 0 ? null : Math.round((delta / baseline_total) * 1000) / 10;
    const notes: string[] = [];
    if (daysBetween(baseline.start, baseline.end) !== length) {
      notes.push(
        `The windows differ in length (baseline ${
          daysBetween(baseline.start, baseline.end)
        } days, comparison ${length} days); totals are not normalised per day.`,
      );
    }
    if (baseline.start < comparison.end && comparison.start < baseline.end) {
      notes.push("The baseline and comparison windows overlap.");
    }
    if (names.size === 0) notes.push("No EUC spend in either window.");
    if (drivers.length > args.top_n) {
      notes.push(`${drivers.length} usage types changed; the top ${args.top_n} by absolute change are listed.`);
    }
    notes.push(
      "Monthly fees post on the 1st: a window that contains more 1sts than the other shows a jump that is billing timing.",
    );
    notes.push(ceNote(meter));
    const top = drivers[0];
    return {
      summary: `EUC spend ${comparison.start}..${comparison.end}: ${currency} ${
        round2(comparison_total).toFixed(2)
      } vs ${currency} ${round2(baseline_total).toFixed(2)} (${delta >= 0 ? "+" : ""}${delta.toFixed(2)}${
        delta_pct === null ? "" : `, ${delta_pct >= 0 ? "+" : ""}${delta_pct}%`
      })${top ? `; top driver ${top.usage_type} (${top.delta >= 0 ? "+" : ""}${top.delta.toFixed(2)})` : ""}.`,
      data: {
        baseline_start: baseline.start,
        baseline_end: baseline.end,
        comparison_start: comparison.start,
        comparison_end: comparison.end,
        currency,
        baseline_total: round2(baseline_total),
        comparison_total: round2(comparison_total),
        delta,
        delta_pct,
        by_service_delta,
        by_category_delta,
        top_drivers: drivers.slice(0, args.top_n),
        ce_requests: meter.requests,
        errors: [],
        notes,
      },
    };
  },
};

// ---------------------------------------------------------------- get_euc_service_prices

const ASSUMPTIONS = [
  "LIST prices in USD from the AWS Price List API: private pricing, EDP/PPA discounts, Savings Plans and credits are not included.",
  `A month is ${HOURS_PER_MONTH} hours (monthly = hourly × ${HOURS_PER_MONTH}); a day is 24 hours.`,
  "Prices are looked up live and cached for the server's lifetime (6 hours); failed lookups are retried on the next call.",
];

const PricesInput = z.object({
  service: z.string().max(60).default("applications").describe(
    'Which service: personal, pools, applications (default), secure-browser or core. Legacy names work ("AppStream 2.0", "WorkSpaces Web").',
  ),
  region: RegionInput,
  regions: RegionsInput.describe("Several regions: the answer is a by_region map (duplicates dropped, order kept)"),
  fleet_name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,99}$/, "must be a fleet name").optional().describe(
    "applications: price this fleet (instance type, function, platform and capacity come from it)",
  ),
  instance_type: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,62}$/, "must be an instance type").optional().describe(
    "applications: e.g. stream.standard.large; core: the EC2 type, e.g. m5.large",
  ),
  instance_function: z.enum(APP_FUNCTIONS).optional().describe(
    "applications: Fleet (default), ImageBuilder, AppBlockBuilder, ElasticFleet or MultiSessionFleet",
  ),
  platform: z.string().max(64).optional().describe(
    "applications: platform, e.g. WINDOWS_SERVER_2022, AMAZON_LINUX2, or a BYOL Windows 10/11 image; default Windows",
  ),
  compute_type: z.string().regex(/^[A-Za-z0-9_.]+$/, "must be a compute type").max(40).optional().describe(
    "personal and pools: WorkSpaces compute type, e.g. STANDARD, POWER, GRAPHICSPRO_G4DN",
  ),
  operating_system: z.string().max(40).optional().describe(
    "personal: WorkSpaces OS, e.g. WINDOWS_11 (BYOL), WINDOWS_SERVER_2022 (licence included), AMAZON_LINUX_2, UBUNTU_22_04; default WINDOWS_SERVER_2022",
  ),
  root_volume_gib: z.number().int().min(1).max(2000).optional().describe("personal: root volume GiB, e.g. 80"),
  user_volume_gib: z.number().int().min(1).max(2000).optional().describe("personal: user volume GiB, e.g. 50"),
});

const Nullable = z.number().nullable();
const StorageConfig = z.object({
  storage: z.string(),
  alwayson_monthly_usd: Nullable,
  autostop_monthly_base_usd: Nullable,
  autostop_hourly_usd: Nullable,
});

const PriceFields = {
  service: z.string().describe("Current product name"),
  service_id: z.enum(SERVICE_IDS),
  region: z.string(),
  pricing_location: z.string().nullable().describe("Price List location; null when the region is not mapped"),
  // applications
  instance_type: z.string().optional(),
  instance_function: z.string().optional(),
  operating_system: z.string().optional().describe("The Price List operatingSystem (or WorkSpaces OS for personal)"),
  hourly_usd: Nullable.optional(),
  daily_usd_24x7: Nullable.optional(),
  monthly_usd_24x7: Nullable.optional(),
  on_demand_stopped_hourly_usd: Nullable.optional(),
  fleet: z.object({
    name: z.string(),
    fleet_type: z.string().nullable(),
    state: z.string().nullable(),
    platform: z.string().nullable(),
    platform_source: z.enum(["fleet", "image", "input", "default"]),
    image_name: z.string().nullable(),
    desired_instances: z.number().nullable(),
    running_instances: z.number().nullable(),
    max_sessions_per_instance: z.number().nullable(),
  }).optional(),
  provisioned_monthly_usd: Nullable.optional().describe("ALWAYS_ON fleets: hourly × 730 × desired"),
  idle_monthly_usd: Nullable.optional().describe("ON_DEMAND fleets: stopped-instance fee × 730 × desired"),
  microsoft_user_fees_monthly_usd: z.object({
    single_session_user_monthly_usd: Nullable,
    multi_session_user_monthly_usd: Nullable,
    multi_session_additional_user_monthly_usd: Nullable,
  }).optional().describe("Included-licence Windows only"),
  available_operating_systems: z.record(z.string(), z.number()).optional().describe(
    "$/h by published OS when the requested one is not published",
  ),
  // pools
  compute_type: z.string().optional(),
  rates: z.object({
    streaming_hourly_included_usd: Nullable,
    streaming_hourly_byol_usd: Nullable,
    stopped_instance_hourly_usd: Nullable,
    user_fee_monthly_usd: Nullable,
  }).optional(),
  // secure browser
  monthly_active_user_usd_by_tier: z.record(z.string(), Nullable).optional(),
  // core
  skus: z.array(z.object({
    unit: z.string(),
    usd: z.number(),
    billing_option: z.string().nullable(),
    tenancy: z.string().nullable(),
    description: z.string(),
  })).optional(),
  // personal
  license_model: z.string().nullable().optional(),
  storage: z.string().optional(),
  alwayson_monthly_usd: Nullable.optional(),
  autostop_monthly_base_usd: Nullable.optional(),
  autostop_hourly_usd: Nullable.optional(),
  autostop_breakeven_hours_per_month: Nullable.optional().describe(
    "Monthly hours above which AlwaysOn is cheaper than AutoStop",
  ),
  completeness: z.enum(["complete", "partial", "none"]).optional(),
  available_storage_configurations: z.array(StorageConfig).optional(),
  notes: Notes,
  errors: Errors,
};

const PriceResult = z.object(PriceFields);
type PriceResult = z.infer<typeof PriceResult>;

const PricesOutput = z.object({
  ...PriceFields,
  assumptions: z.array(z.string()),
  regions: z.array(z.string()),
  by_region: z.record(z.string(), PriceResult).optional().describe("One answer per region when `regions` was given"),
});

type PricesArgs = z.infer<typeof PricesInput>;

/** Checks that the service's required inputs are there, before any AWS call. */
function checkPriceArgs(id: ServiceId, args: PricesArgs): void {
  const fail = (message: string, hint: string) => {
    throw new ToolFailure("InvalidInput", message, hint);
  };
  if (id === "personal" || id === "pools") {
    if (!args.compute_type) fail(`${PRODUCT[id]} prices need compute_type.`, "Pass e.g. compute_type=STANDARD.");
    if (!bundleFamily(args.compute_type!)) {
      fail(
        `Unknown compute type ${args.compute_type}.`,
        "Use a WorkSpaces compute type: VALUE, STANDARD, PERFORMANCE, POWER, POWERPRO, GRAPHICS_G4DN, GRAPHICSPRO_G4DN, GENERALPURPOSE_4XLARGE, GENERALPURPOSE_8XLARGE, GRAPHICS_G6_XLARGE….",
      );
    }
  }
  if (id === "personal") {
    if (args.operating_system && !personalOsLicense(args.operating_system)) {
      fail(
        `Unknown operating system ${args.operating_system}.`,
        "Use a WorkSpaces OS name: WINDOWS_10, WINDOWS_11, WINDOWS_SERVER_2019/2022/2025, AMAZON_LINUX_2, UBUNTU_22_04, RHEL_8, ROCKY_8.",
      );
    }
    if ((args.root_volume_gib === undefined) !== (args.user_volume_gib === undefined)) {
      fail(
        "Give both root_volume_gib and user_volume_gib, or neither (to list the published storage pairings).",
        "E.g. root_volume_gib=80 and user_volume_gib=50.",
      );
    }
  }
  if (id === "core" && !args.instance_type) {
    fail("WorkSpaces Core prices need instance_type.", "Pass the EC2 instance type, e.g. instance_type=m5.large.");
  }
  if (id === "applications" && !args.instance_type && !args.fleet_name) {
    fail(
      "WorkSpaces Applications prices need instance_type or fleet_name.",
      "Pass e.g. instance_type=stream.standard.large, or fleet_name to price an existing fleet.",
    );
  }
}

type Fleet = NonNullable<OpOutput<"appstream", "DescribeFleets">["Fleets"]>[number];

async function applicationsPrice(
  ctx: ToolContext,
  region: string,
  args: PricesArgs,
  out: PriceResult,
): Promise<void> {
  const prices = priceListFor(ctx.aws);
  const col = new Collection();
  const o = { region, signal: ctx.signal };
  let fleet: Fleet | undefined;
  let platform = args.platform;
  let platformSource: "fleet" | "image" | "input" | "default" = args.platform ? "input" : "default";
  if (args.fleet_name) {
    const found = await col.attempt(
      { service: "appstream", operation: "DescribeFleets", region },
      async () => (await ctx.aws.call("appstream", "DescribeFleets", { Names: [args.fleet_name!] }, o)).Fleets ?? [],
    );
    fleet = found?.[0];
    if (!fleet) {
      const e = col.errors[0];
      if (!e || e.code === "NotFound") {
        throw new ToolFailure(
          "NotFound",
          `Fleet ${args.fleet_name} does not exist in ${region}.`,
          "Check the fleet name and the region (fleets are per region); get_euc_inventory_summary lists them.",
          col.errors,
        );
      }
      throw new ToolFailure(e.code, e.message, e.hint, col.errors);
    }
    if (!args.platform) {
      platform = fleet.Platform;
      platformSource = "fleet";
      // DescribeFleets omits Platform for non-Elastic fleets: the image knows it (BYOL fleets were mispriced without it).
      if (!platform && (fleet.ImageArn || fleet.ImageName)) {
        const images = await col.attempt(
          { service: "appstream", operation: "DescribeImages", region },
          async () =>
            (await ctx.aws.call(
              "appstream",
              "DescribeImages",
              fleet!.ImageArn ? { Arns: [fleet!.ImageArn] } : { Names: [fleet!.ImageName!] },
              o,
            )).Images ?? [],
        );
        const image = images?.[0];
        if (image?.Platform) {
          platform = image.Platform;
          platformSource = "image";
        }
      }
      if (!platform) platformSource = "default";
    }
  }
  // A BYOL Windows 10/11 image is told apart by its name: the platform alone says WINDOWS.
  const byolImage = fleet?.ImageName && /win(dows)?[-_ ]?1[01]|byol/i.test(fleet.ImageName) ? " BYOL" : "";
  const operatingSystem = appOperatingSystem(`${platform ?? ""}${platformSource === "input" ? "" : byolImage}`);
  const instanceType = fleet?.InstanceType ?? args.instance_type!;
  const fn = args.instance_function ??
    (fleet?.FleetType === "ELASTIC"
      ? "ElasticFleet"
      : (fleet?.MaxSessionsPerInstance ?? 1) > 1
      ? "MultiSessionFleet"
      : "Fleet");
  if (fleet && args.instance_type && args.instance_type !== fleet.InstanceType) {
    out.notes.push(`instance_type ${args.instance_type} was ignored: fleet ${fleet.Name} runs ${fleet.InstanceType}.`);
  }
  const included = operatingSystem === "Windows";
  const [hourly, stopped, fees] = await Promise.all([
    prices.applicationsHourly(region, instanceType, fn, operatingSystem, ctx.signal),
    prices.applicationsStoppedFee(region, ctx.signal),
    included ? prices.applicationsUserFees(region, ctx.signal) : Promise.resolve(undefined),
  ]);
  out.errors.push(...col.errors, ...hourly.errors, ...stopped.errors, ...(fees?.errors ?? []));
  out.notes.push(...hourly.notes, ...stopped.notes, ...(fees?.notes ?? []));
  out.pricing_location = hourly.pricing_location;
  out.instance_type = instanceType;
  out.instance_function = fn;
  out.operating_system = operatingSystem;
  const h = hourly.value.hourly_usd;
  out.hourly_usd = h;
  out.daily_usd_24x7 = h === null ? null : round2(h * 24);
  out.monthly_usd_24x7 = h === null ? null : round2(h * HOURS_PER_MONTH);
  out.on_demand_stopped_hourly_usd = stopped.value;
  if (Object.keys(hourly.value.available_operating_systems).length > 0) {
    out.available_operating_systems = hourly.value.available_operating_systems;
  }
  if (fees) out.microsoft_user_fees_monthly_usd = fees.value;
  if (platformSource === "default") {
    out.notes.push("No platform was given or found; priced as Windows (licence included).");
  }
  if (fleet) {
    const desired = fleet.ComputeCapacityStatus?.Desired ?? null;
    out.fleet = {
      name: fleet.Name ?? args.fleet_name!,
      fleet_type: fleet.FleetType ?? null,
      state: fleet.State ?? null,
      platform: platform ?? null,
      platform_source: platformSource,
      image_name: fleet.ImageName ?? null,
      desired_instances: desired,
      running_instances: fleet.ComputeCapacityStatus?.Running ?? null,
      max_sessions_per_instance: fleet.MaxSessionsPerInstance ?? null,
    };
    if (fleet.FleetType === "ALWAYS_ON") {
      out.provisioned_monthly_usd = h === null || desired === null ? null : round2(h * HOURS_PER_MONTH * desired);
    }
    if (fleet.FleetType === "ON_DEMAND") {
      out.idle_monthly_usd = stopped.value === null || desired === null
        ? null
        : round2(stopped.value * HOURS_PER_MONTH * desired);
    }
  }
  const type = fleet?.FleetType ?? (fn === "ElasticFleet" ? "ELASTIC" : undefined);
  if (type === "ALWAYS_ON" || !type) {
    out.notes.push(
      "ALWAYS_ON fleets: every provisioned instance is billed at the running rate all the time, streaming or not " +
        "(provisioned_monthly_usd).",
    );
  }
  if (type === "ON_DEMAND" || !type) {
    out.notes.push(
      "ON_DEMAND fleets: the running rate only while a user streams; a provisioned instance that waits is billed the " +
        "stopped-instance fee (idle_monthly_usd), never the 24×7 rate.",
    );
  }
  if (type === "ELASTIC") {
    out.notes.push("ELASTIC fleets: billed only for streaming time; idle capacity costs nothing.");
  }
  if (fn === "MultiSessionFleet") {
    out.notes.push("Multi-session instances are billed per instance; user fees are per user (multi-session rates).");
  }
  if (fn === "ImageBuilder" || fn === "AppBlockBuilder") {
    out.notes.push("Builders bill the running rate while RUNNING: stop them when not building.");
  }
  if (included) {
    out.notes.push(
      "Included-licence Windows adds a Microsoft RDS SAL user fee per user per month (microsoft_user_fees_monthly_usd).",
    );
  } else if (operatingSystem === "Windows BYOL") {
    out.notes.push("BYOL: bring your own Windows licences; no Microsoft user fee from AWS.");
  }
}

async function priceOne(ctx: ToolContext, id: ServiceId, region: string, args: PricesArgs): Promise<PriceResult> {
  const prices = priceListFor(ctx.aws);
  const out: PriceResult = {
    service: PRODUCT[id],
    service_id: id,
    region,
    pricing_location: null,
    notes: [],
    errors: [],
  };
  switch (id) {
    case "applications":
      await applicationsPrice(ctx, region, args, out);
      break;
    case "pools": {
      const r = await prices.pools(region, args.compute_type!, ctx.signal);
      Object.assign(out, { pricing_location: r.pricing_location, compute_type: args.compute_type, rates: r.value });
      out.notes.push(...r.notes, "Pools stream by the hour per running instance; the user fee is per user per month.");
      out.errors.push(...r.errors);
      break;
    }
    case "secure-browser": {
      const r = await prices.secureBrowser(region, ctx.signal);
      Object.assign(out, { pricing_location: r.pricing_location, monthly_active_user_usd_by_tier: r.value });
      out.notes.push(
        ...r.notes,
        "Secure Browser bills per monthly active user by portal instance type; a user who never signs in costs nothing.",
      );
      out.errors.push(...r.errors);
      break;
    }
    case "core": {
      const r = await prices.core(region, args.instance_type!, ctx.signal);
      Object.assign(out, { pricing_location: r.pricing_location, instance_type: args.instance_type, skus: r.value });
      out.notes.push(
        ...r.notes,
        "One SKU per billing option (and tenancy); do not assume monthly billing. The EC2 instance and its licences " +
          "are billed separately by EC2.",
      );
      out.errors.push(...r.errors);
      break;
    }
    case "personal": {
      const os = args.operating_system ?? "WINDOWS_SERVER_2022";
      if (!args.operating_system) {
        out.notes.push("operating_system not given: priced as WINDOWS_SERVER_2022 (licence included).");
      }
      const listOnly = args.root_volume_gib === undefined;
      const r = await prices.personal(region, {
        computeType: args.compute_type!,
        operatingSystem: os,
        rootGib: args.root_volume_gib ?? 0,
        userGib: args.user_volume_gib ?? 0,
      }, ctx.signal);
      const p = r.price;
      Object.assign(out, {
        pricing_location: p.pricing_location,
        compute_type: args.compute_type,
        operating_system: os,
        license_model: p.license_model,
        storage: listOnly ? undefined : `Root:${args.root_volume_gib} GB,User:${args.user_volume_gib} GB`,
        alwayson_monthly_usd: p.alwayson_monthly_usd,
        autostop_monthly_base_usd: p.autostop_monthly_base_usd,
        autostop_hourly_usd: p.autostop_hourly_usd,
        autostop_breakeven_hours_per_month: p.autostop_breakeven_hours_per_month,
        completeness: p.completeness,
      });
      if (!out.storage) delete out.storage;
      if (r.available_storage_configurations.length > 0) {
        out.available_storage_configurations = r.available_storage_configurations;
      }
      out.notes.push(
        ...(listOnly
          ? p.notes.filter((n) => !/No clean bundle match/.test(n)).concat(
            "No volume sizes given: available_storage_configurations lists every published pairing.",
          )
          : p.notes),
      );
      out.errors.push(...r.errors);
      break;
    }
  }
  return out;
}

/** List prices of one EUC service in one or more regions, from the Price List API. */
export const getEucServicePrices: ToolDef<typeof PricesInput, typeof PricesOutput> = {
  name: "get_euc_service_prices",
  title: "EUC list prices",
  toolset: "cost",
  tier: 1,
  actions: ["appstream:DescribeFleets", "appstream:DescribeImages", "pricing:GetProducts"],
  annotations: READ_ONLY,
  description: "Live AWS list prices (Price List API) for one EUC service, in one region or several (`regions` → " +
    "by_region). personal: a bundle's AlwaysOn monthly, AutoStop base + hourly and the break-even hours per month " +
    "(licence-aware: Windows 10/11 = BYOL; needs compute_type, operating_system, root/user volume GiB). pools: " +
    "streaming, stopped and user-fee rates (compute_type). applications (AppStream 2.0): $/h by instance type, " +
    "function and OS, or price an existing fleet by fleet_name (ALWAYS_ON vs ON_DEMAND idle cost, user fees). " +
    "secure-browser: $ per monthly active user by tier. core: managed-instance SKUs (instance_type). Never quote " +
    "prices from memory: call this. Needs IAM tier 1 (pricing:GetProducts).",
  input: PricesInput,
  output: PricesOutput,
  async run(ctx, args) {
    const id = serviceFromAlias(args.service);
    if (!id) {
      throw new ToolFailure(
        "InvalidInput",
        `Unknown service "${args.service}".`,
        `Use one of ${SERVICE_IDS.join(", ")} (legacy names such as "AppStream 2.0" and "WorkSpaces Web" work).`,
      );
    }
    checkPriceArgs(id, args);
    const multi = args.regions !== undefined;
    const regions = multi ? [...new Set(args.regions)] : await ctx.regions({ region: args.region });
    const results: PriceResult[] = [];
    for (const [i, region] of regions.entries()) {
      results.push(await priceOne(ctx, id, region, args));
      await ctx.progress(i + 1, regions.length, region);
    }
    const errors = results.flatMap((r) => r.errors);
    // Every region failed (e.g. AccessDenied on pricing:GetProducts): an isError answer naming the permission.
    if (errors.length > 0 && results.every((r) => r.errors.length > 0 && !hasAnyPrice(r))) {
      const e = errors[0];
      throw new ToolFailure(e.code, `No prices could be read: ${e.message}`, e.hint, errors);
    }
    if (!multi) {
      const r = results[0];
      const summary = priceSummary(r);
      return { summary, data: { ...r, assumptions: ASSUMPTIONS, regions } };
    }
    const by_region = Object.fromEntries(results.map((r) => [r.region, r]));
    return {
      summary: `${PRODUCT[id]} list prices in ${regions.length} regions: ${
        results.map((r) => `${r.region} ${priceSummary(r).replace(/^[^:]*: /, "")}`).join("; ")
      }`.slice(0, 600),
      data: {
        service: PRODUCT[id],
        service_id: id,
        region: regions.join(","),
        pricing_location: null,
        assumptions: ASSUMPTIONS,
        regions,
        by_region,
        notes: [],
        errors,
      },
    };
  },
};

function hasAnyPrice(r: PriceResult): boolean {
  const values = [
    r.hourly_usd,
    r.alwayson_monthly_usd,
    r.autostop_monthly_base_usd,
    r.autostop_hourly_usd,
    ...Object.values(r.rates ?? {}),
    ...Object.values(r.monthly_active_user_usd_by_tier ?? {}),
    ...(r.skus ?? []).map((s) => s.usd),
  ];
  return values.some((v) => typeof v === "number");
}

function money(n: number | null | undefined, suffix = ""): string {
  return n === null || n === undefined ? "unpublished" : `$${n}${suffix}`;
}

function priceSummary(r: PriceResult): string {
  const where = `${r.service} in ${r.region}`;
  switch (r.service_id) {
    case "applications":
      return `${where}: ${r.instance_type} ${r.instance_function} ${r.operating_system} ${money(r.hourly_usd, "/h")}` +
        (r.fleet ? ` (fleet ${r.fleet.name}, ${r.fleet.fleet_type})` : "");
    case "pools":
      return `${where}: ${r.compute_type} ${money(r.rates?.streaming_hourly_included_usd, "/h")} included, ` +
        `${money(r.rates?.streaming_hourly_byol_usd, "/h")} BYOL`;
    case "secure-browser":
      return `${where}: ${
        Object.entries(r.monthly_active_user_usd_by_tier ?? {}).map(([t, v]) => `${t} ${money(v)}`).join(", ")
      } per monthly active user`;
    case "core":
      return `${where}: ${r.skus?.length ?? 0} SKUs for ${r.instance_type}`;
    case "personal":
      return `${where}: ${r.compute_type} ${r.operating_system} (${r.license_model}) AlwaysOn ${
        money(r.alwayson_monthly_usd, "/month")
      }, AutoStop ${money(r.autostop_monthly_base_usd)} + ${money(r.autostop_hourly_usd, "/h")}, break-even ${
        r.autostop_breakeven_hours_per_month ?? "n/a"
      } h/month (${r.completeness})`;
  }
}

/** The tools of this toolset, in registration order. */
export const COST_TOOLS = [getEucCostSummary, getEucCostForecast, compareEucCosts, getEucServicePrices] as const;
