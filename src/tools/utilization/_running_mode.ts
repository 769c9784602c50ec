/**
 * Running-mode advice, shared by recommend_running_mode: projected monthly billable hours against
 * the bundle's Price List break-even in both directions, with the Skip_Convert opt-out read only
 * for the candidates (one DescribeTags each, or tag:GetResources by ARN above 25, see _tag_sweep.ts).
 */
import { z } from "zod";
import { HOURS_PER_MONTH } from "../../aws/pricing.ts";
import { Collection } from "../_lib/collection.ts";
import { cents, plural, round, usd } from "../_lib/format.ts";
import type { ToolContext } from "../registry.ts";
import { missingPriceReason, PriceBook, priceSpec } from "./_price_book.ts";
import { addErrors, limiter } from "./_reader.ts";
import { type TagList, TagSweep } from "./_tag_sweep.ts";
import { ClassificationEnum, Confidence } from "./_schemas.ts";
import { analyzeRegions, type DesktopUsage, type RegionUsage, usagePeriod, workspaceFacts } from "./_usage.ts";

/** DescribeTags calls in flight at once (one resource per call is all the API takes). */
const TAG_CONCURRENCY = 24;
/**
 * Above this many running-mode candidates in a region, the Skip_Convert tags come from the Resource Groups Tagging
 * API (tag:GetResources, 100 desktops a call, _tag_sweep.ts) instead of one DescribeTags per candidate.
 */
const TAG_SWEEP_MIN_CANDIDATES = 25;
/** The opt-out tag of AWS Solutions' Cost Optimizer for WorkSpaces (key matched in any case). */
const SKIP_CONVERT_TAG = "skip_convert";

/** One running-mode recommendation. */
export const ModeRecommendation = z.object({
  target_id: z.string().describe("The desktop (WorkspaceId)"),
  region: z.string(),
  kind: z.literal("running_mode"),
  current: z.string().describe("ALWAYS_ON or AUTO_STOP"),
  recommended: z.string().describe("AUTO_STOP or ALWAYS_ON"),
  rationale: z.string(),
  estimated_monthly_savings_usd: z.number().nullable().describe(
    "List-price $/month saved (the least it can be when billable_hours is a range); null when not priced",
  ),
  estimated_monthly_savings_max_usd: z.number().nullable().describe("The most it can be (= the saving when exact)"),
  savings_note: z.string().nullable().describe("Why the saving is null or a range, when it is"),
  confidence: Confidence.describe("From data quality: window length, metric resolution, distance from break-even"),
  when_to_switch: z.string(),
  user_name: z.string().nullable(),
  classification: ClassificationEnum,
  active_days: z.number().int().nullable(),
  billable_hours: z.number().nullable().describe(
    "AutoStop-billed hours in the window; null: read hourly, see the range",
  ),
  billable_hours_range: z.object({ min: z.number(), max: z.number() }).nullable().describe(
    "Bounds of billable_hours from hourly data (the recommendation holds anywhere in them); null when exact",
  ),
  projected_monthly_billable_hours: z.number().describe(
    `billable_hours (else the bound nearest the break-even) scaled to a ${HOURS_PER_MONTH}-hour month`,
  ),
  breakeven_hours_per_month: z.number().nullable().describe("Above this AlwaysOn is cheaper, below it AutoStop"),
  alwayson_monthly_usd: z.number().nullable(),
  autostop_monthly_base_usd: z.number().nullable(),
  autostop_hourly_usd: z.number().nullable(),
  license_model: z.string().nullable(),
  compute_type: z.string().nullable(),
  operating_system: z.string().nullable(),
  root_volume_gib: z.number().nullable(),
  user_volume_gib: z.number().nullable(),
  last_connection: z.string().nullable(),
  opt_out_checked: z.boolean().describe(
    "True: the Skip_Convert tag was read (a desktop whose tag cannot be read is skipped, not recommended)",
  ),
});
type ModeRecommendationData = z.infer<typeof ModeRecommendation>;

