/**
 * The utilization toolset: billable hours and usage classes, running-mode and bundle
 * recommendations, desktop performance, connection / pool / fleet usage history, unused resources.
 *
 * Improvements over the reference: one batched GetMetricData read per region for every desktop
 * (never one call per desktop); billable hours from 5-minute UserConnected sessions and the AutoStop
 * timeout instead of "8 hours per active day"; "no data" kept apart from "unused"; running-mode
 * advice in both directions against the bundle's Price List break-even, with the Skip_Convert
 * opt-out; rightsizing that needs 24 hourly datapoints and upsizes on p95, not on one spike; every
 * list capped with complete totals and a next_token; multi-region fan-out.
 */
import { z } from "zod";
import type { OpOutput } from "../aws/clients.ts";
import { getMetricSeries, type MetricQuery, metricWindow, percentile, type Series } from "../aws/metrics.ts";
import { collect, mapLimit } from "../aws/paginate.ts";
import { HOURS_PER_MONTH, type PersonalPrice, priceListFor } from "../aws/pricing.ts";
import { PRODUCT } from "../names.ts";
import { Collection } from "./_lib/collection.ts";
import type { Workspace } from "../aws/listing.ts";
import { READ_ONLY, type ToolContext, type ToolDef, ToolFailure } from "./registry.ts";
import { Errors, Notes, RegionInput, RegionsInput } from "./_lib/schemas.ts";
import {
  addErrors,
  analyzeRegion,
  type Classification,
  CLASSIFICATION_ORDER,
  type DesktopMetrics,
  type DesktopUsage,
  idleThresholdDays,
  limiter,
  readDesktops,
  type RegionUsage,
  type UsageContext,
} from "./usage.ts";

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Regions analysed at once. */
const REGION_CONCURRENCY = 4;
/** Price List lookups in flight at once (each distinct bundle family is 5 GetProducts queries, then cached). */
const PRICE_CONCURRENCY = 4;
/** DescribeTags calls in flight at once (one resource per call is all the API takes). */
const TAG_CONCURRENCY = 24;
/**
 * Above this many running-mode candidates in a region, the Skip_Convert tags come from one Resource Groups Tagging
 * API sweep (tag:GetResources, 100 tagged desktops a page) instead of one DescribeTags per candidate.
 */
const TAG_SWEEP_MIN_CANDIDATES = 25;
/** DescribeSessions calls (one per associated stack) in flight at once. */
const SESSION_CONCURRENCY = 4;
/** Points kept per history series (the most recent ones); totals still cover the whole window. */
const MAX_SERIES_POINTS = 168;
/** JSON bytes one page of items may take (the whole result must stay under the ~80 KB budget). */
const PAGE_BUDGET_BYTES = 55_000;
/** Skipped desktops listed by running-mode advice (all are counted). */
const MAX_SKIPPED_LISTED = 50;

/** The opt-out tag of AWS Solutions' Cost Optimizer for WorkSpaces (key matched in any case). */
const SKIP_CONVERT_TAG = "skip_convert";

// ---------------------------------------------------------------- shared inputs and helpers

const WORKSPACE_ID = /^ws-[0-9a-z]{8,63}$/;
const POOL_ID = /^wspool-[0-9a-z]{9}$/;
const FLEET_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,100}$/;

const WorkspaceId = z.string().regex(WORKSPACE_ID, "must be a WorkSpaces desktop id such as ws-a1b2c3d4e");

function lookbackDays(def: number) {
  return z.number().int().min(1).max(90).default(def).describe(
    `Days of history to analyse, 1–90 (default ${def}). Up to 63 days CloudWatch keeps 5-minute data; beyond it the analysis is hourly.`,
  );
}

const PeriodHours = z.number().int().min(1).max(168).default(24).describe(
  "Width of each history bucket in hours, 1–168 (default 24 = daily)",
);

const Limit = z.number().int().min(1).max(500).default(50).describe(
  "Items listed per page, 1–500 (default 50; a page is shortened to fit the ~80 KB answer budget); totals and counts always cover everything",
);

const NextToken = z.string().max(200).optional().describe(
  "From a previous truncated answer with the same arguments: returns the next page",
);

const ClassificationEnum = z.enum(["unused", "idle", "active", "no_data", "unknown"]);

const Counts = z.object({
  unused: z.number().int(),
  idle: z.number().int(),
  active: z.number().int(),
  no_data: z.number().int(),
  unknown: z.number().int(),
}).describe("Desktops per classification (every desktop analysed, whatever the page)");

const PageFields = {
  total_count: z.number().int().describe("Items in the full list, whatever the page"),
  truncated: z.boolean().describe("True when more items exist than are listed here"),
  next_token: z.string().nullable().describe("Pass back (same arguments) for the next page; null on the last page"),
};

interface Page<T> {
  items: T[];
  total_count: number;
  truncated: boolean;
  next_token: string | null;
}

/** One page of `items`; the token names the tool so it cannot be replayed elsewhere. */
function pageOf<T>(tool: string, items: readonly T[], limit: number, token: string | undefined): Page<T> {
  let offset = 0;
  if (token) {
    try {
      const parsed = JSON.parse(atob(token.replace(/-/g, "+").replace(/_/g, "/")));
      if (parsed.t !== tool || !Number.isInteger(parsed.o) || parsed.o < 0) throw new Error("foreign token");
      offset = parsed.o;
    } catch {
      throw new ToolFailure(
        "InvalidInput",
        "next_token is not one this tool issued.",
        "Call again without next_token to start from the first page.",
      );
    }
  }
  // A page that would not fit the response budget is shortened here, so next_token stays exact
  // (the registry's last-resort trimming would silently drop items between pages).
  let end = Math.min(items.length, offset + limit);
  while (end - offset > 1 && JSON.stringify(items.slice(offset, end)).length > PAGE_BUDGET_BYTES) {
    end = offset + Math.max(1, Math.floor((end - offset) * 0.8));
  }
  const more = end < items.length;
  return {
    items: items.slice(offset, end),
    total_count: items.length,
    truncated: more || offset > 0,
    next_token: more
      ? btoa(JSON.stringify({ t: tool, o: end })).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
      : null,
  };
}

/** Validates a next_token before any AWS call (a bad token costs nothing). */
function checkToken(tool: string, token: string | undefined): void {
  pageOf(tool, [], 1, token);
}

function round(n: number, decimals = 1): number {
  const f = 10 ** decimals;
  return Math.round(n * f) / f;
}

