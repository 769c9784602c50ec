/**
 * get_euc_cost_forecast: Cost Explorer's forecast of EUC spend, with run-rate context that flags
 * transient spikes. One history request serves both service discovery and the run-rate.
 */
import { z } from "zod";
import { type AwsErrorInfo, classifyError } from "../../aws/errors.ts";
import { MalformedResponseError } from "../../aws/http.ts";
import { Collection } from "../_lib/collection.ts";
import { cents, usd } from "../_lib/format.ts";
import { Errors, Notes } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef, ToolFailure } from "../registry.ts";
import {
  amountOf,
  CE_REGION,
  type CeMeter,
  ceNote,
  costAndUsage,
  Granularity,
  isEucService,
  readAmount,
  unitOf,
} from "./_ce.ts";
import { addDays, todayUtc } from "./_dates.ts";

/** Recent spend this many times the 30-day average inflates a forecast. */
const INFLATION_RATIO = 1.3;
/** Cost Explorer forecasts DAILY granularity at most three months ahead. */
const MAX_DAILY_FORECAST_DAYS = 90;

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
    mean: z.number().nullable().describe("Null when Cost Explorer's value could not be read (see errors)"),
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
    const money = (n: number | null, suffix = "") => usd(n, suffix, "?", { currency });
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
      xs.length ? cents(xs.reduce((n, d) => n + d.amount, 0) / xs.length) : null;
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
    const num = (s: string | undefined) => {
      const n = readAmount(s);
      return n === null ? null : cents(n);
    };
    const by_period = (forecast?.ForecastResultsByTime ?? []).map((f) => ({
      start: f.TimePeriod?.Start ?? "",
      end: f.TimePeriod?.End ?? "",
      mean: num(f.MeanValue),
      lower: num(f.PredictionIntervalLowerBound),
      upper: num(f.PredictionIntervalUpperBound),
    }));
    const forecast_total = forecast ? num(forecast.Total?.Amount) : null;
    // An unreadable mean or total is null with the reason in errors, never 0.
    const unreadable = by_period.filter((p) => p.mean === null).map((p) => p.start);
    if (forecast && (forecast_total === null || unreadable.length)) {
      const e = new MalformedResponseError(
        `unreadable forecast amounts (${
          [
            ...(forecast_total === null ? [`Total ${JSON.stringify(forecast.Total?.Amount ?? null)}`] : []),
            ...(unreadable.length ? [`MeanValue of ${unreadable.join(", ")}`] : []),
          ].join("; ")
        }); they are null, not 0`,
      );
      errors.push(classifyError(e, { service: "ce", operation: "GetCostForecast", region: CE_REGION }));
    }
    if (!forecast) notes.push("The forecast request failed (see errors); the run-rate figures are still valid.");
    if (recent !== null && trailing !== null && trailing > 0 && recent > INFLATION_RATIO * trailing) {
      notes.push(
        `FORECAST INFLATION: recent EUC spend (${money(recent, "/day")} over 7 days) is ` +
          `${(recent / trailing).toFixed(1)}× the 30-day average (${money(trailing, "/day")}). Cost ` +
          "Explorer weights recent days, so transient spend (running image builders, a one-off scale-up) inflates " +
          "this forecast; check get_euc_cost_summary with DAILY granularity and stop what is no longer needed.",
      );
    }
    notes.push("Days on the 1st of a month (monthly fees) are left out of both daily averages.");
    notes.push("The forecast is Cost Explorer's statistical model over list-rate unblended cost, not a commitment.");
    notes.push(ceNote(meter));
    return {
      summary: forecast_total === null
        ? `EUC forecast ${start} to ${end} unavailable (${errors[0]?.code ?? "no data"}); run-rate ${
          money(recent, "/day")
        } recent, ${money(trailing, "/day")} 30-day.`
        : `EUC forecast ${start} to ${end} (exclusive): ${money(forecast_total)}; run-rate ${
          money(recent, "/day")
        } recent vs ${money(trailing, "/day")} 30-day.`,
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
