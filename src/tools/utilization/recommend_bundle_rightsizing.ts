/** recommend_bundle_rightsizing: one compute-type step down or up from hourly CPU and memory peaks. */
import { z } from "zod";
import type { Workspace } from "../../aws/listing.ts";
import { metricWindow, percentile, type Series } from "../../aws/metrics.ts";
import { Collection } from "../_lib/collection.ts";
import { forEachRegion } from "../_lib/fanout.ts";
import { cents, DAY, plural, round, usd } from "../_lib/format.ts";
import { checkToken, descNullsLast, pageOf } from "../_lib/paging.ts";
import { Errors, Notes, RefreshInput, RegionInput, RegionsInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef } from "../registry.ts";
import { maxOf } from "./_history.ts";
import { LIST_PRICE_NOTE, missingPriceReason, PriceBook, type Priced, priceSpec } from "./_price_book.ts";
import { type DesktopMetrics, readDesktops, usageContext } from "./_reader.ts";
import { Confidence, Datapoints, Limit, lookbackDays, NextToken, PageFields } from "./_schemas.ts";

/** General-purpose compute types, smallest first: the only ones rightsizing steps through. */
const SIZES = ["VALUE", "STANDARD", "PERFORMANCE", "POWER", "POWERPRO"] as const;
/** Hourly CPU and memory datapoints a desktop needs before it gets a recommendation (one day's worth). */
const MIN_HOURLY_DATAPOINTS = 24;
/** Datapoints (three days) below which a recommendation is at most medium confidence. */
const SOLID_HOURLY_DATAPOINTS = 72;
/** Downsize one step when the PEAK stays under both (so the smaller bundle has headroom for the worst hour). */
const DOWNSIZE = { peakCpu: 30, peakMemory: 40, highConfidencePeakCpu: 15 } as const;
/** Upsize one step when the p95 of the hourly peaks exceeds either (p95, so one spike does not upsize). */
const UPSIZE = { p95Cpu: 85, p95Memory: 85, highConfidenceP95: 95 } as const;

const RightsizingInput = z.object({
  region: RegionInput,
  regions: RegionsInput,
  refresh: RefreshInput,
  lookback_days: lookbackDays(7),
  limit: Limit,
  next_token: NextToken,
});

const SizeRecommendation = z.object({
  target_id: z.string(),
  region: z.string(),
  kind: z.literal("bundle_rightsizing"),
  direction: z.enum(["downsize", "upsize"]),
  current: z.string().describe("Current compute type"),
  recommended: z.string().describe("Compute type one step down or up"),
  rationale: z.string(),
  estimated_monthly_savings_usd: z.number().nullable().describe(
    "AlwaysOn desktops: current − target AlwaysOn monthly list price at the same OS and storage; NEGATIVE for an " +
      "upsize (the extra cost). Null for AutoStop desktops (depends on hours) or when not priced (see savings_note).",
  ),
  savings_note: z.string().nullable(),
  confidence: Confidence,
  running_mode: z.string().nullable(),
  user_name: z.string().nullable(),
  operating_system: z.string().nullable(),
  cpu_peak_pct: z.number(),
  cpu_p95_pct: z.number().describe("95th percentile of the hourly CPU peaks"),
  memory_peak_pct: z.number(),
  memory_p95_pct: z.number(),
  datapoints: z.number().int().describe("Hourly datapoints the decision rests on"),
  current_alwayson_monthly_usd: z.number().nullable(),
  target_alwayson_monthly_usd: z.number().nullable(),
  current_autostop_hourly_usd: z.number().nullable(),
  target_autostop_hourly_usd: z.number().nullable(),
});
type SizeRecommendationData = z.infer<typeof SizeRecommendation>;

const RightsizingOutput = z.object({
  region: z.string(),
  regions: z.array(z.string()),
  lookback_days: z.number().int(),
  thresholds: z.object({
    min_hourly_datapoints: z.number().int(),
    downsize_peak_cpu_below_pct: z.number(),
    downsize_peak_memory_below_pct: z.number(),
    upsize_p95_cpu_above_pct: z.number(),
    upsize_p95_memory_above_pct: z.number(),
  }),
  evaluated: z.number().int().describe("General-purpose desktops with enough data"),
  datapoints: Datapoints.describe("CPUUsage and MemoryUsage datapoints read at each resolution (hourly peaks)"),
  counts: z.object({
    downsize: z.number().int(),
    upsize: z.number().int(),
    right_sized: z.number().int(),
    insufficient_data: z.number().int().describe(`Fewer than ${MIN_HOURLY_DATAPOINTS} hourly datapoints`),
    not_general_purpose: z.number().int().describe("Graphics and other compute types are not stepped"),
    metrics_unavailable: z.number().int(),
  }),
  total_estimated_monthly_savings_usd: z.number().describe("Sum of the non-null savings (upsizes count negative)"),
  recommendations: z.array(SizeRecommendation).describe("Downsizes by saving first, then upsizes"),
  ...PageFields,
  errors: Errors,
  notes: Notes,
});