function money(n: number): number {
  return Math.round(n * 100) / 100;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Analyses every region (bounded concurrency) and reports progress per region. */
async function analyzeRegions(
  ctx: ToolContext,
  regions: readonly string[],
  lookback: number,
  col: Collection,
  onChunk?: (region: string, desktops: DesktopUsage[]) => Promise<void>,
): Promise<RegionUsage[]> {
  let done = 0;
  const results = await mapLimit(regions, REGION_CONCURRENCY, async (region) => {
    const usage = await analyzeRegion(usageContext(ctx, regions, region), region, lookback, col, {
      onChunk: onChunk ? (desktops) => onChunk(region, desktops) : undefined,
    });
    if (regions.length > 1) await ctx.progress(++done, regions.length, `desktops in ${region}`);
    return usage;
  });
  return results.filter((r): r is RegionUsage => r !== undefined);
}

/** The engine's context: metric-batch progress when a single region is analysed. */
function usageContext(ctx: ToolContext, regions: readonly string[], region: string): UsageContext {
  return {
    aws: ctx.aws,
    signal: ctx.signal,
    onBatch: regions.length === 1 ? (d, t) => void ctx.progress(d, t, `metric batches in ${region}`) : undefined,
  };
}

function countsOf(desktops: readonly DesktopUsage[]): Record<Classification, number> {
  const counts: Record<Classification, number> = { unused: 0, idle: 0, active: 0, no_data: 0, unknown: 0 };
  for (const d of desktops) counts[d.classification]++;
  return counts;
}

/** Notes every usage-based answer carries. */
function usageNotes(usage: readonly RegionUsage[], lookback: number): string[] {
  const notes = [
    "Classification is about user connections, not power state: an AVAILABLE AlwaysOn desktop nobody connects to " +
    "is unused, and a STOPPED AutoStop desktop that is used every day is active.",
    "billable_hours is what AutoStop bills (AWS Solutions' Cost Optimizer model): the connected samples form " +
    "sessions, a disconnect at least as long as the desktop's AutoStop timeout ends one (60 minutes for AlwaysOn " +
    "and Manual desktops), and each session is rounded up to whole hours plus the timeout. For AlwaysOn desktops it " +
    "is what they would bill under AutoStop.",
    `A desktop is idle when it was used on at most ${idleThresholdDays(lookback)} of the ${lookback} days ` +
    "(max(1, floor(lookback_days / 7))); unused when it has no connected sample and no known connection in the window.",
  ];
  if (usage.some((u) => u.period > 300)) {
    notes.push(
      "The window reaches beyond CloudWatch's 63-day retention of 5-minute data, so UserConnected is read hourly: " +
        "session edges are rounded to the hour and billable hours are approximate.",
    );
  }
  return notes;
}

function workspaceFacts(w: Workspace) {
  const p = w.WorkspaceProperties ?? {};
  return {
    compute_type: p.ComputeTypeName ?? null,
    operating_system: p.OperatingSystemName ?? null,
    root_volume_gib: p.RootVolumeSizeGib ?? null,
    user_volume_gib: p.UserVolumeSizeGib ?? null,
  };
}

// ---------------------------------------------------------------- analyze_workspace_utilization

const UtilizationInput = z.object({
  region: RegionInput,
  regions: RegionsInput,
  lookback_days: lookbackDays(14),
  classification: z.array(ClassificationEnum).min(1).max(5).optional().describe(
    'List only desktops in these classes (e.g. ["unused", "idle"]); counts still cover every desktop',
  ),
  limit: Limit,
  next_token: NextToken,
});

const UsageItem = z.object({
  workspace_id: z.string(),
  region: z.string(),
  user_name: z.string().nullable(),
  state: z.string().nullable().describe("Power/lifecycle state now (AVAILABLE = running)"),
  running_mode: z.string().nullable(),
  auto_stop_timeout_minutes: z.number().int().nullable(),
  lookback_days: z.number().int(),
  active_days: z.number().int().nullable().describe("Distinct UTC days with a connected sample; null when unknown"),
  billable_hours: z.number().nullable().describe(
    "Hours AutoStop bills for the connected sessions in the window (each session rounded up to whole hours plus the AutoStop timeout); null when unknown",
  ),
  sessions: z.number().int().nullable().describe("Connected sessions in the window"),
  connected_hours: z.number().nullable().describe("Hours with a user connected (sum of session spans)"),
  last_connection: z.string().nullable().describe("LastKnownUserConnectionTimestamp (ISO 8601), any age"),
  connection_state: z.string().nullable().describe("CONNECTED, DISCONNECTED or UNKNOWN right now"),
  classification: ClassificationEnum,
  classification_reason: z.string().describe("Why: the evidence behind the class"),
  compute_type: z.string().nullable(),
  operating_system: z.string().nullable(),
  root_volume_gib: z.number().nullable(),
  user_volume_gib: z.number().nullable(),
});
type UsageItemData = z.infer<typeof UsageItem>;

function usageItem(d: DesktopUsage, lookback: number): UsageItemData {
  const w = d.workspace;
  const p = w.WorkspaceProperties ?? {};
  return {
    workspace_id: w.WorkspaceId!,
    region: d.region,
    user_name: w.UserName ?? null,
    state: w.State ?? null,
    running_mode: p.RunningMode ?? null,
    auto_stop_timeout_minutes: p.RunningModeAutoStopTimeoutInMinutes ?? null,
    lookback_days: lookback,
    active_days: d.active_days,
    billable_hours: d.billable_hours,
    sessions: d.sessions,
    connected_hours: d.connected_hours,
    last_connection: d.last_connection,
    connection_state: d.connection_state,
    classification: d.classification,
    classification_reason: d.classification_reason,
    ...workspaceFacts(w),
  };
}

const UtilizationOutput = z.object({
  region: z.string().describe("The region, or a comma-separated list when several were analysed"),
  regions: z.array(z.string()),
  lookback_days: z.number().int(),
  idle_threshold_days: z.number().int().describe("Used on at most this many days = idle"),
  metric_period_seconds: z.number().int().describe("UserConnected resolution used (300, or 3600 beyond 63 days)"),
  total: z.number().int().describe("Desktops analysed"),
  counts: Counts,
  total_billable_hours: z.number().describe("Sum of billable_hours over the desktops with data"),
  workspaces: z.array(UsageItem).describe("Sorted unused, idle, no_data, unknown, active"),
  ...PageFields,
  errors: Errors,
  notes: Notes,
});

/** Billable hours, active days, last connection and a usage class for every desktop. */
export const analyzeWorkspaceUtilization: ToolDef<typeof UtilizationInput, typeof UtilizationOutput> = {
  name: "analyze_workspace_utilization",
  title: "Analyze WorkSpaces utilization",
  toolset: "utilization",
  tier: 0,
  actions: [
    "cloudwatch:GetMetricData",
    "workspaces:DescribeWorkspaceDirectories",
    "workspaces:DescribeWorkspaces",
    "workspaces:DescribeWorkspacesConnectionStatus",
  ],
  annotations: READ_ONLY,
  description: "How much is each WorkSpaces Personal desktop really used? For every desktop over lookback_days: " +
    "billable_hours (AutoStop-billed hours from 5-minute UserConnected sessions and the AutoStop timeout), " +
    "active_days, sessions, last_connection and a classification — unused (no connection at all), idle (used on " +
    "at most max(1, lookback_days/7) days), active, no_data (metrics missing but a connection is known: NOT unused) " +
    "or unknown (metrics unreadable). About connections, not power state: STOPPED is not unused. " +
    "One batched CloudWatch read per region; fan out with regions; filter with classification.",
  input: UtilizationInput,
  output: UtilizationOutput,
  async run(ctx, args) {
    checkToken("analyze_workspace_utilization", args.next_token);
    const regions = await ctx.regions(args, true);
    const col = new Collection();
    const usage = await analyzeRegions(ctx, regions, args.lookback_days, col);
    col.failIfNothing("desktops");
    const all = usage.flatMap((u) => u.desktops);
    const counts = countsOf(all);
    const wanted = args.classification ? new Set<string>(args.classification) : undefined;
    const rank = (c: Classification) => CLASSIFICATION_ORDER.indexOf(c);
    const listed = all.filter((d) => !wanted || wanted.has(d.classification))
      .map((d, i) => ({ d, i }))
      .sort((a, b) => rank(a.d.classification) - rank(b.d.classification) || a.i - b.i)
      .map(({ d }) => usageItem(d, args.lookback_days));
    const page = pageOf("analyze_workspace_utilization", listed, args.limit, args.next_token);
    const total_billable_hours = all.reduce((h, d) => h + (d.billable_hours ?? 0), 0);
    const notes = usageNotes(usage, args.lookback_days);
    if (counts.no_data) {
      notes.push(
        `${
          plural(counts.no_data, "desktop")
        } had no connected samples but a known connection in the window (or an unreadable connection status): listed as no_data, not unused.`,
      );
    }
    if (counts.unknown) {
      notes.push(`${plural(counts.unknown, "desktop")} could not be classified: CloudWatch failed (see errors).`);
    }
    if (page.truncated) notes.push("Pass next_token (with the same arguments) for the next page.");
    const period = Math.max(300, ...usage.map((u) => u.period));
    return {
      summary:
        `Utilization of ${plural(all.length, "desktop")} in ${regions.join(", ")} over ${args.lookback_days} days: ` +
        `${counts.unused} unused, ${counts.idle} idle, ${counts.active} active, ${counts.no_data} no data, ` +
        `${counts.unknown} unknown; ${total_billable_hours} billable hours${
          col.errors.length ? ` (${plural(col.errors.length, "error")})` : ""
        }.`,
      data: {
        region: regions.join(","),
        regions,
        lookback_days: args.lookback_days,
        idle_threshold_days: idleThresholdDays(args.lookback_days),
        metric_period_seconds: period,
        total: all.length,
        counts,
        total_billable_hours,
        workspaces: page.items,
        total_count: page.total_count,
        truncated: page.truncated,
        next_token: page.next_token,
        errors: col.errors,
        notes,
      },
    };
  },
};

// ---------------------------------------------------------------- prices (shared by running mode and rightsizing)

/** What the Price List needs to price a desktop's bundle. */
interface PriceSpec {
  computeType: string;
  operatingSystem?: string;
  rootGib: number;
  userGib: number;
}

function priceSpec(w: Workspace, computeType?: string): PriceSpec | undefined {
  const p = w.WorkspaceProperties ?? {};
  const compute = computeType ?? p.ComputeTypeName;
  if (!compute || p.RootVolumeSizeGib === undefined || p.UserVolumeSizeGib === undefined) return undefined;
  return {
    computeType: compute,
    operatingSystem: p.OperatingSystemName,
    rootGib: p.RootVolumeSizeGib,
    userGib: p.UserVolumeSizeGib,
  };
}

function specKey(s: PriceSpec): string {
  return `${s.computeType}|${s.operatingSystem ?? ""}|${s.rootGib}|${s.userGib}`;
}

interface Priced {
  price: PersonalPrice;
  failed: boolean;
}

/** List prices of bundle specs, one lookup per distinct spec and region (the Price List caches per process). */
class PriceBook {
  readonly #list;
  readonly #run = limiter(PRICE_CONCURRENCY);
  readonly #cache = new Map<string, Promise<Priced>>();

  constructor(readonly ctx: ToolContext, readonly col: Collection) {
    this.#list = priceListFor(ctx.aws);
  }

  /** The price of a spec in a region; undefined spec → undefined. */
  get(region: string, spec: PriceSpec | undefined): Promise<Priced | undefined> {
    if (!spec) return Promise.resolve(undefined);
    const key = `${region}|${specKey(spec)}`;
    let hit = this.#cache.get(key);
    if (!hit) {
      hit = this.#run(async () => {
        const r = await this.#list.personal(region, spec, this.ctx.signal);
        addErrors(this.col, r.errors);
        return { price: r.price, failed: r.errors.length > 0 };
      });
      this.#cache.set(key, hit);
    }
    return hit;
  }
}

