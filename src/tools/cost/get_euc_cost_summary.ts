/**
 * get_euc_cost_summary: EUC spend over a window by service, the Amazon WorkSpaces line split by
 * usage type, and by period. Every GetCostAndUsage page is one counted request ($0.01 each).
 */
import { z } from "zod";
import type { AwsErrorInfo } from "../../aws/errors.ts";
import { Collection } from "../_lib/collection.ts";
import { cents, usd } from "../_lib/format.ts";
import { PRODUCT } from "../../names.ts";
import { Errors, Notes } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef } from "../registry.ts";
import {
  amountOf,
  CE_REGION,
  type CeMeter,
  ceNote,
  costAndUsage,
  Granularity,
  isEucService,
  isPlainWorkSpaces,
  productOf,
  type ResultByTime,
  unitOf,
  usageCategory,
} from "./_ce.ts";
import { addDays, checkDay, checkWindow, DateString, todayUtc } from "./_dates.ts";

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
    'The Amazon WorkSpaces line split by usage type, keyed as the Python server keys it: "WorkSpaces Personal", ' +
      '"WorkSpaces Pools", "WorkSpaces Core (Managed Instances)" (zero buckets dropped)',
  ),
  workspaces_breakdown_by_product: z.record(z.string(), z.number()).describe(
    "The same split keyed by current product name (Amazon WorkSpaces Personal, Pools, Core Managed Instances)",
  ),
  by_period: z.array(z.object({
    start: z.string(),
    end: z.string(),
    total: z.number(),
    by_service: z.array(z.object({ service: z.string(), amount: z.number() })).describe(
      "Largest first, as the Python server lists them",
    ),
    amounts_by_service: z.record(z.string(), z.number()).describe("The same amounts as a map by product name"),
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
  // The default start is computed from end_date: check it is a calendar date first.
  checkDay("end_date", end);
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
        bySvc[name] = cents((bySvc[name] ?? 0) + amount);
        total += amount;
      }
      return {
        start: r.TimePeriod?.Start ?? "",
        end: r.TimePeriod?.End ?? "",
        total: cents(total),
        by_service: Object.entries(bySvc).map(([service, amount]) => ({ service, amount }))
          .sort((a, b) => b.amount - a.amount),
        amounts_by_service: bySvc,
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
          amount: cents(amount),
          reason: "Thin Client devices are hardware, not EUC compute; left out of the totals",
        });
      }
    }
    const by_service = [...grouped.entries()]
      .map(([service, g]) => ({ service, amount: cents(g.amount), ce_services: g.labels.sort() }))
      .sort((a, b) => b.amount - a.amount);
    const total = cents([...grouped.values()].reduce((n, g) => n + g.amount, 0));

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
    const money = (n: number) => usd(n, "", "n/a", { currency });
    const top = by_service.slice(0, 3).map((s) => `${s.service} ${money(s.amount)}`).join(", ");
    return {
      summary: `EUC spend ${start} to ${end} (exclusive): ${money(total)}${top ? ` (${top})` : ""}; ` +
        `${meter.requests} Cost Explorer request${meter.requests === 1 ? "" : "s"}.`,
      data: {
        scope: "account-wide",
        start,
        end,
        granularity: args.granularity,
        currency,
        total,
        by_service,
        workspaces_breakdown: referenceBreakdown(workspaces_breakdown),
        workspaces_breakdown_by_product: workspaces_breakdown,
        by_period,
        excluded,
        ce_requests: meter.requests,
        errors,
        notes,
      },
    };
  },
};

/** The Python server's keys of the WorkSpaces split, by our product name. */
const REFERENCE_BREAKDOWN_KEY: Readonly<Record<string, string>> = {
  [PRODUCT.personal]: "WorkSpaces Personal",
  [PRODUCT.pools]: "WorkSpaces Pools",
  [PRODUCT.core]: "WorkSpaces Core (Managed Instances)",
};

/** The WorkSpaces split re-keyed as the Python server keys it. */
export function referenceBreakdown(byProduct: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(byProduct).map(([k, v]) => [REFERENCE_BREAKDOWN_KEY[k] ?? k, v]));
}

function splitWorkSpaces(results: ResultByTime[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    for (const g of r.Groups ?? []) {
      const bucket = usageCategory(g.Keys?.[0] ?? "");
      out[bucket] = (out[bucket] ?? 0) + amountOf(g.Metrics);
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, cents(v)]).filter(([, v]) => v !== 0));
}