interface Sized {
  d: { w: Workspace; region: string };
  direction: "downsize" | "upsize";
  target: string;
  cpu: { peak: number; p95: number };
  mem: { peak: number; p95: number };
  n: number;
  confidence: Confidence;
}

/** One step down or up for every general-purpose desktop whose CPU and memory say so. */
export const recommendBundleRightsizing: ToolDef<typeof RightsizingInput, typeof RightsizingOutput> = {
  name: "recommend_bundle_rightsizing",
  title: "Recommend WorkSpaces bundle rightsizing",
  toolset: "utilization",
  tier: 0,
  actions: [
    "cloudwatch:GetMetricData",
    "workspaces:DescribeWorkspaceBundles",
    "workspaces:DescribeWorkspaceDirectories",
    "workspaces:DescribeWorkspaces",
  ],
  enrichment: { "pricing:GetProducts": 1 },
  annotations: READ_ONLY,
  description: "Which WorkSpaces Personal desktops are over- or under-sized, from hourly CPUUsage and MemoryUsage " +
    "peaks over lookback_days (default 7). General-purpose compute only (VALUE → STANDARD → PERFORMANCE → POWER → " +
    `POWERPRO), one step at a time; needs ${MIN_HOURLY_DATAPOINTS} hourly datapoints. Downsize when peak CPU < ` +
    `${DOWNSIZE.peakCpu}% and peak memory < ${DOWNSIZE.peakMemory}%; upsize when the p95 of hourly CPU or memory ` +
    `peaks > ${UPSIZE.p95Cpu}% (one spike does not upsize). AlwaysOn desktops get a monthly $ difference from the ` +
    "Price List when tier 1 is granted (negative = an upsize's extra cost).",
  input: RightsizingInput,
  output: RightsizingOutput,
  async run(ctx, args) {
    checkToken("recommend_bundle_rightsizing", args.next_token);
    const regions = await ctx.regions(args, true);
    const col = new Collection();
    const lookback = args.lookback_days;
    const counts = {
      downsize: 0,
      upsize: 0,
      right_sized: 0,
      insufficient_data: 0,
      not_general_purpose: 0,
      metrics_unavailable: 0,
    };
    let evaluated = 0;
    let hourlyPoints = 0;
    const recs: SizeRecommendationData[] = [];
    let done = 0;
    const prices = new PriceBook(ctx, col);
    const window = metricWindow(lookback * DAY, 3600);
    await forEachRegion(ctx, regions, async (region) => {
      // Only general-purpose desktops are read (two peak queries each); the rest are counted.
      const reader: DesktopMetrics<Sized | "skip" | "unavailable" | "insufficient" | "right_sized"> = {
        queries: (w) =>
          (SIZES as readonly string[]).includes(w.WorkspaceProperties?.ComputeTypeName ?? "")
            ? ["CPUUsage", "MemoryUsage"].map((metric) => ({
              namespace: "AWS/WorkSpaces",
              metric,
              dimensions: { WorkspaceId: w.WorkspaceId! },
              stat: "Maximum",
            }))
            : [],
        window,
        reduce: (w, series) => {
          if (series.length === 0) return "skip";
          const r = sizeDesktop(w, region, series[0], series[1]);
          // A recommendation's two prices are asked at once (shared in flight), while the other desktops are read;
          // the rejection of an aborted call reaches whoever awaits the price below.
          if (typeof r === "object") {
            for (const spec of [priceSpec(w), priceSpec(w, r.target)]) prices.get(region, spec).catch(() => {});
          }
          return r;
        },
      };
      const read = await readDesktops(usageContext(ctx, regions, region), region, reader, col);
      if (!read) return;
      hourlyPoints += read.points;
      const sized: Sized[] = [];
      for (const r of read.items) {
        if (r === "skip") counts.not_general_purpose++;
        else if (r === "unavailable") counts.metrics_unavailable++;
        else if (r === "insufficient") counts.insufficient_data++;
        else if (r === "right_sized") {
          evaluated++;
          counts.right_sized++;
        } else {
          evaluated++;
          sized.push(r);
        }
      }
      // Prices only for the recommendations: the current and the target bundle at the same OS and storage.
      await Promise.all(sized.map(async (s) => {
        const [cur, tgt] = await Promise.all([
          prices.get(region, priceSpec(s.d.w)),
          prices.get(region, priceSpec(s.d.w, s.target)),
        ]);
        counts[s.direction]++;
        recs.push(sizeRecommendation(s, cur, tgt, lookback));
      }));
      // Progress only for the regions whose desktops could be listed (hence not forEachRegion's progress label).
      if (regions.length > 1) await ctx.progress(++done, regions.length, `desktops in ${region}`);
    });
    col.failIfNothing("desktops");
    recs.sort((a, b) =>
      (a.direction === b.direction ? 0 : a.direction === "downsize" ? -1 : 1) ||
      (b.estimated_monthly_savings_usd ?? -Infinity) - (a.estimated_monthly_savings_usd ?? -Infinity) ||
      a.target_id.localeCompare(b.target_id)
    );
    // A total order (downsizes first, then largest savings, unpriced last; then region, id): pages are exact whatever
    // order the regions, metric chunks and prices answered in.
    const page = pageOf(
      "recommend_bundle_rightsizing",
      recs,
      args.limit,
      args.next_token,
      undefined,
      (
        r,
      ) => [
        r.direction === "downsize" ? 0 : 1,
        ...descNullsLast(r.estimated_monthly_savings_usd),
        r.region,
        r.target_id,
      ],
    );
    const total = cents(recs.reduce((s, r) => s + (r.estimated_monthly_savings_usd ?? 0), 0));
    const notes = [
      LIST_PRICE_NOTE,
      "Dollar figures are for AlwaysOn desktops (monthly fee difference at the same OS and storage); an AutoStop " +
      "desktop's cost depends on its hours — compare the hourly rates given, or run recommend_running_mode.",
      "Changing the compute type restarts the desktop; a downsize can be undone, but compute changes are limited " +
      "(e.g. once in 6 hours for an upsize, once in 30 days for a downsize).",
    ];
    if (counts.insufficient_data) {
      notes.push(
        `${
          plural(counts.insufficient_data, "desktop")
        } had fewer than ${MIN_HOURLY_DATAPOINTS} hourly CPU/memory datapoints (stopped or new desktops publish none) and got no recommendation.`,
      );
    }
    if (counts.not_general_purpose) {
      notes.push(
        `${plural(counts.not_general_purpose, "desktop")} with graphics or other compute types ${
          counts.not_general_purpose === 1 ? "was" : "were"
        } not evaluated.`,
      );
    }
    if (page.truncated) notes.push("Pass next_token (with the same arguments) for the next page.");
    return {
      summary: `Rightsizing in ${regions.join(", ")} over ${lookback} days: ${counts.downsize} downsize, ` +
        `${counts.upsize} upsize, ${counts.right_sized} right-sized, ${counts.insufficient_data} without enough ` +
        `data; net about ${usd(total, "/month")} at list prices${
          col.errors.length ? ` (${plural(col.errors.length, "error")})` : ""
        }.`,
      data: {
        region: regions.join(","),
        regions,
        lookback_days: lookback,
        thresholds: {
          min_hourly_datapoints: MIN_HOURLY_DATAPOINTS,
          downsize_peak_cpu_below_pct: DOWNSIZE.peakCpu,
          downsize_peak_memory_below_pct: DOWNSIZE.peakMemory,
          upsize_p95_cpu_above_pct: UPSIZE.p95Cpu,
          upsize_p95_memory_above_pct: UPSIZE.p95Memory,
        },
        evaluated,
        datapoints: { hourly: hourlyPoints, five_minute: 0 },
        counts,
        total_estimated_monthly_savings_usd: total,
        recommendations: page.items,
        total_count: page.total_count,
        truncated: page.truncated,
        next_token: page.next_token,
        errors: col.errors,
        notes,
      },
    };
  },
};