/** Why a price (or break-even) is missing, in one sentence. */
function missingPriceReason(p: Priced | undefined, what: string): string {
  if (!p) return `The desktop's bundle (compute type, operating system or volume sizes) is not known, so no ${what}.`;
  if (p.failed) {
    return `The Price List could not be read (see errors; pricing:GetProducts is in tier 1), so no ${what}.`;
  }
  const why = p.price.notes.find((n) =>
    /no clean bundle match|PARTIAL PRICE LIST|not in the pricing location map|no known Price List|not one the Price List|cannot be computed/i
      .test(n)
  );
  return `No ${what}: ${why ?? "the Price List publishes no complete rates for this bundle."}`;
}

const LIST_PRICE_NOTE = "Prices are USD LIST prices from the AWS Price List (private pricing, EDP/PPA discounts and " +
  `credits are not included); a month is ${HOURS_PER_MONTH} hours. A null dollar figure means the price is not ` +
  "published or could not be read (the reason is given), never $0.";

// ---------------------------------------------------------------- recommend_running_mode

const RunningModeInput = z.object({
  region: RegionInput,
  regions: RegionsInput,
  lookback_days: lookbackDays(14),
  limit: Limit,
  next_token: NextToken,
});

const Confidence = z.enum(["high", "medium", "low"]);
type Confidence = z.infer<typeof Confidence>;

const ModeRecommendation = z.object({
  target_id: z.string().describe("The desktop (WorkspaceId)"),
  region: z.string(),
  kind: z.literal("running_mode"),
  current: z.string().describe("ALWAYS_ON or AUTO_STOP"),
  recommended: z.string().describe("AUTO_STOP or ALWAYS_ON"),
  rationale: z.string(),
  estimated_monthly_savings_usd: z.number().nullable().describe("List-price $/month saved; null when not priced"),
  savings_note: z.string().nullable().describe("Why the saving is null, when it is"),
  confidence: Confidence.describe("From data quality: window length, metric resolution, distance from break-even"),
  when_to_switch: z.string(),
  user_name: z.string().nullable(),
  classification: ClassificationEnum,
  active_days: z.number().int().nullable(),
  billable_hours: z.number().nullable().describe("AutoStop-billed hours in the window"),
  projected_monthly_billable_hours: z.number().describe(
    `billable_hours scaled to a ${HOURS_PER_MONTH}-hour month`,
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
  opt_out_checked: z.boolean().describe("False when the Skip_Convert tag could not be read (DescribeTags failed)"),
});
type ModeRecommendationData = z.infer<typeof ModeRecommendation>;

const Skipped = z.object({
  target_id: z.string(),
  region: z.string(),
  current: z.string().nullable(),
  reason: z.string(),
});
type SkippedData = z.infer<typeof Skipped>;

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
  recommendations: z.array(ModeRecommendation).describe("Largest saving first"),
  ...PageFields,
  skipped: z.array(Skipped).describe(`Skipped desktops with the reason (at most ${MAX_SKIPPED_LISTED} listed)`),
  errors: Errors,
  notes: Notes,
});

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
    usage: [],
  };
  const prices = new PriceBook(ctx, col);
  const tags = limiter(TAG_CONCURRENCY);
  const sweep = new TagSweep(ctx);
  const period = metricWindow(lookback * DAY, 300).period;
  const work: Promise<void>[] = [];
  // Each chunk of classified desktops is evaluated (prices, opt-out tags) while the next ones are read.
  const onChunk = (region: string, desktops: DesktopUsage[]) => {
    work.push(adviseChunk(ctx, region, desktops, lookback, period, prices, tags, sweep, advice, col));
    return Promise.resolve();
  };
  advice.usage = await analyzeRegions(ctx, regions, lookback, col, onChunk);
  await Promise.all(work);
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
    const projected = round(Math.min(HOURS_PER_MONTH, (d.billable_hours ?? 0) * scale));
    const be = p?.autostop_breakeven_hours_per_month ?? null;
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
    const usageText = `${d.billable_hours} billable hours in ${lookback} days (${
      plural(d.sessions ?? 0, "session")
    } on ${plural(d.active_days ?? 0, "day")}) project to ${projected} hours a month`;
    if (be !== null && p) {
      const autoStopCost = p.autostop_monthly_base_usd! + p.autostop_hourly_usd! * projected;
      const alwaysOn = p.alwayson_monthly_usd!;
      if (current === "ALWAYS_ON" && projected < be) {
        candidates.push({
          ...base,
          recommended: "AUTO_STOP",
          rationale: `${usageText}, below the ${be}-hour break-even of this bundle: AutoStop would cost about ` +
            `$${money(autoStopCost)} a month ($${p.autostop_monthly_base_usd} + $${p.autostop_hourly_usd}/h) ` +
            `instead of $${alwaysOn} AlwaysOn.`,
          estimated_monthly_savings_usd: money(alwaysOn - autoStopCost),
          savings_note: null,
          when_to_switch: SWITCH_TO_AUTO_STOP,
        });
      } else if (current === "AUTO_STOP" && projected > be) {
        candidates.push({
          ...base,
          recommended: "ALWAYS_ON",
          rationale: `${usageText}, above the ${be}-hour break-even of this bundle: AutoStop costs about ` +
            `$${money(autoStopCost)} a month ($${p.autostop_monthly_base_usd} + $${p.autostop_hourly_usd}/h × ` +
            `${projected} h) against $${alwaysOn} AlwaysOn.`,
          estimated_monthly_savings_usd: money(autoStopCost - alwaysOn),
          savings_note: null,
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
        savings_note: reason,
        when_to_switch: SWITCH_TO_AUTO_STOP,
      });
    } else {
      advice.skipped.push({ target_id: w.WorkspaceId!, region, current, reason });
    }
  }
  // The opt-out tag is read only for the candidates: one DescribeTags per desktop, or for many candidates one
  // tag:GetResources sweep of the region's tagged desktops (falling back to DescribeTags if the sweep fails).
  const swept = candidates.length > TAG_SWEEP_MIN_CANDIDATES || sweep.started(region)
    ? await sweep.get(region)
    : undefined;
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
            (c.estimated_monthly_savings_usd !== null ? ` (about $${c.estimated_monthly_savings_usd}/month)` : "") +
            ".",
        });
        return;
      }
      if (!list) {
        c.opt_out_checked = false;
        c.rationale += " The Skip_Convert opt-out tag could not be checked (DescribeTags failed).";
      }
      advice.recommendations.push(c);
    })
  ));
}

type TagList = NonNullable<OpOutput<"workspaces", "DescribeTags">["TagList"]>;

/** One tag:GetResources sweep per region of every tagged desktop, shared by the region's chunks. */
class TagSweep {
  readonly #regions = new Map<string, Promise<Map<string, TagList> | undefined>>();
  constructor(readonly ctx: ToolContext) {}

  started(region: string): boolean {
    return this.#regions.has(region);
  }

  /** Tags by WorkspaceId (untagged desktops absent), or undefined when the sweep failed (e.g. no tag:GetResources). */
  get(region: string): Promise<Map<string, TagList> | undefined> {
    let p = this.#regions.get(region);
    if (!p) {
      p = this.#sweep(region);
      this.#regions.set(region, p);
    }
    return p;
  }