/** A desktop the advice skipped, with the reason. */
export const Skipped = z.object({
  target_id: z.string(),
  region: z.string(),
  current: z.string().nullable(),
  reason: z.string(),
});
type SkippedData = z.infer<typeof Skipped>;

const SWITCH_TO_AUTO_STOP = "At the end of the month: AlwaysOn is billed monthly (this month is already paid), " +
  "and AutoStop's hourly billing restarts each month.";
const SWITCH_TO_ALWAYS_ON = "At the end of the month, before the next one starts: AutoStop hours already billed " +
  "this month are not refunded, and AlwaysOn is a monthly fee.";

/** Confidence from data quality: window length, resolution and the distance from the break-even. */
function modeConfidence(lookback: number, period: number, projected: number, breakEven: number | null): Confidence {
  const levels: Confidence[] = ["low", "medium", "high"];
  let level = 0;
  if (breakEven !== null && breakEven > 0) {
    const margin = Math.abs(projected - breakEven) / breakEven;
    level = margin >= 0.5 ? 2 : margin >= 0.2 ? 1 : 0;
  } else {
    level = projected === 0 ? 1 : 0;
  }
  if (lookback < 7) level = 0;
  else if (lookback < 14) level = Math.min(level, 1);
  if (period > 300) level = Math.min(level, 1);
  return levels[level];
}

/** Running-mode advice over regions: recommendations, skipped desktops and counts. */
export interface ModeAdvice {
  recommendations: ModeRecommendationData[];
  skipped: SkippedData[];
  evaluated: number;
  alreadyOptimal: number;
  optedOut: number;
  notApplicable: number;
  /** Candidates not advised on because their Skip_Convert opt-out could not be read (also in `skipped`). */
  optOutUnknown: number;
  /** What the reader should know about how the opt-out was read (e.g. a denied tag:GetResources sweep). */
  notes: string[];
  usage: RegionUsage[];
}

/**
 * Running-mode advice for every desktop of the regions: projected monthly billable hours against
 * the bundle's break-even, both directions, the Skip_Convert opt-out read only for candidates.
 * Exported for the health report.
 */
export async function runningModeAdvice(
  ctx: ToolContext,
  regions: readonly string[],
  lookback: number,
  col: Collection,
): Promise<ModeAdvice> {
  const advice: ModeAdvice = {
    recommendations: [],
    skipped: [],
    evaluated: 0,
    alreadyOptimal: 0,
    optedOut: 0,
    notApplicable: 0,
    optOutUnknown: 0,
    notes: [],
    usage: [],
  };
  const prices = new PriceBook(ctx, col);
  const tags = limiter(TAG_CONCURRENCY);
  const sweep = new TagSweep(ctx);
  const period = usagePeriod(lookback);
  const work: Promise<void>[] = [];
  // Each chunk of classified desktops is evaluated (prices, opt-out tags) while the next ones are read.
  const onChunk = (region: string, desktops: DesktopUsage[]) => {
    work.push(adviseChunk(ctx, region, desktops, lookback, period, prices, tags, sweep, advice, col));
    return Promise.resolve();
  };
  // Exact (5-minute) figures only for the desktops whose outcome could go either way within their hourly
  // bounds: every other desktop gets the same recommendation at any value in its bounds.
  const scale = HOURS_PER_MONTH / (lookback * 24);
  const refine = async (region: string, d: DesktopUsage) => {
    const current = d.workspace.WorkspaceProperties?.RunningMode;
    if (current !== "ALWAYS_ON" && current !== "AUTO_STOP") return false;
    if (d.classification === "unknown" || d.classification === "no_data") return false;
    const p = (await prices.get(region, priceSpec(d.workspace)))?.price;
    return straddles(current, d, p?.autostop_breakeven_hours_per_month ?? null, scale);
  };
  advice.usage = await analyzeRegions(ctx, regions, lookback, col, { onChunk, refine });
  await Promise.all(work);
  // A failed tag:GetResources sweep is named, not silent: its error, and what the fallback cost.
  for (const [region, failure] of sweep.failures) {
    addErrors(col, [failure.error]);
    advice.notes.push(
      `${failure.error.code} on tag:GetResources in ${region}: the Skip_Convert opt-out was read with one ` +
        `workspaces:DescribeTags call per candidate instead (${plural(failure.fallbackCalls, "call")}); grant ` +
        "tag:GetResources to read it 100 desktops a call.",
    );
  }
  const listed = new Set(advice.usage.map((u) => u.region));
  // A region whose listing failed half-way is reported in errors, not advised on from a partial list.
  advice.recommendations = advice.recommendations.filter((r) => listed.has(r.region));
  advice.skipped = advice.skipped.filter((r) => listed.has(r.region));
  const regionRank = (r: string) => regions.indexOf(r);
  advice.skipped.sort((a, b) => regionRank(a.region) - regionRank(b.region) || a.target_id.localeCompare(b.target_id));
  advice.recommendations.sort((a, b) =>
    (b.estimated_monthly_savings_usd ?? -Infinity) - (a.estimated_monthly_savings_usd ?? -Infinity) ||
    a.target_id.localeCompare(b.target_id)
  );
  return advice;
}