/** One desktop's rightsizing verdict from its hourly CPU and memory peaks. */
function sizeDesktop(
  w: Workspace,
  region: string,
  cpu: Series | null,
  mem: Series | null,
): Sized | "unavailable" | "insufficient" | "right_sized" {
  if (!cpu || !mem) return "unavailable";
  const n = Math.min(cpu.values.length, mem.values.length);
  if (n < MIN_HOURLY_DATAPOINTS) return "insufficient";
  const c = { peak: maxOf(cpu.values), p95: percentile(cpu.values, 95)! };
  const m = { peak: maxOf(mem.values), p95: percentile(mem.values, 95)! };
  const step = SIZES.indexOf(w.WorkspaceProperties!.ComputeTypeName as typeof SIZES[number]);
  const solid = n >= SOLID_HOURLY_DATAPOINTS;
  if ((c.p95 > UPSIZE.p95Cpu || m.p95 > UPSIZE.p95Memory) && step < SIZES.length - 1) {
    const high = solid && (c.p95 > UPSIZE.highConfidenceP95 || m.p95 > UPSIZE.highConfidenceP95);
    return {
      d: { w, region },
      direction: "upsize",
      target: SIZES[step + 1],
      cpu: c,
      mem: m,
      n,
      confidence: high ? "high" : "medium",
    };
  }
  if (c.peak < DOWNSIZE.peakCpu && m.peak < DOWNSIZE.peakMemory && step > 0) {
    const high = solid && c.peak < DOWNSIZE.highConfidencePeakCpu;
    return {
      d: { w, region },
      direction: "downsize",
      target: SIZES[step - 1],
      cpu: c,
      mem: m,
      n,
      confidence: high ? "high" : "medium",
    };
  }
  return "right_sized";
}