  async #sweep(region: string): Promise<Map<string, TagList> | undefined> {
    const out = new Map<string, TagList>();
    const seen = new Set<string>();
    let token: string | undefined;
    try {
      do {
        const page = await this.ctx.aws.call("tag", "GetResources", {
          ResourceTypeFilters: ["workspaces:workspace"],
          ResourcesPerPage: 100,
          PaginationToken: token,
        }, { region, signal: this.ctx.signal });
        for (const m of page.ResourceTagMappingList ?? []) {
          const id = m.ResourceARN?.split("/").pop();
          if (id) out.set(id, (m.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value })));
        }
        // The API ends with an empty token; a repeated one would loop forever.
        token = page.PaginationToken || undefined;
        if (token && seen.has(token)) break;
        if (token) seen.add(token);
      } while (token);
      return out;
    } catch (e) {
      if ((e as Error)?.name === "AbortError") throw e;
      return undefined;
    }
  }
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
    "workspaces:DescribeWorkspaceDirectories",
    "workspaces:DescribeWorkspaces",
    "workspaces:DescribeWorkspacesConnectionStatus",
  ],
  annotations: READ_ONLY,
  description: "Which WorkSpaces Personal desktops should switch running mode, and what it saves a month. " +
    "Projects each desktop's billable hours (5-minute UserConnected sessions + AutoStop timeout) to a 730-hour " +
    "month and compares them with the bundle's break-even from the AWS Price List (licence-aware): AlwaysOn below " +
    "the break-even → AUTO_STOP, AutoStop above it → ALWAYS_ON, each with estimated_monthly_savings_usd (list " +
    "prices; null with a reason when not published) and a confidence. Desktops tagged Skip_Convert (any case) are " +
    "skipped and listed. Needs tier 1 (pricing:GetProducts) for the dollar figures.",
  input: RunningModeInput,
  output: RunningModeOutput,
  async run(ctx, args) {
    checkToken("recommend_running_mode", args.next_token);
    const regions = await ctx.regions(args, true);
    const col = new Collection();
    const advice = await runningModeAdvice(ctx, regions, args.lookback_days, col);
    col.failIfNothing("desktops");
    const recs = advice.recommendations;
    const page = pageOf("recommend_running_mode", recs, args.limit, args.next_token);
    const total = money(recs.reduce((s, r) => s + (r.estimated_monthly_savings_usd ?? 0), 0));
    const toAutoStop = recs.filter((r) => r.recommended === "AUTO_STOP").length;
    const toAlwaysOn = recs.length - toAutoStop;
    const notes = [
      LIST_PRICE_NOTE,
      `projected_monthly_billable_hours = billable_hours × ${HOURS_PER_MONTH} / (lookback_days × 24); the ` +
      "break-even is (AlwaysOn monthly − AutoStop monthly base) / AutoStop hourly rate.",
      ...usageNotes(advice.usage, args.lookback_days).slice(1, 2),
    ];
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
    if (advice.skipped.length > MAX_SKIPPED_LISTED) {
      notes.push(`${advice.skipped.length} desktops were skipped; the first ${MAX_SKIPPED_LISTED} are listed.`);
    }
    if (page.truncated) notes.push("Pass next_token (with the same arguments) for the next page.");
    return {
      summary: `Running mode in ${regions.join(", ")} over ${args.lookback_days} days: ${toAutoStop} to AutoStop, ` +
        `${toAlwaysOn} to AlwaysOn, about $${total}/month at list prices; ${advice.alreadyOptimal} already optimal, ` +
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

// ---------------------------------------------------------------- recommend_bundle_rightsizing

/** General-purpose compute types, smallest first: the only ones rightsizing steps through. */
const SIZES = ["VALUE", "STANDARD", "PERFORMANCE", "POWER", "POWERPRO"] as const;
/** Hourly CPU and memory datapoints a desktop needs before it gets a recommendation (one day's worth). */
export const MIN_HOURLY_DATAPOINTS = 24;
/** Datapoints (three days) below which a recommendation is at most medium confidence. */
const SOLID_HOURLY_DATAPOINTS = 72;
/** Downsize one step when the PEAK stays under both (so the smaller bundle has headroom for the worst hour). */
const DOWNSIZE = { peakCpu: 30, peakMemory: 40, highConfidencePeakCpu: 15 } as const;
/** Upsize one step when the p95 of the hourly peaks exceeds either (p95, so one spike does not upsize). */
const UPSIZE = { p95Cpu: 85, p95Memory: 85, highConfidenceP95: 95 } as const;

const RightsizingInput = z.object({
  region: RegionInput,
  regions: RegionsInput,
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

function maxOf(values: readonly number[]): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}

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
  actions: ["cloudwatch:GetMetricData", "workspaces:DescribeWorkspaceDirectories", "workspaces:DescribeWorkspaces"],
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
    const recs: SizeRecommendationData[] = [];
    let done = 0;
    const prices = new PriceBook(ctx, col);
    const window = metricWindow(lookback * DAY, 3600);
    await mapLimit(regions, REGION_CONCURRENCY, async (region) => {
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
        reduce: (w, series) => (series.length === 0 ? "skip" : sizeDesktop(w, region, series[0], series[1])),
      };
      const read = await readDesktops(usageContext(ctx, regions, region), region, reader, col);
      if (!read) return;
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
      if (regions.length > 1) await ctx.progress(++done, regions.length, `desktops in ${region}`);
    });
    col.failIfNothing("desktops");
    recs.sort((a, b) =>
      (a.direction === b.direction ? 0 : a.direction === "downsize" ? -1 : 1) ||
      (b.estimated_monthly_savings_usd ?? -Infinity) - (a.estimated_monthly_savings_usd ?? -Infinity) ||
      a.target_id.localeCompare(b.target_id)
    );
    const page = pageOf("recommend_bundle_rightsizing", recs, args.limit, args.next_token);
    const total = money(recs.reduce((s, r) => s + (r.estimated_monthly_savings_usd ?? 0), 0));
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
        `data; net about $${total}/month at list prices${
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
    savings = money(curAlways - tgtAlways);
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
  return v === null || v === undefined ? "an unpublished rate" : `$${v}/h`;
}

// ---------------------------------------------------------------- metric summaries (performance and histories)

const MetricSummary = z.object({
  latest: z.number().nullable().describe("Last Average value"),
  average: z.number().nullable().describe("Mean of the Average values"),
  peak: z.number().nullable().describe("Highest Maximum value"),
  unit: z.string(),
});

const HistoryPoint = z.object({
  timestamp: z.string(),
  average: z.number().nullable(),
  peak: z.number().nullable(),
});

const HistoryMetric = MetricSummary.extend({
  total: z.number().nullable().describe("Sum over the window, for count metrics (null for others)"),
  series: z.array(HistoryPoint).describe(`One point per period (the latest ${MAX_SERIES_POINTS} at most)`),
});
type HistoryMetricData = z.infer<typeof HistoryMetric>;

function r3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function mean(values: readonly number[]): number | null {
  return values.length ? r3(values.reduce((a, b) => a + b, 0) / values.length) : null;
}

/** latest / average / peak of an Average and a Maximum series. */
function metricSummary(avg: Series | null, max: Series | null, unit: string): z.infer<typeof MetricSummary> {
  const a = avg?.values ?? [];
  const m = max?.values ?? [];
  return {
    latest: a.length ? r3(a[a.length - 1]) : null,
    average: mean(a),
    peak: m.length ? r3(maxOf(m)) : null,
    unit,
  };
}

function historyMetric(avg: Series | null, max: Series | null, sum: Series | null, unit: string): HistoryMetricData {
  const byTime = new Map<number, { average: number | null; peak: number | null }>();
  avg?.timestamps.forEach((t, k) => byTime.set(t, { average: r3(avg.values[k]), peak: null }));
  max?.timestamps.forEach((t, k) => {
    const p = byTime.get(t) ?? { average: null, peak: null };
    p.peak = r3(max.values[k]);
    byTime.set(t, p);
  });
  const series = [...byTime.entries()].sort((a, b) => a[0] - b[0]).slice(-MAX_SERIES_POINTS)
    .map(([t, p]) => ({ timestamp: new Date(t).toISOString(), ...p }));
  return {
    ...metricSummary(avg, max, unit),
    total: sum ? r3(sum.values.reduce((a, b) => a + b, 0)) : null,
    series,
  };
}

interface HistorySpec {
  metric: string;
  unit: string;
  /** Also read the Sum (count metrics). */
  sum?: boolean;
}

/** Reads Average and Maximum (and Sum where asked) of each metric in ONE batched read. */
async function readHistory(
  ctx: ToolContext,
  region: string,
  namespace: string,
  dimensions: Record<string, string>,
  specs: readonly HistorySpec[],
  lookback: number,
  periodHours: number,
  col: Collection,
): Promise<{ metrics: Record<string, HistoryMetricData>; periods: number; failed: boolean }> {
  const queries: MetricQuery[] = [];
  const index: { avg: number; max: number; sum?: number }[] = [];
  for (const s of specs) {
    const q = (stat: string) => queries.push({ namespace, metric: s.metric, dimensions, stat }) - 1;
    index.push({ avg: q("Average"), max: q("Maximum"), sum: s.sum ? q("Sum") : undefined });
  }
  const window = metricWindow(lookback * DAY, periodHours * 3600);
  const r = await getMetricSeries(ctx.aws, region, queries, window, { signal: ctx.signal });
  col.errors.push(...r.errors);
  const metrics: Record<string, HistoryMetricData> = {};
  specs.forEach((s, i) => {
    const at = index[i];
    metrics[s.metric] = historyMetric(
      r.series[at.avg],
      r.series[at.max],
      at.sum === undefined ? null : r.series[at.sum],
      s.unit,
    );
  });
  const periods = Math.round((window.end.getTime() - window.start.getTime()) / (window.period * 1000));
  return { metrics, periods, failed: r.errors.length > 0 };
}

const ActiveSession = z.object({
  session_id: z.string().nullable(),
  user: z.string().nullable(),
  state: z.string().nullable(),
  connection_state: z.string().nullable(),
  start_time: z.string().nullable(),
  stack_name: z.string().nullable().optional(),
});

// ---------------------------------------------------------------- get_workspace_performance

/** The AWS/WorkSpaces per-desktop metrics the performance view reads, with their units. */
const PERFORMANCE_METRICS: readonly [string, string][] = [
  ["CPUUsage", "%"],
  ["MemoryUsage", "%"],
  ["GPUUsage", "%"],
  ["FramesPerSecond", "count"],
  ["RootVolumeDiskUsage", "%"],
  ["UserVolumeDiskUsage", "%"],
  ["InSessionLatency", "ms"],
  ["UpTime", "s"],
  ["Bandwidth", "bytes"],
  ["BandwidthInbound", "bytes"],
  ["CPUQueueLength", "count"],
  ["MemoryPageHardFaults", "count"],
  ["RootVolumeDiskIOQueueLength", "count"],
  ["UserVolumeDiskIOQueueLength", "count"],
  ["TCPRetransmissionRate", "%"],
  ["UDPPacketLossRate", "%"],
];

const PerformanceInput = z.object({
  workspace_ids: z.array(WorkspaceId).min(1).max(25).describe("1–25 desktop ids (duplicates are ignored)"),
  region: RegionInput,
  lookback_hours: z.number().int().min(1).max(168).default(3).describe("Hours of history, 1–168 (default 3)"),
});

const PerformanceOutput = z.object({
  region: z.string(),
  lookback_hours: z.number().int(),
  workspaces: z.array(z.object({
    workspace_id: z.string(),
    state: z.string().nullable().describe("Power/lifecycle state now, when DescribeWorkspaces answered"),
    running_mode: z.string().nullable(),
    lookback_hours: z.number().int(),
    metrics: z.record(z.string(), MetricSummary).describe("Per metric: latest, average and peak over 5-minute data"),
    datapoints: z.number().int().describe("5-minute datapoints received for this desktop"),
    note: z.string().nullable(),
  })),
  not_found: z.array(z.string()).describe("Ids DescribeWorkspaces does not know in this region"),
  errors: Errors,
  notes: Notes,
});

/** CPU, memory, disk, latency, network and more for up to 25 desktops, in one batched read. */
export const getWorkspacePerformance: ToolDef<typeof PerformanceInput, typeof PerformanceOutput> = {
  name: "get_workspace_performance",
  title: "WorkSpaces desktop performance",
  toolset: "utilization",
  tier: 0,
  actions: ["cloudwatch:GetMetricData", "workspaces:DescribeWorkspaces"],
  annotations: READ_ONLY,
  description: "How are these desktops performing right now? For 1–25 WorkSpaces Personal desktops over the last " +
    "lookback_hours (default 3): latest / average / peak of CPUUsage, MemoryUsage, GPUUsage, FramesPerSecond, disk " +
    "usage and IO queues, InSessionLatency, UpTime, Bandwidth, CPU queue, hard page faults, TCP retransmission and " +
    "UDP packet loss (5-minute data, all desktops in one batched CloudWatch read). No datapoints usually means the " +
    "desktop was stopped.",
  input: PerformanceInput,
  output: PerformanceOutput,
  async run(ctx, args) {
    const ids = [...new Set(args.workspace_ids)];
    const [region] = await ctx.regions(args);
    const col = new Collection();
    const queries: MetricQuery[] = ids.flatMap((id) =>
      PERFORMANCE_METRICS.flatMap(([metric]) =>
        ["Average", "Maximum"].map((stat) => ({
          namespace: "AWS/WorkSpaces",
          metric,
          dimensions: { WorkspaceId: id },
          stat,
        }))
      )
    );
    const [described, metrics] = await Promise.all([
      col.attempt(
        { service: "workspaces", operation: "DescribeWorkspaces", region },
        async () =>
          (await collect(ctx.aws, "workspaces", "DescribeWorkspaces", { WorkspaceIds: ids }, "Workspaces", {
            region,
            signal: ctx.signal,
          })).items,
      ),
      getMetricSeries(ctx.aws, region, queries, metricWindow(args.lookback_hours * HOUR, 300), { signal: ctx.signal }),
    ]);
    col.errors.push(...metrics.errors);
    const known = new Map((described ?? []).map((w) => [w.WorkspaceId, w]));
    const not_found = described ? ids.filter((id) => !known.has(id)) : [];
    if (described && not_found.length === ids.length) {
      throw new ToolFailure(
        "NotFound",
        `No desktop ${ids.join(", ")} in ${region}.`,
        "Check the ids and the region (desktop ids are per region); get_euc_inventory_summary lists what exists.",
      );
    }
    const per = PERFORMANCE_METRICS.length * 2;
    const workspaces = ids.filter((id) => !not_found.includes(id)).map((id) => {
      const i = ids.indexOf(id);
      const w = known.get(id);
      const out: Record<string, z.infer<typeof MetricSummary>> = {};
      let datapoints = 0;
      let failed = false;
      PERFORMANCE_METRICS.forEach(([metric, unit], k) => {
        const avg = metrics.series[i * per + 2 * k];
        const max = metrics.series[i * per + 2 * k + 1];
        if (!avg || !max) failed = true;
        datapoints += avg?.values.length ?? 0;
        out[metric] = metricSummary(avg, max, unit);
      });
      let note: string | null = null;
      if (failed) note = "CloudWatch could not be read for this desktop (see errors); values are unknown, not zero.";
      else if (datapoints === 0) {
        note = `No datapoints in the last ${args.lookback_hours} h: the desktop may be stopped` +
          (w?.State ? ` (state now: ${w.State})` : "") + " — a stopped desktop publishes no metrics.";
      }
      return {
        workspace_id: id,
        state: w?.State ?? null,
        running_mode: w?.WorkspaceProperties?.RunningMode ?? null,
        lookback_hours: args.lookback_hours,
        metrics: out,
        datapoints,
        note,
      };
    });
    if (!described && metrics.errors.length > 0) col.failIfNothing("performance data");
    const notes = [
      "latest = the last 5-minute Average, average = the mean of the Averages, peak = the highest Maximum.",
      "GPUUsage and FramesPerSecond are published by graphics bundles only; a null metric had no datapoints.",
    ];
    if (not_found.length) notes.push(`Not found in ${region}: ${not_found.join(", ")}.`);
    if (args.workspace_ids.length !== ids.length) notes.push("Duplicate ids were analysed once.");
    const quiet = workspaces.filter((w) => w.datapoints === 0).length;
    return {
      summary: `Performance of ${plural(workspaces.length, "desktop")} in ${region} over ${args.lookback_hours} h` +
        `${quiet ? `; ${quiet} without datapoints (may be stopped)` : ""}${
          not_found.length ? `; ${not_found.length} not found` : ""
        }${col.errors.length ? ` (${plural(col.errors.length, "error")})` : ""}.`,
      data: { region, lookback_hours: args.lookback_hours, workspaces, not_found, errors: col.errors, notes },
    };
  },
};

// ---------------------------------------------------------------- get_workspace_connection_history

const CONNECTION_METRICS: readonly HistorySpec[] = [
  { metric: "UserConnected", unit: "count" },
  { metric: "ConnectionAttempt", unit: "count", sum: true },
  { metric: "ConnectionSuccess", unit: "count", sum: true },
  { metric: "ConnectionFailure", unit: "count", sum: true },
  { metric: "SessionLaunchTime", unit: "s" },
  { metric: "InSessionLatency", unit: "ms" },
];

const ConnectionHistoryInput = z.object({
  workspace_id: WorkspaceId,
  region: RegionInput,
  lookback_days: lookbackDays(7),
  period_hours: PeriodHours,
});

const HistoryFields = {
  lookback_days: z.number().int(),
  period_hours: z.number().int(),
  active_session_count: z.number().int().nullable().describe("Live sessions right now (null when unreadable)"),
  active_sessions: z.array(ActiveSession),
  metrics: z.record(z.string(), HistoryMetric),
  summary: z.string(),
  errors: Errors,
  notes: Notes,
};

const ConnectionHistoryOutput = z.object({
  target_type: z.literal("workspace"),
  target_id: z.string(),
  region: z.string(),
  state: z.string().nullable(),
  running_mode: z.string().nullable(),
  connection_state: z.string().nullable(),
  last_connection: z.string().nullable(),
  connected_periods: z.number().int().describe("Periods whose UserConnected peak is ≥ 1"),
  total_periods: z.number().int(),
  connection_failures: z.number().nullable().describe("Failed connection attempts in the window (Sum)"),
  ...HistoryFields,
});

/** A desktop's connections over time: connected periods, attempts, failures, launch time and latency. */
export const getWorkspaceConnectionHistory: ToolDef<typeof ConnectionHistoryInput, typeof ConnectionHistoryOutput> = {
  name: "get_workspace_connection_history",
  title: "WorkSpaces desktop connection history",
  toolset: "utilization",
  tier: 0,
  actions: [
    "cloudwatch:GetMetricData",
    "workspaces:DescribeWorkspaces",
    "workspaces:DescribeWorkspacesConnectionStatus",
  ],
  annotations: READ_ONLY,
  description: "When did users connect to this WorkSpaces Personal desktop, and did connections fail? Per period " +
    "(period_hours, default daily) over lookback_days: UserConnected, ConnectionAttempt / Success / Failure, " +
    "SessionLaunchTime and InSessionLatency (average, peak, totals), plus the live connection state and last " +
    "known connection. One batched CloudWatch read.",
  input: ConnectionHistoryInput,
  output: ConnectionHistoryOutput,
  async run(ctx, args) {
    const [region] = await ctx.regions(args);
    const id = args.workspace_id;
    const col = new Collection();
    const o = { region, signal: ctx.signal };
    const [described, statuses, history] = await Promise.all([
      col.attempt(
        { service: "workspaces", operation: "DescribeWorkspaces", region },
        async () =>
          (await collect(ctx.aws, "workspaces", "DescribeWorkspaces", { WorkspaceIds: [id] }, "Workspaces", o)).items,
      ),
      col.attempt(
        { service: "workspaces", operation: "DescribeWorkspacesConnectionStatus", region },
        async () =>
          (await collect(
            ctx.aws,
            "workspaces",
            "DescribeWorkspacesConnectionStatus",
            { WorkspaceIds: [id] },
            "WorkspacesConnectionStatus",
            o,
          )).items,
      ),
      readHistory(
        ctx,
        region,
        "AWS/WorkSpaces",
        { WorkspaceId: id },
        CONNECTION_METRICS,
        args.lookback_days,
        args.period_hours,
        col,
      ),
    ]);
    if (described && described.length === 0) {
      throw new ToolFailure(
        "NotFound",
        `No desktop ${id} in ${region}.`,
        "Check the id and the region (desktop ids are per region); get_euc_inventory_summary lists what exists.",
      );
    }
    if (history.failed) col.failIfNothing("connection history");
    const w = described?.[0];
    const status = statuses?.[0];
    const m = history.metrics;
    const connected = m.UserConnected.series.filter((p) => (p.peak ?? 0) >= 1).length;
    const failures = m.ConnectionFailure.total;
    const state = status?.ConnectionState ?? null;
    const last = status?.LastKnownUserConnectionTimestamp?.toISOString() ?? null;
    const parts: string[] = [];
    if (history.failed) parts.push("CloudWatch could not be read (see errors)");
    else if (connected === 0) {
      parts.push(`No user connections in the last ${args.lookback_days} days (unused in this window)`);
    } else {
      parts.push(
        `Connected in ${connected} of ${history.periods} periods of ${args.period_hours} h over ${args.lookback_days} days`,
      );
    }
    if ((failures ?? 0) > 0 || (m.ConnectionFailure.peak ?? 0) > 0) {
      parts.push(
        `${
          failures ?? "some"
        } failed connection attempts: check connectivity (client network, directory, IP access groups)`,
      );
    }
    parts.push(
      state === "CONNECTED" ? "a user is connected right now" : `live connection state ${state ?? "unknown"}` +
        (last ? `, last connection ${last}` : ""),
    );
    return {
      summary: `${id}: ${parts.join("; ")}.`,
      data: {
        target_type: "workspace",
        target_id: id,
        region,
        state: w?.State ?? null,
        running_mode: w?.WorkspaceProperties?.RunningMode ?? null,
        connection_state: state,
        last_connection: last,
        connected_periods: connected,
        total_periods: history.periods,
        connection_failures: failures,
        lookback_days: args.lookback_days,
        period_hours: args.period_hours,
        active_session_count: status ? (state === "CONNECTED" ? 1 : 0) : null,
        active_sessions: state === "CONNECTED"
          ? [{
            session_id: null,
            user: w?.UserName ?? null,
            state: "ACTIVE",
            connection_state: state,
            start_time: last,
          }]
          : [],
        metrics: m,
        summary: parts.join("; ") + ".",
        errors: col.errors,
        notes: [
          "CloudWatch is history only; the live state comes from DescribeWorkspacesConnectionStatus.",
          "A desktop with no connected periods had no user sessions; that is about use, not power state.",
        ],
      },
    };
  },
};

// ---------------------------------------------------------------- get_pool_session_history

const POOL_METRICS: readonly HistorySpec[] = [
  { metric: "ActiveUserSessionCapacity", unit: "count" },
  { metric: "ActualUserSessionCapacity", unit: "count" },
  { metric: "AvailableUserSessionCapacity", unit: "count" },
  { metric: "DesiredUserSessionCapacity", unit: "count" },
  { metric: "PendingUserSessionCapacity", unit: "count" },
  { metric: "UserSessionsCapacityUtilization", unit: "%" },
];
/** The Pools CloudWatch dimension name, literally (a reference bug used PoolId). */
const POOL_DIMENSION = "WorkSpaces pool ID";

const PoolHistoryInput = z.object({
  pool_id: z.string().regex(POOL_ID, "must be a WorkSpaces Pool id such as wspool-a1b2c3d4e").describe(
    "The pool (wspool-…)",
  ),
  region: RegionInput,
  lookback_days: lookbackDays(7),
  period_hours: PeriodHours,
});

const Capacity = z.object({
  desired: z.number().int().nullable(),
  actual: z.number().int().nullable(),
  active: z.number().int().nullable(),
  available: z.number().int().nullable(),
});

const PoolHistoryOutput = z.object({
  target_type: z.literal("pool"),
  target_id: z.string(),
  pool_name: z.string().nullable(),
  region: z.string(),
  state: z.string().nullable(),
  capacity: Capacity.describe("CapacityStatus right now"),
  idle_capacity: z.boolean().describe("Sessions were provisioned (Actual peak > 0) but none was used (Active peak 0)"),
  ...HistoryFields,
});

/** A pool's live sessions and its session capacity over time, with an idle-capacity flag. */
export const getPoolSessionHistory: ToolDef<typeof PoolHistoryInput, typeof PoolHistoryOutput> = {
  name: "get_pool_session_history",
  title: "WorkSpaces Pool session history",
  toolset: "utilization",
  tier: 0,
  actions: [
    "cloudwatch:GetMetricData",
    "workspaces:DescribeWorkspacesPoolSessions",
    "workspaces:DescribeWorkspacesPools",
  ],
  annotations: READ_ONLY,
  description: "Who is on this Amazon WorkSpaces Pool now, and how was its capacity used? Live sessions from " +
    "DescribeWorkspacesPoolSessions, plus Active / Actual / Available / Desired / Pending user-session capacity and " +
    "utilization per period over lookback_days (one batched CloudWatch read). Flags idle capacity: sessions " +
    "provisioned that nobody used.",
  input: PoolHistoryInput,
  output: PoolHistoryOutput,
  async run(ctx, args) {
    const [region] = await ctx.regions(args);
    const id = args.pool_id;
    const col = new Collection();
    const o = { region, signal: ctx.signal };
    const [pools, sessions, history] = await Promise.all([
      col.attempt(
        { service: "workspaces", operation: "DescribeWorkspacesPools", region },
        async () =>
          (await collect(ctx.aws, "workspaces", "DescribeWorkspacesPools", { PoolIds: [id] }, "WorkspacesPools", o))
            .items,
      ),
      col.attempt(
        { service: "workspaces", operation: "DescribeWorkspacesPoolSessions", region },
        async () =>
          (await collect(ctx.aws, "workspaces", "DescribeWorkspacesPoolSessions", { PoolId: id }, "Sessions", o)).items,
      ),
      readHistory(
        ctx,
        region,
        "AWS/WorkSpaces",
        { [POOL_DIMENSION]: id },
        POOL_METRICS,
        args.lookback_days,
        args.period_hours,
        col,
      ),
    ]);
    const notFound = col.errors.some((e) => e.code === "NotFound" && e.operation === "DescribeWorkspacesPoolSessions");
    if ((pools && pools.length === 0) || (!pools && notFound)) {
      throw new ToolFailure(
        "NotFound",
        `No WorkSpaces Pool ${id} in ${region}.`,
        "Check the id and the region; get_euc_inventory_summary lists the pools that exist.",
      );
    }
    if (history.failed) col.failIfNothing("pool session history");
    const pool = pools?.[0];
    const c = pool?.CapacityStatus;
    const m = history.metrics;
    const idle = (m.ActiveUserSessionCapacity.peak ?? 0) === 0 && (m.ActualUserSessionCapacity.peak ?? 0) > 0;
    const live = sessions?.map((s) => ({
      session_id: s.SessionId ?? null,
      user: s.UserId ?? null,
      state: null,
      connection_state: s.ConnectionState ?? null,
      start_time: s.StartTime?.toISOString() ?? null,
    }));
    const parts = [
      live ? `${plural(live.length, "live session")} right now` : "live sessions unknown (see errors)",
    ];
    if (c) {
      parts.push(
        `capacity now: ${c.ActiveUserSessions ?? 0} active of ${c.ActualUserSessions ?? 0} running, ` +
          `${c.DesiredUserSessions ?? 0} desired`,
      );
    }
    if (history.failed) parts.push("CloudWatch could not be read (see errors)");
    else if (m.ActiveUserSessionCapacity.peak === null && m.ActualUserSessionCapacity.peak === null) {
      parts.push(`no capacity metrics in the last ${args.lookback_days} days`);
    } else {
      parts.push(
        `peak ${m.ActiveUserSessionCapacity.peak ?? 0} active of ${m.ActualUserSessionCapacity.peak ?? 0} ` +
          `running sessions, average utilization ${m.UserSessionsCapacityUtilization.average ?? "n/a"}%`,
      );
    }
    if (idle) {
      parts.push(
        "idle pool capacity: sessions were running but none was used — lower the desired capacity or add a schedule",
      );
    }
    const summary = parts.join("; ") + ".";
    return {
      summary: `Pool ${id}: ${summary}`,
      data: {
        target_type: "pool",
        target_id: id,
        pool_name: pool?.PoolName ?? null,
        region,
        state: pool?.State ?? null,
        capacity: {
          desired: c?.DesiredUserSessions ?? null,
          actual: c?.ActualUserSessions ?? null,
          active: c?.ActiveUserSessions ?? null,
          available: c?.AvailableUserSessions ?? null,
        },
        idle_capacity: idle,
        lookback_days: args.lookback_days,
        period_hours: args.period_hours,
        active_session_count: live ? live.length : null,
        active_sessions: live ?? [],
        metrics: m,
        summary,
        errors: col.errors,
        notes: [
          "Live sessions come from DescribeWorkspacesPoolSessions (real time); CloudWatch is history only.",
          `Pool metrics use the dimension "${POOL_DIMENSION}".`,
        ],
      },
    };
  },
};

// ---------------------------------------------------------------- get_application_fleet_usage

const FLEET_METRICS: readonly HistorySpec[] = [
  { metric: "InUseCapacity", unit: "count" },
  { metric: "CapacityUtilization", unit: "%" },
  { metric: "ActualCapacity", unit: "count" },
  { metric: "AvailableCapacity", unit: "count" },
  { metric: "RunningCapacity", unit: "count" },
  { metric: "DesiredCapacity", unit: "count" },
  { metric: "PendingCapacity", unit: "count" },
];

const FleetUsageInput = z.object({
  fleet_name: z.string().regex(FLEET_NAME, "must be a WorkSpaces Applications fleet name").describe(
    "The WorkSpaces Applications (AppStream 2.0) fleet name",
  ),
  region: RegionInput,
  lookback_days: lookbackDays(7),
  period_hours: PeriodHours,
});

const FleetUsageOutput = z.object({
  fleet_name: z.string(),
  region: z.string(),
  state: z.string().nullable(),
  fleet_type: z.string().nullable(),
  capacity: z.object({
    desired: z.number().int().nullable(),
    running: z.number().int().nullable(),
    in_use: z.number().int().nullable(),
    available: z.number().int().nullable(),
  }).describe("ComputeCapacityStatus right now"),
  stacks: z.array(z.string()).describe("Associated stacks (live sessions are listed through them)"),
  idle_capacity: z.boolean().describe("Instances ran (Running or Actual peak > 0) but none was in use (InUse peak 0)"),
  ...HistoryFields,
});

/** A fleet's live sessions (through its stacks) and its capacity over time, with an idle-capacity flag. */
export const getApplicationFleetUsage: ToolDef<typeof FleetUsageInput, typeof FleetUsageOutput> = {
  name: "get_application_fleet_usage",
  title: "WorkSpaces Applications fleet usage",
  toolset: "utilization",
  tier: 0,
  actions: [
    "appstream:DescribeFleets",
    "appstream:DescribeSessions",
    "appstream:ListAssociatedStacks",
    "cloudwatch:GetMetricData",
  ],
  annotations: READ_ONLY,
  description: "Who is using this Amazon WorkSpaces Applications (formerly AppStream 2.0) fleet now, and how was " +
    "its capacity used? Live sessions through the fleet's associated stacks (DescribeSessions), plus InUse, " +
    "utilization and Actual / Available / Running / Desired / Pending capacity per period over lookback_days (one " +
    "batched CloudWatch read). Flags idle running capacity.",
  input: FleetUsageInput,
  output: FleetUsageOutput,
  async run(ctx, args) {
    const [region] = await ctx.regions(args);
    const name = args.fleet_name;
    const col = new Collection();
    const o = { region, signal: ctx.signal };
    const liveSessions = async () => {
      const stacks = await col.attempt(
        { service: "appstream", operation: "ListAssociatedStacks", region },
        async () =>
          (await collect(ctx.aws, "appstream", "ListAssociatedStacks", { FleetName: name }, "Names", o)).items,
      );
      if (!stacks) return { stacks: [] as string[], sessions: undefined };
      const per = await mapLimit(stacks, SESSION_CONCURRENCY, (StackName) =>
        col.attempt(
          { service: "appstream", operation: "DescribeSessions", region },
          async () =>
            (await collect(ctx.aws, "appstream", "DescribeSessions", { StackName, FleetName: name }, "Sessions", o))
              .items,
        ));
      const failed = per.some((s) => s === undefined);
      return { stacks, sessions: failed ? undefined : per.flatMap((s) => s ?? []) };
    };
    const [fleets, live, history] = await Promise.all([
      col.attempt(
        { service: "appstream", operation: "DescribeFleets", region },
        async () => (await collect(ctx.aws, "appstream", "DescribeFleets", { Names: [name] }, "Fleets", o)).items,
      ),
      liveSessions(),
      readHistory(
        ctx,
        region,
        "AWS/AppStream",
        { Fleet: name },
        FLEET_METRICS,
        args.lookback_days,
        args.period_hours,
        col,
      ),
    ]);
    const missing = col.errors.some((e) => e.code === "NotFound" && e.operation === "DescribeFleets");
    if (missing || (fleets && fleets.length === 0)) {
      throw new ToolFailure(
        "NotFound",
        `No WorkSpaces Applications fleet ${name} in ${region}.`,
        "Check the name and the region; get_euc_inventory_summary lists the fleets that exist.",
      );
    }
    if (history.failed) col.failIfNothing("fleet usage");
    const fleet = fleets?.[0];
    const c = fleet?.ComputeCapacityStatus;
    const m = history.metrics;
    const idle = (m.InUseCapacity.peak ?? 0) === 0 &&
      ((m.RunningCapacity.peak ?? 0) > 0 || (m.ActualCapacity.peak ?? 0) > 0);
    const sessions = live.sessions?.map((s) => ({
      session_id: s.Id ?? null,
      user: s.UserId ?? null,
      state: s.State ?? null,
      connection_state: s.ConnectionState ?? null,
      start_time: s.StartTime?.toISOString() ?? null,
      stack_name: s.StackName ?? null,
    }));
    const parts = [
      sessions
        ? `${plural(sessions.length, "live session")} right now across ${plural(live.stacks.length, "stack")}`
        : "live sessions unknown (see errors)",
    ];
    if (c) {
      parts.push(`capacity now: ${c.InUse ?? 0} in use of ${c.Running ?? 0} running, ${c.Desired ?? 0} desired`);
    }
    if (history.failed) parts.push("CloudWatch could not be read (see errors)");
    else if (m.InUseCapacity.peak === null && m.RunningCapacity.peak === null && m.ActualCapacity.peak === null) {
      parts.push(`no capacity metrics in the last ${args.lookback_days} days`);
    } else {
      parts.push(
        `peak ${m.InUseCapacity.peak ?? 0} in use of ${m.RunningCapacity.peak ?? m.ActualCapacity.peak ?? 0} ` +
          `running, average utilization ${m.CapacityUtilization.average ?? "n/a"}%`,
      );
    }
    if (idle) {
      parts.push(
        "idle running capacity: instances ran but none was in use — lower the desired capacity or scale to zero off-hours",
      );
    }
    if (fleet?.State === "STOPPED") parts.push("the fleet is STOPPED");
    const summary = parts.join("; ") + ".";
    return {
      summary: `${PRODUCT.applications} fleet ${name}: ${summary}`,
      data: {
        fleet_name: name,
        region,
        state: fleet?.State ?? null,
        fleet_type: fleet?.FleetType ?? null,
        capacity: {
          desired: c?.Desired ?? null,
          running: c?.Running ?? null,
          in_use: c?.InUse ?? null,
          available: c?.Available ?? null,
        },
        stacks: live.stacks,
        idle_capacity: idle,
        lookback_days: args.lookback_days,
        period_hours: args.period_hours,
        active_session_count: sessions ? sessions.length : null,
        active_sessions: sessions ?? [],
        metrics: m,
        summary,
        errors: col.errors,
        notes: [
          "Live sessions come from DescribeSessions through each associated stack (real time); CloudWatch is history only.",
          "On-Demand fleets bill running instances by the hour (stopped instances at a small fee); Always-On fleets bill every running instance.",
        ],
      },
    };
  },
};

// ---------------------------------------------------------------- list_unused_resources

const UnusedInput = z.object({
  region: RegionInput,
  regions: RegionsInput,
  lookback_days: lookbackDays(14),
  limit: Limit,
  next_token: NextToken,
});

const UnusedItem = z.object({
  service: z.string().describe("Current product name"),
  resource_type: z.string().describe("WorkSpace, WorkSpacesPool or Fleet"),
  id: z.string(),
  region: z.string(),
  reason: z.string(),
  state: z.string().nullable(),
  running_mode: z.string().nullable().describe("Desktops and pools: running mode; fleets: fleet type"),
  last_connection: z.string().nullable().describe("Desktops: last known user connection"),
});
type UnusedItemData = z.infer<typeof UnusedItem>;

const UnusedOutput = z.object({
  region: z.string(),
  regions: z.array(z.string()),
  lookback_days: z.number().int(),
  counts: z.object({
    unused_desktops: z.number().int(),
    no_data_desktops: z.number().int().describe("No metrics but a known connection: listed apart, not unused"),
    unknown_desktops: z.number().int().describe("Metrics unreadable"),
    unused_pools: z.number().int(),
    unused_fleets: z.number().int(),
  }),
  items: z.array(UnusedItem).describe("Unused resources: desktops first, then pools and fleets"),
  ...PageFields,
  no_data: z.array(UnusedItem).describe(
    `Desktops without connected samples that are NOT called unused (at most ${MAX_SKIPPED_LISTED} listed)`,
  ),
  errors: Errors,
  notes: Notes,
});

type Pool = NonNullable<OpOutput<"workspaces", "DescribeWorkspacesPools">["WorkspacesPools"]>[number];
type Fleet = NonNullable<OpOutput<"appstream", "DescribeFleets">["Fleets"]>[number];

/** Pools and fleets of a region with the idle checks (stopped, no capacity, no use in the window). */
async function unusedCapacity(
  ctx: ToolContext,
  region: string,
  lookback: number,
  col: Collection,
): Promise<UnusedItemData[]> {
  const o = { region, signal: ctx.signal };
  const [pools, fleets] = await Promise.all([
    col.attempt(
      { service: "workspaces", operation: "DescribeWorkspacesPools", region },
      async () => (await collect(ctx.aws, "workspaces", "DescribeWorkspacesPools", {}, "WorkspacesPools", o)).items,
    ),
    col.attempt(
      { service: "appstream", operation: "DescribeFleets", region },
      async () => (await collect(ctx.aws, "appstream", "DescribeFleets", {}, "Fleets", o)).items,
    ),
  ]);
  const items: UnusedItemData[] = [];
  const poolItem = (p: Pool, reason: string): UnusedItemData => ({
    service: PRODUCT.pools,
    resource_type: "WorkSpacesPool",
    id: p.PoolId ?? "",
    region,
    reason,
    state: p.State ?? null,
    running_mode: p.RunningMode ?? null,
    last_connection: null,
  });
  const fleetItem = (f: Fleet, reason: string): UnusedItemData => ({
    service: PRODUCT.applications,
    resource_type: "Fleet",
    id: f.Name ?? "",
    region,
    reason,
    state: f.State ?? null,
    running_mode: f.FleetType ?? null,
    last_connection: null,
  });
  // Running pools and fleets: one batched read of their in-use peaks (cheap: one query each).
  const watchedPools: Pool[] = [];
  const watchedFleets: Fleet[] = [];
  for (const p of pools ?? []) {
    if (p.State === "STOPPED") items.push(poolItem(p, "The pool is STOPPED."));
    else if (p.CapacityStatus?.DesiredUserSessions === 0) {
      items.push(poolItem(p, "The pool's desired user-session capacity is 0."));
    } else if (p.PoolId) watchedPools.push(p);
  }
  for (const f of fleets ?? []) {
    if (f.State === "STOPPED") items.push(fleetItem(f, "The fleet is STOPPED."));
    else if (f.ComputeCapacityStatus?.Desired === 0) items.push(fleetItem(f, "The fleet's desired capacity is 0."));
    else if (f.Name) watchedFleets.push(f);
  }
  const queries: MetricQuery[] = [
    ...watchedPools.map((p) => ({
      namespace: "AWS/WorkSpaces",
      metric: "ActiveUserSessionCapacity",
      dimensions: { [POOL_DIMENSION]: p.PoolId! },
      stat: "Maximum",
    })),
    ...watchedFleets.map((f) => ({
      namespace: "AWS/AppStream",
      metric: "InUseCapacity",
      dimensions: { Fleet: f.Name! },
      stat: "Maximum",
    })),
  ];
  if (queries.length === 0) return items;
  const r = await getMetricSeries(ctx.aws, region, queries, metricWindow(lookback * DAY, 86_400), {
    signal: ctx.signal,
  });
  col.errors.push(...r.errors);
  const unusedIn = (s: Series | null) => s !== null && s.values.length > 0 && maxOf(s.values) === 0;
  watchedPools.forEach((p, i) => {
    if (unusedIn(r.series[i])) {
      items.push(poolItem(p, `No user sessions in the last ${lookback} days (ActiveUserSessionCapacity peak 0).`));
    }
  });
  watchedFleets.forEach((f, i) => {
    if (unusedIn(r.series[watchedPools.length + i])) {
      items.push(fleetItem(f, `No instance in use in the last ${lookback} days (InUseCapacity peak 0).`));
    }
  });
  return items;
}

function desktopItem(d: DesktopUsage): UnusedItemData {
  const w = d.workspace;
  return {
    service: PRODUCT.personal,
    resource_type: "WorkSpace",
    id: w.WorkspaceId!,
    region: d.region,
    reason: d.classification_reason,
    state: w.State ?? null,
    running_mode: w.WorkspaceProperties?.RunningMode ?? null,
    last_connection: d.last_connection,
  };
}

/** Desktops nobody connected to, stopped or empty fleets and pools, and pools/fleets nobody used. */
export const listUnusedResources: ToolDef<typeof UnusedInput, typeof UnusedOutput> = {
  name: "list_unused_resources",
  title: "List unused EUC resources",
  toolset: "utilization",
  tier: 0,
  actions: [
    "appstream:DescribeFleets",
    "cloudwatch:GetMetricData",
    "workspaces:DescribeWorkspaceDirectories",
    "workspaces:DescribeWorkspaces",
    "workspaces:DescribeWorkspacesConnectionStatus",
    "workspaces:DescribeWorkspacesPools",
  ],
  annotations: READ_ONLY,
  description: "What is nobody using? WorkSpaces Personal desktops with no user connection in lookback_days " +
    "(no connected UserConnected sample AND no known connection — desktops without metrics but with a known " +
    "connection are listed apart as no_data, never as unused), WorkSpaces Pools and WorkSpaces Applications " +
    "(AppStream 2.0) fleets that are STOPPED, have desired capacity 0, or had no session in the window. Recently " +
    "provisioned desktops can look unused. Fan out with regions.",
  input: UnusedInput,
  output: UnusedOutput,
  async run(ctx, args) {
    checkToken("list_unused_resources", args.next_token);
    const regions = await ctx.regions(args, true);
    const col = new Collection();
    const lookback = args.lookback_days;
    const [usage, capacity] = await Promise.all([
      analyzeRegions(ctx, regions, lookback, col),
      mapLimit(regions, REGION_CONCURRENCY, (region) => unusedCapacity(ctx, region, lookback, col)),
    ]);
    col.failIfNothing("resources");
    const desktops = usage.flatMap((u) => u.desktops);
    const unused = desktops.filter((d) => d.classification === "unused").map(desktopItem);
    const noData = desktops.filter((d) => d.classification === "no_data").map(desktopItem);
    const unknown = desktops.filter((d) => d.classification === "unknown").length;
    const others = capacity.flat();
    const items = [
      ...unused,
      ...others.filter((i) => i.resource_type === "WorkSpacesPool"),
      ...others.filter((i) => i.resource_type === "Fleet"),
    ];
    const page = pageOf("list_unused_resources", items, args.limit, args.next_token);
    const counts = {
      unused_desktops: unused.length,
      no_data_desktops: noData.length,
      unknown_desktops: unknown,
      unused_pools: others.filter((i) => i.resource_type === "WorkSpacesPool").length,
      unused_fleets: others.filter((i) => i.resource_type === "Fleet").length,
    };
    const notes = [
      "Recently provisioned desktops can look unused: check the user and the creation date before removing one.",
      "Unused is about user connections, not power state: a STOPPED desktop is not unused if its user connects.",
    ];
    if (noData.length) {
      notes.push(
        `${
          plural(noData.length, "desktop")
        } had no connected samples but a known connection in the window (or an unreadable status): listed in no_data, not as unused.`,
      );
    }
    if (unknown) notes.push(`${plural(unknown, "desktop")} could not be classified: CloudWatch failed (see errors).`);
    if (page.truncated) notes.push("Pass next_token (with the same arguments) for the next page.");
    const total = counts.unused_desktops + counts.unused_pools + counts.unused_fleets;
    return {
      summary: `${total} unused resources in ${regions.join(", ")} over ${lookback} days: ${counts.unused_desktops} ` +
        `desktops, ${counts.unused_pools} pools, ${counts.unused_fleets} fleets; ${counts.no_data_desktops} desktops ` +
        `without data (not unused)${col.errors.length ? `, ${plural(col.errors.length, "error")}` : ""}.`,
      data: {
        region: regions.join(","),
        regions,
        lookback_days: lookback,
        counts,
        items: page.items,
        total_count: page.total_count,
        truncated: page.truncated,
        next_token: page.next_token,
        no_data: noData.slice(0, MAX_SKIPPED_LISTED),
        errors: col.errors,
        notes,
      },
    };
  },
};

/** The tools of this toolset, in registration order. */
export const UTILIZATION_TOOLS = [
  analyzeWorkspaceUtilization,
  recommendRunningMode,
  recommendBundleRightsizing,
  getWorkspacePerformance,
  getWorkspaceConnectionHistory,
  getPoolSessionHistory,
  getApplicationFleetUsage,
  listUnusedResources,
] as const;
