/**
 * compare_euc_costs: what changed between two windows of EUC spend, by service, by
 * Personal/Pools/Core, and by usage type. A discovery request over both windows finds the exact
 * EUC SERVICE names, so the two detailed queries stay small.
 */
import { z } from "zod";
import { Collection } from "../_lib/collection.ts";
import { cents, usd, usdDelta } from "../_lib/format.ts";
import { Errors, Notes } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef, ToolFailure } from "../registry.ts";
import {
  amountOf,
  CE_REGION,
  type CeMeter,
  ceNote,
  costAndUsage,
  isEucService,
  isPlainWorkSpaces,
  productOf,
  unitOf,
  usageCategory,
} from "./_ce.ts";
import { addDays, checkWindow, DateString, daysBetween, todayUtc } from "./_dates.ts";

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
          baseline: cents(b),
          comparison: cents(c),
          delta: cents(c - b),
        });
      }
    }
    for (const rec of [by_service_delta, by_category_delta]) {
      for (const d of Object.values(rec)) {
        d.baseline = cents(d.baseline);
        d.comparison = cents(d.comparison);
        d.delta = cents(d.comparison - d.baseline);
      }
    }
    drivers.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta));
    const delta = cents(comparison_total - baseline_total);
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
    const money = (n: number) => usd(cents(n), "", "n/a", { currency });
    const signed = (n: number) => usdDelta(cents(n), "", "n/a", { currency });
    return {
      summary: `EUC spend ${comparison.start}..${comparison.end}: ${money(comparison_total)} vs ${
        money(baseline_total)
      } (${signed(delta)}${delta_pct === null ? "" : `, ${delta_pct >= 0 ? "+" : ""}${delta_pct}%`})${
        top ? `; top driver ${top.usage_type} (${signed(top.delta)})` : ""
      }.`,
      data: {
        baseline_start: baseline.start,
        baseline_end: baseline.end,
        comparison_start: comparison.start,
        comparison_end: comparison.end,
        currency,
        baseline_total: cents(baseline_total),
        comparison_total: cents(comparison_total),
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