function sizeRecommendation(
  s: Sized,
  cur: Priced | undefined,
  tgt: Priced | undefined,
  lookback: number,
): SizeRecommendationData {
  const w = s.d.w;
  const current = w.WorkspaceProperties!.ComputeTypeName!;
  const mode = w.WorkspaceProperties?.RunningMode ?? null;
  const curAlways = cur?.price.alwayson_monthly_usd ?? null;
  const tgtAlways = tgt?.price.alwayson_monthly_usd ?? null;
  let savings: number | null = null;
  let note: string | null = null;
  if (mode !== "ALWAYS_ON") {
    note = `${mode ?? "This"} desktops pay by the hour, so the saving depends on the hours used: the hourly rate ` +
      `goes from ${rate(cur?.price.autostop_hourly_usd)} to ${rate(tgt?.price.autostop_hourly_usd)}.`;
  } else if (curAlways === null) {
    note = missingPriceReason(cur, `price for the current ${current} bundle`);
  } else if (tgtAlways === null) {
    note = missingPriceReason(tgt, `price for the ${s.target} bundle at the same OS and storage`);
  } else {
    savings = cents(curAlways - tgtAlways);
  }
  const evidence = `hourly peaks over ${lookback} days (${s.n} datapoints): CPU peak ${round(s.cpu.peak)}% / p95 ` +
    `${round(s.cpu.p95)}%, memory peak ${round(s.mem.peak)}% / p95 ${round(s.mem.p95)}%`;
  const rationale = s.direction === "downsize"
    ? `Under-used: ${evidence} — below ${DOWNSIZE.peakCpu}% CPU and ${DOWNSIZE.peakMemory}% memory even at the ` +
      `peak, so ${s.target} has the headroom.`
    : `Overloaded: ${evidence} — the p95 is above ${UPSIZE.p95Cpu}%, so the desktop is saturated for hours, not ` +
      `for one spike; ${s.target} adds capacity.`;
  return {
    target_id: w.WorkspaceId!,
    region: s.d.region,
    kind: "bundle_rightsizing",
    direction: s.direction,
    current,
    recommended: s.target,
    rationale,
    estimated_monthly_savings_usd: savings,
    savings_note: note,
    confidence: s.confidence,
    running_mode: mode,
    user_name: w.UserName ?? null,
    operating_system: w.WorkspaceProperties?.OperatingSystemName ?? null,
    cpu_peak_pct: round(s.cpu.peak),
    cpu_p95_pct: round(s.cpu.p95),
    memory_peak_pct: round(s.mem.peak),
    memory_p95_pct: round(s.mem.p95),
    datapoints: s.n,
    current_alwayson_monthly_usd: curAlways,
    target_alwayson_monthly_usd: tgtAlways,
    current_autostop_hourly_usd: cur?.price.autostop_hourly_usd ?? null,
    target_autostop_hourly_usd: tgt?.price.autostop_hourly_usd ?? null,
  };
}

function rate(v: number | null | undefined): string {
  return usd(v, "/h", "an unpublished rate");
}