/** Projected monthly hours: billable hours scaled to a 730-hour month, at most the month. */
function project(billable: number, scale: number): number {
  return round(Math.min(HOURS_PER_MONTH, billable * scale));
}

/**
 * Whether some billable-hours value within the desktop's bounds makes it a recommendation candidate
 * (exactly the conditions adviseChunk recommends on). Unbounded: yes.
 */
function mayBeCandidate(current: string, d: DesktopUsage, be: number | null, scale: number): boolean {
  const range = d.billable_range;
  if (be !== null) {
    if (!range) return true;
    return current === "ALWAYS_ON" ? project(range.min, scale) < be : project(range.max, scale) > be;
  }
  return current === "ALWAYS_ON" && (d.classification === "unused" || d.classification === "idle");
}

/**
 * Whether the desktop's outcome could go either way within its hourly bounds, so only 5-minute data
 * decides it: a candidate at one bound and not at the other, or no bounds. Without a break-even an
 * AlwaysOn unused or idle desktop is a candidate whatever its hours, and is read exactly (few points).
 */
function straddles(current: string, d: DesktopUsage, be: number | null, scale: number): boolean {
  const range = d.billable_range;
  if (be === null || !range) return mayBeCandidate(current, d, be, scale);
  const lo = project(range.min, scale);
  const hi = project(range.max, scale);
  return current === "ALWAYS_ON" ? lo < be && hi >= be : hi > be && lo <= be;
}

