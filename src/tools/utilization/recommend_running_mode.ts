/** recommend_running_mode: AlwaysOn ↔ AutoStop advice from billable hours and the bundle's break-even. */
import { z } from "zod";
import { HOURS_PER_MONTH } from "../../aws/pricing.ts";
import { Collection } from "../_lib/collection.ts";
import { cents, plural, usd } from "../_lib/format.ts";
import { checkToken, descNullsLast, pageOf } from "../_lib/paging.ts";
import { Errors, Notes, RefreshInput, RegionInput, RegionsInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef } from "../registry.ts";
import { LIST_PRICE_NOTE } from "./_price_book.ts";
import { ModeRecommendation, runningModeAdvice, Skipped } from "./_running_mode.ts";
import { Datapoints, Limit, lookbackDays, MAX_SKIPPED_LISTED, NextToken, PageFields } from "./_schemas.ts";
import { datapointsOf, usageNotes } from "./_usage.ts";

const RunningModeInput = z.object({
  region: RegionInput,
  regions: RegionsInput,
  refresh: RefreshInput,
  lookback_days: lookbackDays(14),
  limit: Limit,
  next_token: NextToken,
});

const RunningModeOutput = z.object({
  region: z.string(),
  regions: z.array(z.string()),
  lookback_days: z.number().int(),
  evaluated: z.number().int().describe("AlwaysOn and AutoStop desktops compared with their break-even"),
  counts: z.object({
    to_auto_stop: z.number().int(),
    to_always_on: z.number().int(),
    already_optimal: z.number().int().describe("Evaluated and already in the cheaper mode"),
    skipped: z.number().int().describe("Opted out, no usable data, or no break-even to compare with"),
    opted_out: z.number().int().describe("Candidates tagged Skip_Convert"),
    not_applicable: z.number().int().describe("Desktops in another running mode (e.g. MANUAL)"),
  }),
  total_estimated_monthly_savings_usd: z.number().describe("Sum of the non-null savings of all recommendations"),
  total_estimated_monthly_savings_max_usd: z.number().describe("The same sum of the most each can save"),
  datapoints: Datapoints,
  recommendations: z.array(ModeRecommendation).describe("Largest saving first"),
  ...PageFields,
  skipped: z.array(Skipped).describe(`Skipped desktops with the reason (at most ${MAX_SKIPPED_LISTED} listed)`),
  errors: Errors,
  notes: Notes,
});

/** AlwaysOn ↔ AutoStop advice from billable hours and the bundle's break-even. */
export const recommendRunningMode: ToolDef<typeof RunningModeInput, typeof RunningModeOutput> = {
  name: "recommend_running_mode",
  title: "Recommend WorkSpaces running modes",
  toolset: "utilization",
  tier: 1,
  actions: [
    "cloudwatch:GetMetricData",
    "pricing:GetProducts",
    "tag:GetResources",
    "workspaces:DescribeTags",
    "workspaces:DescribeWorkspaceBundles",
    "workspaces:DescribeWorkspaceDirectories",
    "workspaces:DescribeWorkspaces",
    "workspaces:DescribeWorkspacesConnectionStatus",
  ],
  annotations: READ_ONLY,
  description: "Which WorkSpaces Personal desktops should switch running mode, and what it saves a month. " +
    "Projects each desktop's billable hours (UserConnected sessions + AutoStop timeout) to a 730-hour " +
    "month and compares them with the bundle's break-even from the AWS Price List (licence-aware): AlwaysOn below " +
    "the break-even → AUTO_STOP, AutoStop above it → ALWAYS_ON, each with estimated_monthly_savings_usd (list " +
    "prices; null with a reason when not published) and a confidence. Desktops tagged Skip_Convert (any case) are " +
    "skipped and listed, and so are those whose tag cannot be read (no change it cannot prove is allowed). Needs tier 1 (pricing:GetProducts) for the dollar figures.",
  input: RunningModeInput,
  output: RunningModeOutput,
  async run(ctx, args) {
    checkToken("recommend_running_mode", args.next_token);
    const regions = await ctx.regions(args, true);
    const col = new Collection();
    const advice = await runningModeAdvice(ctx, regions, args.lookback_days, col);
    col.failIfNothing("desktops");
    const recs = advice.recommendations;
    // A total order (largest savings first, unpriced last; then region, id): pages are exact whatever order AWS answered in.
    const page = pageOf(
      "recommend_running_mode",
      recs,
      args.limit,
      args.next_token,
      undefined,
      (r) => [...descNullsLast(r.estimated_monthly_savings_usd), r.region, r.target_id],
    );
    const total = cents(recs.reduce((s, r) => s + (r.estimated_monthly_savings_usd ?? 0), 0));
    const totalMax = cents(recs.reduce((s, r) => s + (r.estimated_monthly_savings_max_usd ?? 0), 0));
    const bounded = recs.filter((r) => r.billable_hours_range !== null).length;
    const toAutoStop = recs.filter((r) => r.recommended === "AUTO_STOP").length;
    const toAlwaysOn = recs.length - toAutoStop;
    const notes = [
      LIST_PRICE_NOTE,
      `projected_monthly_billable_hours = billable_hours × ${HOURS_PER_MONTH} / (lookback_days × 24); the ` +
      "break-even is (AlwaysOn monthly − AutoStop monthly base) / AutoStop hourly rate.",
      ...usageNotes(advice.usage, args.lookback_days).slice(1, 2),
      "Every desktop is read hourly, and again at 5 minutes only when its recommendation could go either way " +
      "within its hourly bounds: which desktops switch, and which way, is what the 5-minute data gives.",
    ];
    if (bounded) {
      notes.push(
        `${plural(bounded, "recommendation")} held anywhere within the hourly bounds, so ${
          bounded === 1 ? "its" : "their"
        } billable hours are a range (billable_hours_range) and the saving is the least it can be: the total lies ` +
          `between ${usd(total)} and ${usd(totalMax)} a month.`,
      );
    }
    const unpriced = recs.filter((r) => r.estimated_monthly_savings_usd === null).length;
    if (unpriced) {
      notes.push(
        `${plural(unpriced, "recommendation")} could not be priced (savings null, see savings_note); the total ` +
          "covers the priced ones only.",
      );
    }
    if (advice.notApplicable) {
      notes.push(
        `${plural(advice.notApplicable, "desktop")} in another running mode (e.g. MANUAL) ${
          advice.notApplicable === 1 ? "was" : "were"
        } not evaluated.`,
      );
    }
    notes.push(...advice.notes);
    if (advice.optOutUnknown) {
      notes.push(
        `${plural(advice.optOutUnknown, "desktop")} got no recommendation because the Skip_Convert opt-out could ` +
          "not be read (listed in skipped with the reason); grant workspaces:DescribeTags or tag:GetResources.",
      );
    }
    if (advice.skipped.length > MAX_SKIPPED_LISTED) {
      notes.push(`${advice.skipped.length} desktops were skipped; the first ${MAX_SKIPPED_LISTED} are listed.`);
    }
    if (page.truncated) notes.push("Pass next_token (with the same arguments) for the next page.");
    return {
      summary: `Running mode in ${regions.join(", ")} over ${args.lookback_days} days: ${toAutoStop} to AutoStop, ` +
        `${toAlwaysOn} to AlwaysOn, ${
          total === totalMax ? `about ${usd(total, "/month")}` : `${usd(total)}–${usd(totalMax, "/month")}`
        } at list prices; ${advice.alreadyOptimal} already optimal, ` +
        `${advice.skipped.length} skipped (${advice.optedOut} opted out)${
          col.errors.length ? `, ${plural(col.errors.length, "error")}` : ""
        }.`,
      data: {
        region: regions.join(","),
        regions,
        lookback_days: args.lookback_days,
        evaluated: advice.evaluated,
        counts: {
          to_auto_stop: toAutoStop,
          to_always_on: toAlwaysOn,
          already_optimal: advice.alreadyOptimal,
          skipped: advice.skipped.length,
          opted_out: advice.optedOut,
          not_applicable: advice.notApplicable,
        },
        total_estimated_monthly_savings_usd: total,
        total_estimated_monthly_savings_max_usd: totalMax,
        datapoints: datapointsOf(advice.usage),
        recommendations: page.items,
        total_count: page.total_count,
        truncated: page.truncated,
        next_token: page.next_token,
        skipped: advice.skipped.slice(0, MAX_SKIPPED_LISTED),
        errors: col.errors,
        notes,
      },
    };
  },
};