/** Running-mode advice for one chunk of a region's desktops. */
async function adviseChunk(
  ctx: ToolContext,
  region: string,
  desktops: readonly DesktopUsage[],
  lookback: number,
  period: number,
  prices: PriceBook,
  tags: <T>(task: () => Promise<T>) => Promise<T>,
  sweep: TagSweep,
  advice: ModeAdvice,
  col: Collection,
): Promise<void> {
  const scale = HOURS_PER_MONTH / (lookback * 24);
  const candidates: ModeRecommendationData[] = [];
  for (const d of desktops) {
    const w = d.workspace;
    const current = w.WorkspaceProperties?.RunningMode;
    if (current !== "ALWAYS_ON" && current !== "AUTO_STOP") {
      advice.notApplicable++;
      continue;
    }
    if (d.classification === "unknown" || d.classification === "no_data") {
      advice.skipped.push({
        target_id: w.WorkspaceId!,
        region,
        current,
        reason: `No usable connection data (${d.classification}): ${d.classification_reason}`,
      });
      continue;
    }
    advice.evaluated++;
    const priced = await prices.get(region, priceSpec(w));
    const p = priced?.price;
    const be = p?.autostop_breakeven_hours_per_month ?? null;
    // Read hourly only: the outcome is the same anywhere within its bounds (else it was read at 5 minutes).
    const range = d.exact ? null : d.billable_range;
    if (!d.exact) {
      if (straddles(current, d, be, scale)) throw new Error(`${w.WorkspaceId} was not refined`);
      if (be === null || !p) {
        advice.skipped.push({
          target_id: w.WorkspaceId!,
          region,
          current,
          reason: missingPriceReason(priced, "break-even hours and no dollar figure"),
        });
        continue;
      }
      if (!mayBeCandidate(current, d, be, scale)) {
        advice.alreadyOptimal++;
        continue;
      }
    }
    // A bounded candidate is figured at the bound nearest the break-even (its least saving) and at the other.
    const near = range ? (current === "ALWAYS_ON" ? range.max : range.min) : d.billable_hours ?? 0;
    const far = range ? (current === "ALWAYS_ON" ? range.min : range.max) : near;
    const projected = project(near, scale);
    const projectedFar = project(far, scale);
    const base = {
      target_id: w.WorkspaceId!,
      region,
      kind: "running_mode" as const,
      current,
      confidence: modeConfidence(lookback, period, projected, be),
      user_name: w.UserName ?? null,
      classification: d.classification,
      active_days: d.active_days,
      billable_hours: d.billable_hours,
      billable_hours_range: range ? { min: range.min, max: range.max } : null,
      projected_monthly_billable_hours: projected,
      breakeven_hours_per_month: be,
      alwayson_monthly_usd: p?.alwayson_monthly_usd ?? null,
      autostop_monthly_base_usd: p?.autostop_monthly_base_usd ?? null,
      autostop_hourly_usd: p?.autostop_hourly_usd ?? null,
      license_model: p?.license_model ?? null,
      ...workspaceFacts(w),
      last_connection: d.last_connection,
      opt_out_checked: true,
    };
    const bound = current === "ALWAYS_ON" ? "at most" : "at least";
    const usageText = range
      ? `${range.min}–${range.max} billable hours in ${lookback} days (hourly data, ${
        plural(d.active_days ?? 0, "day")
      }) project to ${bound} ${projected} hours a month`
      : `${d.billable_hours} billable hours in ${lookback} days (${plural(d.sessions ?? 0, "session")} on ${
        plural(d.active_days ?? 0, "day")
      }) project to ${projected} hours a month`;
    const about = range ? bound : "about";
    if (be !== null && p) {
      const autoStop = (hours: number) => p.autostop_monthly_base_usd! + p.autostop_hourly_usd! * hours;
      const autoStopCost = autoStop(projected);
      const alwaysOn = p.alwayson_monthly_usd!;
      const saving = (hours: number) =>
        cents(current === "ALWAYS_ON" ? alwaysOn - autoStop(hours) : autoStop(hours) - alwaysOn);
      const savings = {
        estimated_monthly_savings_usd: saving(projected),
        estimated_monthly_savings_max_usd: saving(projectedFar),
        savings_note: range
          ? `At least: read hourly, this desktop saves between ${usd(saving(projected))} and ${
            usd(saving(projectedFar))
          } a month (${range.min}–${range.max} billable hours); the recommendation holds anywhere in that range.`
          : null,
      };
      if (current === "ALWAYS_ON" && projected < be) {
        candidates.push({
          ...base,
          recommended: "AUTO_STOP",
          rationale: `${usageText}, below the ${be}-hour break-even of this bundle: AutoStop would cost ${about} ` +
            `${usd(cents(autoStopCost))} a month (${usd(p.autostop_monthly_base_usd)} + ${
              usd(p.autostop_hourly_usd, "/h")
            }) ` +
            `instead of ${usd(alwaysOn)} AlwaysOn.`,
          ...savings,
          when_to_switch: SWITCH_TO_AUTO_STOP,
        });
      } else if (current === "AUTO_STOP" && projected > be) {
        candidates.push({
          ...base,
          recommended: "ALWAYS_ON",
          rationale: `${usageText}, above the ${be}-hour break-even of this bundle: AutoStop costs ${about} ` +
            `${usd(cents(autoStopCost))} a month (${usd(p.autostop_monthly_base_usd)} + ${
              usd(p.autostop_hourly_usd, "/h")
            } × ` +
            `${projected} h) against ${usd(alwaysOn)} AlwaysOn.`,
          ...savings,
          when_to_switch: SWITCH_TO_ALWAYS_ON,
        });
      } else {
        advice.alreadyOptimal++;
      }
      continue;
    }
    const reason = missingPriceReason(priced, "break-even hours and no dollar figure");
    if (current === "ALWAYS_ON" && (d.classification === "unused" || d.classification === "idle")) {
      // Without a break-even, an AlwaysOn desktop nobody (or almost nobody) uses is still worth switching.
      candidates.push({
        ...base,
        confidence: base.confidence === "high" ? "medium" : base.confidence,
        recommended: "AUTO_STOP",
        rationale: `${usageText}: the desktop is ${d.classification}, so AutoStop almost certainly costs less ` +
          "than the AlwaysOn monthly fee, but the break-even could not be priced.",
        estimated_monthly_savings_usd: null,
        estimated_monthly_savings_max_usd: null,
        savings_note: reason,
        when_to_switch: SWITCH_TO_AUTO_STOP,
      });
    } else {
      advice.skipped.push({ target_id: w.WorkspaceId!, region, current, reason });
    }
  }
  // The opt-out tag is read only for the candidates: one DescribeTags per desktop, or for many candidates one
  // tag:GetResources read of their tags (falling back to DescribeTags if the Tagging API fails).
  const swept = candidates.length > TAG_SWEEP_MIN_CANDIDATES || sweep.started(region)
    ? await sweep.get(region, candidates.map((c) => c.target_id))
    : undefined;
  if (!swept && sweep.failures.has(region)) sweep.failures.get(region)!.fallbackCalls += candidates.length;
  await Promise.all(candidates.map((c) =>
    tags(async () => {
      const list = swept ? swept.get(c.target_id) ?? [] : await readTags(ctx, c.region, c.target_id, col);
      const optOut = list?.find((t) => (t.Key ?? "").toLowerCase() === SKIP_CONVERT_TAG);
      if (optOut) {
        advice.optedOut++;
        advice.skipped.push({
          target_id: c.target_id,
          region: c.region,
          current: c.current,
          reason: `Opted out with the tag ${optOut.Key}=${optOut.Value ?? ""}: would have been ${c.recommended}` +
            (c.estimated_monthly_savings_usd !== null
              ? ` (about ${usd(c.estimated_monthly_savings_usd, "/month")})`
              : "") +
            ".",
        });
        return;
      }
      if (!list) {
        // A change the opt-out might forbid is not recommended: listed with the reason instead.
        advice.optOutUnknown++;
        advice.skipped.push({
          target_id: c.target_id,
          region: c.region,
          current: c.current,
          reason: "The Skip_Convert opt-out tag could not be read (workspaces:DescribeTags failed" +
            (sweep.failures.has(c.region) ? ", and so did tag:GetResources" : "") +
            `; see errors), so no change is recommended: it would have been ${c.recommended}` +
            (c.estimated_monthly_savings_usd !== null
              ? ` (about ${usd(c.estimated_monthly_savings_usd, "/month")})`
              : "") +
            ".",
        });
        return;
      }
      advice.recommendations.push(c);
    })
  ));
}

/** A desktop's tags, or undefined (error recorded once) when DescribeTags fails. */
async function readTags(ctx: ToolContext, region: string, id: string, col: Collection): Promise<TagList | undefined> {
  const scratch = new Collection();
  const out = await scratch.attempt(
    { service: "workspaces", operation: "DescribeTags", region },
    () => ctx.aws.call("workspaces", "DescribeTags", { ResourceId: id }, { region, signal: ctx.signal }),
  );
  addErrors(col, scratch.errors);
  return out ? out.TagList ?? [] : undefined;
}
