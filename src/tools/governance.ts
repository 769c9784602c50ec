/**
 * The governance toolset: image audits, application access, the audit trail and service quotas.
 *
 * Improvements over the reference: image and quota audits fan out over regions (every item says
 * its region); image permission and stack-association lookups run with bounded concurrency and
 * follow every page; lists are capped with complete counts; the audit trail spends a fixed budget
 * of paced LookupEvents calls, looks up the curated event names only where the account-wide scan
 * did not reach, and says exactly how far back it saw everything; quota usage is read in batched
 * GetMetricData requests (never one per quota).
 */
import { z } from "zod";
import type { Aws, OpInput, OpOutput } from "../aws/clients.ts";
import { AwsCallError } from "../aws/clients.ts";
import { getMetricSeries, type MetricQuery, metricWindow } from "../aws/metrics.ts";
import { collect, mapLimit } from "../aws/paginate.ts";
import { appOperatingSystem, HOURS_PER_MONTH, priceListFor } from "../aws/pricing.ts";
import { PRODUCT, serviceFromAlias, type ServiceId } from "../names.ts";
import { Collection } from "./_lib/collection.ts";
import { Finding, finding, rankFindings, severityCounts } from "./_lib/findings.ts";
import { READ_ONLY, type ToolContext, type ToolDef, ToolFailure } from "./registry.ts";
import { Errors, Notes, RegionInput, RegionsInput } from "./_lib/schemas.ts";

/** Regions worked on at once, and per-resource lookups in flight per region. */
const REGION_CONCURRENCY = 4;
const LOOKUP_CONCURRENCY = 8;
/** An image built on an AWS base image released longer ago than this misses OS and agent patches. */
const STALE_BASE_DAYS = 180;
/** A WorkSpaces image older than this is worth rebuilding with current patches. */
const OLD_IMAGE_DAYS = 180;
/** Names listed in one aggregated finding's detail before "and N more". */
const NAMES_IN_DETAIL = 10;

const DAY = 86_400_000;

type AppImage = NonNullable<OpOutput<"appstream", "DescribeImages">["Images"]>[number];
type ImageBuilder = NonNullable<OpOutput<"appstream", "DescribeImageBuilders">["ImageBuilders"]>[number];
type AppBlockBuilder = NonNullable<OpOutput<"appstream", "DescribeAppBlockBuilders">["AppBlockBuilders"]>[number];
type AppUser = NonNullable<OpOutput<"appstream", "DescribeUsers">["Users"]>[number];
type Stack = NonNullable<OpOutput<"appstream", "DescribeStacks">["Stacks"]>[number];
type WsImage = NonNullable<OpOutput<"workspaces", "DescribeWorkspaceImages">["Images"]>[number];
type TrailEvent = NonNullable<OpOutput<"cloudtrail", "LookupEvents">["Events"]>[number];
type Quota = NonNullable<OpOutput<"servicequotas", "ListServiceQuotas">["Quotas"]>[number];

const Limit = z.number().int().min(1).max(1000).default(100).describe(
  "Most items listed per list; counts and findings stay complete and `truncated` says when a list was cut",
);

const FindingCounts = z.object({ critical: z.number().int(), warning: z.number().int(), info: z.number().int() })
  .describe("Findings per severity");

function iso(d: Date | undefined): string | null {
  return d instanceof Date && !isNaN(d.getTime()) ? d.toISOString() : null;
}

function ageDays(d: Date | undefined, now: number): number | null {
  return d instanceof Date && !isNaN(d.getTime()) ? Math.floor((now - d.getTime()) / DAY) : null;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** "a, b, c and 4 more". */
function someNames(names: readonly string[], max = NAMES_IN_DETAIL): string {
  if (names.length <= max) return names.join(", ");
  return `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}

function findingSummary(findings: readonly Finding[]): string {
  const c = severityCounts(findings);
  const parts = [
    c.critical ? `${c.critical} critical` : "",
    c.warning ? plural(c.warning, "warning") : "",
    c.info ? `${c.info} info` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "no findings";
}

function errorSuffix(col: Collection): string {
  return col.errors.length ? ` (${plural(col.errors.length, "error")}: see errors)` : "";
}

// ================================================================ audit_application_images

const ImagesInput = z.object({ region: RegionInput, regions: RegionsInput, limit: Limit });

const AppImageRow = z.object({
  region: z.string(),
  name: z.string(),
  arn: z.string().nullable(),
  visibility: z.string().nullable().describe("PRIVATE (owned) or SHARED (shared with this account)"),
  platform: z.string().nullable(),
  state: z.string().nullable(),
  agent_version: z.string().nullable().describe('"LATEST" or the pinned agent version'),
  latest_agent: z.boolean().nullable().describe("AWS's LatestAppstreamAgentVersion: the agent is the newest release"),
  application_count: z.number().int(),
  applications: z.array(z.string()),
  error_count: z.number().int(),
  created: z.string().nullable(),
  base_image_released: z.string().nullable().describe("Release date of the AWS base image it was built from"),
  base_image_age_days: z.number().int().nullable(),
  allow_fleet: z.boolean().nullable().describe("SHARED images: this account may launch fleets from it"),
  allow_image_builder: z.boolean().nullable().describe("SHARED images: this account may launch image builders"),
  shared_with_others: z.boolean().nullable().describe("PRIVATE images: shared with other accounts"),
});

const BuilderRow = z.object({
  region: z.string(),
  name: z.string(),
  state: z.string().nullable(),
  instance_type: z.string().nullable(),
  platform: z.string().nullable(),
  created: z.string().nullable(),
  error_count: z.number().int(),
  image_arn: z.string().nullable().optional().describe("Image builders: the image it runs"),
  agent_version: z.string().nullable().optional(),
  hourly_usd: z.number().nullable().describe(
    "List price per hour while RUNNING (Price List, needs IAM tier 1); null when not running or not priced",
  ),
});

const AppImagesOutput = z.object({
  region: z.string().describe("The region, or a comma-separated list when several were scanned"),
  regions: z.array(z.string()),
  image_count: z.number().int().describe("PRIVATE and SHARED images (AWS PUBLIC base images are not audited)"),
  image_builder_count: z.number().int(),
  running_image_builders: z.number().int(),
  app_block_builder_count: z.number().int(),
  running_app_block_builders: z.number().int(),
  images: z.array(AppImageRow),
  image_builders: z.array(BuilderRow),
  app_block_builders: z.array(BuilderRow),
  truncated: z.boolean().describe("True when a list holds fewer items than its count"),
  finding_counts: FindingCounts,
  findings: z.array(Finding),
  errors: Errors,
  notes: Notes,
});

const IN_PROGRESS_IMAGE = new Set(["PENDING", "CREATING", "COPYING", "IMPORTING", "VALIDATING"]);
const BUILDER_RATE_NOTE = "get_euc_service_prices gives the full price breakdown";

function imageFindings(img: AppImage, region: string, now: number): Finding[] {
  const out: Finding[] = [];
  const name = img.Name ?? "?";
  const id = img.Arn ?? name;
  const state = img.State ?? "UNKNOWN";
  if (state !== "AVAILABLE") {
    const reason = img.StateChangeReason?.Message ? `: ${img.StateChangeReason.Message}` : "";
    out.push(finding(
      "warning",
      `Image ${name} is ${state}`,
      `State ${state} in ${region}${reason}. Fleets and image builders can only use AVAILABLE images.`,
      IN_PROGRESS_IMAGE.has(state)
        ? "It is still being created or copied; check again later before pointing a fleet at it."
        : state === "FAILED"
        ? "Create the image again from its image builder (the state reason says why it failed), then delete the failed one."
        : "Do not reference it from fleets; check the image in the WorkSpaces Applications console.",
      id,
    ));
  }
  const errors = img.ImageErrors ?? [];
  if (errors.length > 0) {
    out.push(finding(
      "warning",
      `Image ${name} reports ${plural(errors.length, "error")}`,
      errors.map((e) => `${e.ErrorCode ?? "error"}: ${e.ErrorMessage ?? ""}`.trim()).join("; "),
      "Fix the cause on the image builder and create a new image; fleets built from it may fail to provision.",
      id,
    ));
  }
  const agent = img.AppstreamAgentVersion;
  if (agent && agent !== "LATEST") {
    const current = img.LatestAppstreamAgentVersion === "TRUE";
    out.push(finding(
      current ? "info" : "warning",
      `Image ${name} is pinned to agent ${agent}`,
      current
        ? `The agent is pinned to ${agent}, which AWS reports as the newest release today; it will not pick up later releases.`
        : `The agent is pinned to ${agent}, which is not the newest release: fleets from this image miss agent fixes.`,
      "Create a new image with the agent set to always use the latest version (or update the pinned agent on a builder).",
      id,
    ));
  }
  const baseAge = ageDays(img.PublicBaseImageReleasedDate, now);
  if (baseAge !== null && baseAge > STALE_BASE_DAYS) {
    out.push(finding(
      "warning",
      `Image ${name} has a stale base image (${baseAge} days old)`,
      `Built on an AWS base image released ${
        iso(img.PublicBaseImageReleasedDate)?.slice(0, 10)
      }, more than ${STALE_BASE_DAYS} days ago: it lacks later OS and agent patches.`,
      "Rebuild it on a current AWS base image (or use managed image updates) and move its fleets to the new image.",
      id,
    ));
  }
  if (img.Visibility === "SHARED") {
    const owner = /^arn:[^:]+:appstream:[^:]*:(\d{12}):/.exec(img.Arn ?? "")?.[1];
    const p = img.ImagePermissions;
    out.push(finding(
      "info",
      `Image ${name} is shared with this account${owner ? ` by account ${owner}` : ""}`,
      `Permissions: fleets ${p?.allowFleet ? "allowed" : "not allowed"}, image builders ${
        p?.allowImageBuilder ? "allowed" : "not allowed"
      }. Its owner controls its content and can revoke the share.`,
      "Make sure the owning account is trusted and that fleets using it do not depend on a share that may be withdrawn.",
      id,
    ));
  }
  if (img.Visibility === "PRIVATE" && img.ImageSharedWithOthers === "TRUE") {
    out.push(finding(
      "info",
      `Image ${name} is shared with other accounts`,
      "The account shares this image; whoever it is shared with can launch fleets or builders from it.",
      "Review the accounts in the image's permissions (WorkSpaces Applications console, Images → Permissions) and remove any that should not have it.",
      id,
    ));
  }
  return out;
}

type BuilderLike = { State?: string; InstanceType?: string; Platform?: string };

function rateKey(region: string, fn: string, b: BuilderLike): string {
  return `${region}|${fn}|${b.InstanceType ?? ""}|${appOperatingSystem(b.Platform)}`;
}

/** Hourly list prices of the running builders, one Price List lookup per distinct type/OS; failures go to errors. */
async function builderRates(
  ctx: ToolContext,
  perRegion: readonly { region: string; builders?: BuilderLike[]; blockBuilders?: BuilderLike[] }[],
  col: Collection,
): Promise<Map<string, number>> {
  const wanted = new Map<string, { region: string; fn: string; type: string; os: string }>();
  for (const r of perRegion) {
    for (const [fn, list] of [["ImageBuilder", r.builders], ["AppBlockBuilder", r.blockBuilders]] as const) {
      for (const b of list ?? []) {
        if (b.State !== "RUNNING" || !b.InstanceType) continue;
        wanted.set(rateKey(r.region, fn, b), {
          region: r.region,
          fn,
          type: b.InstanceType,
          os: appOperatingSystem(b.Platform),
        });
      }
    }
  }
  const rates = new Map<string, number>();
  const prices = priceListFor(ctx.aws);
  const seen = new Set<string>();
  await mapLimit([...wanted], 4, async ([key, w]) => {
    const r = await prices.applicationsHourly(w.region, w.type, w.fn, w.os, ctx.signal);
    if (r.value.hourly_usd !== null) rates.set(key, r.value.hourly_usd);
    for (const e of r.errors) {
      const id = `${e.code}|${e.operation}|${e.region}`;
      if (!seen.has(id)) col.errors.push(e);
      seen.add(id);
    }
  });
  return rates;
}

/** One image or app-block builder: its row (with the running rate) and its findings. */
function builderEntry(
  kind: "Image builder" | "App-block builder",
  fn: "ImageBuilder" | "AppBlockBuilder",
  region: string,
  b: BuilderLike & { Name?: string; Arn?: string; CreatedTime?: Date },
  errors: { ErrorCode?: string; ErrorMessage?: string }[],
  rates: ReadonlyMap<string, number>,
): { row: z.infer<typeof BuilderRow>; findings: Finding[] } {
  const name = b.Name ?? "?";
  const hourly = b.State === "RUNNING" ? rates.get(rateKey(region, fn, b)) ?? null : null;
  return {
    row: {
      region,
      name,
      state: b.State ?? null,
      instance_type: b.InstanceType ?? null,
      platform: b.Platform ?? null,
      created: iso(b.CreatedTime),
      error_count: errors.length,
      hourly_usd: hourly,
    },
    findings: builderFindings(kind, name, b.State, b.InstanceType, errors, b.Arn ?? name, hourly),
  };
}

function builderFindings(
  kind: "Image builder" | "App-block builder",
  name: string,
  state: string | undefined,
  instanceType: string | undefined,
  errors: { ErrorCode?: string; ErrorMessage?: string }[],
  id: string,
  hourly: number | null = null,
): Finding[] {
  const out: Finding[] = [];
  if (state === "RUNNING") {
    const rate = hourly === null
      ? "the rate is unknown (no Price List match or no tier-1 access)"
      : `$${hourly.toFixed(3)}/hr (~$${Math.round(hourly * HOURS_PER_MONTH)}/mo)`;
    out.push(finding(
      "warning",
      `${kind} ${name} is running — a running builder bills by the hour`,
      `${kind} ${name} (${
        instanceType ?? "unknown instance type"
      }) is RUNNING and billed per hour until stopped: ${rate}; ${BUILDER_RATE_NOTE}.`,
      `Stop it when nobody is building (${
        kind === "Image builder" ? "StopImageBuilder" : "StopAppBlockBuilder"
      }); start it again when needed.`,
      id,
    ));
  }
  if (errors.length > 0 || state === "FAILED") {
    out.push(finding(
      "warning",
      `${kind} ${name} ${state === "FAILED" ? "FAILED" : `reports ${plural(errors.length, "error")}`}`,
      errors.length
        ? errors.map((e) => `${e.ErrorCode ?? "error"}: ${e.ErrorMessage ?? ""}`.trim()).join("; ")
        : "The builder is in state FAILED.",
      "Check its network (subnet, security group, internet or VPC endpoints) and IAM role, then delete and recreate it.",
      id,
    ));
  }
  return out;
}

function appImageRow(img: AppImage, region: string, now: number): z.infer<typeof AppImageRow> {
  const apps = (img.Applications ?? []).map((a) => a.DisplayName ?? a.Name ?? "?");
  return {
    region,
    name: img.Name ?? "?",
    arn: img.Arn ?? null,
    visibility: img.Visibility ?? null,
    platform: img.Platform ?? null,
    state: img.State ?? null,
    agent_version: img.AppstreamAgentVersion ?? null,
    latest_agent: img.LatestAppstreamAgentVersion === undefined ? null : img.LatestAppstreamAgentVersion === "TRUE",
    application_count: apps.length,
    applications: apps,
    error_count: (img.ImageErrors ?? []).length,
    created: iso(img.CreatedTime),
    base_image_released: iso(img.PublicBaseImageReleasedDate),
    base_image_age_days: ageDays(img.PublicBaseImageReleasedDate, now),
    allow_fleet: img.ImagePermissions?.allowFleet ?? null,
    allow_image_builder: img.ImagePermissions?.allowImageBuilder ?? null,
    shared_with_others: img.ImageSharedWithOthers === undefined ? null : img.ImageSharedWithOthers === "TRUE",
  };
}

interface AppImagesOfRegion {
  region: string;
  images: AppImage[];
  builders?: ImageBuilder[];
  blockBuilders?: AppBlockBuilder[];
}

async function appImagesOf(ctx: ToolContext, region: string, col: Collection): Promise<AppImagesOfRegion> {
  const o = { region, signal: ctx.signal };
  const where = (operation: string) => ({ service: "appstream", operation, region });
  // PUBLIC images are AWS's base images: hundreds of them, none the administrator's to fix.
  const [own, shared, builders, blockBuilders] = await Promise.all([
    col.attempt(
      where("DescribeImages"),
      async () => (await collect(ctx.aws, "appstream", "DescribeImages", { Type: "PRIVATE" }, "Images", o)).items,
    ),
    col.attempt(
      where("DescribeImages"),
      async () => (await collect(ctx.aws, "appstream", "DescribeImages", { Type: "SHARED" }, "Images", o)).items,
    ),
    col.attempt(
      where("DescribeImageBuilders"),
      async () => (await collect(ctx.aws, "appstream", "DescribeImageBuilders", {}, "ImageBuilders", o)).items,
    ),
    col.attempt(
      where("DescribeAppBlockBuilders"),
      async () => (await collect(ctx.aws, "appstream", "DescribeAppBlockBuilders", {}, "AppBlockBuilders", o)).items,
    ),
  ]);
  return { region, images: [...own ?? [], ...shared ?? []], builders, blockBuilders };
}

/** Audits WorkSpaces Applications images, image builders and app-block builders. */
export const auditApplicationImages: ToolDef<typeof ImagesInput, typeof AppImagesOutput> = {
  name: "audit_application_images",
  title: "Audit WorkSpaces Applications images and builders",
  toolset: "governance",
  tier: 0,
  actions: ["appstream:DescribeAppBlockBuilders", "appstream:DescribeImageBuilders", "appstream:DescribeImages"],
  enrichment: { "pricing:GetProducts": 1 },
  annotations: READ_ONLY,
  description:
    "Audits Amazon WorkSpaces Applications (formerly AppStream 2.0) images owned by or shared with the account, " +
    "image builders and app-block builders: images not AVAILABLE or with errors, agents pinned to a version, base " +
    `images older than ${STALE_BASE_DAYS} days (stale base), shared images, and running builders (billed by the hour). ` +
    "AWS public base images are skipped. Fan out with regions.",
  input: ImagesInput,
  output: AppImagesOutput,
  async run(ctx, args) {
    const regions = await ctx.regions(args, true);
    const col = new Collection();
    const now = Date.now();
    let done = 0;
    const perRegion = await mapLimit(regions, REGION_CONCURRENCY, async (region) => {
      const r = await appImagesOf(ctx, region, col);
      await ctx.progress(++done, regions.length, `images in ${region}`);
      return r;
    });
    col.failIfNothing("WorkSpaces Applications images or builders");
    // Optional enrichment: the list price of each running builder (Price List, tier 1; its failure is only an error entry).
    const rates = await builderRates(ctx, perRegion, col);
    const findings: Finding[] = [];
    const images: z.infer<typeof AppImageRow>[] = [];
    const imageBuilders: z.infer<typeof BuilderRow>[] = [];
    const blockBuilders: z.infer<typeof BuilderRow>[] = [];
    for (const r of perRegion) {
      for (const img of r.images) {
        images.push(appImageRow(img, r.region, now));
        findings.push(...imageFindings(img, r.region, now));
      }
      for (const b of r.builders ?? []) {
        const e = builderEntry("Image builder", "ImageBuilder", r.region, b, b.ImageBuilderErrors ?? [], rates);
        imageBuilders.push({ ...e.row, image_arn: b.ImageArn ?? null, agent_version: b.AppstreamAgentVersion ?? null });
        findings.push(...e.findings);
      }
      for (const b of r.blockBuilders ?? []) {
        const e = builderEntry(
          "App-block builder",
          "AppBlockBuilder",
          r.region,
          b,
          b.AppBlockBuilderErrors ?? [],
          rates,
        );
        blockBuilders.push(e.row);
        findings.push(...e.findings);
      }
    }
    const ranked = rankFindings(findings);
    const runningBuilders = imageBuilders.filter((b) => b.state === "RUNNING").length;
    const runningBlockBuilders = blockBuilders.filter((b) => b.state === "RUNNING").length;
    const cap = args.limit;
    const truncated = images.length > cap || imageBuilders.length > cap || blockBuilders.length > cap;
    const notes = ["AWS-provided PUBLIC base images are not audited; PRIVATE (owned) and SHARED images are."];
    if (runningBuilders + runningBlockBuilders > 0) {
      notes.push(
        `Running builders bill by the hour at the list price shown (Price List, needs IAM tier 1); ${BUILDER_RATE_NOTE}.`,
      );
    }
    if (truncated) notes.push(`Lists are capped at limit=${cap}; counts and findings cover everything.`);
    if (col.errors.length) notes.push("Listings in errors are missing from the counts, not zero.");
    return {
      summary: `${plural(images.length, "image")}, ${
        plural(imageBuilders.length, "image builder")
      } (${runningBuilders} running), ${
        plural(blockBuilders.length, "app-block builder")
      } (${runningBlockBuilders} running) in ${regions.join(", ")}: ${findingSummary(ranked)}${errorSuffix(col)}.`,
      data: {
        region: regions.join(","),
        regions,
        image_count: images.length,
        image_builder_count: imageBuilders.length,
        running_image_builders: runningBuilders,
        app_block_builder_count: blockBuilders.length,
        running_app_block_builders: runningBlockBuilders,
        images: images.slice(0, cap),
        image_builders: imageBuilders.slice(0, cap),
        app_block_builders: blockBuilders.slice(0, cap),
        truncated,
        finding_counts: severityCounts(ranked),
        findings: ranked,
        errors: col.errors,
        notes,
      },
    };
  },
};

// ================================================================ audit_workspace_images

const WsImageRow = z.object({
  region: z.string(),
  image_id: z.string(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  state: z.string().nullable(),
  operating_system: z.string().nullable(),
  created: z.string().nullable(),
  age_days: z.number().int().nullable(),
  owner_account: z.string().nullable(),
  image_type: z.enum(["OWNED", "SHARED"]).describe("OWNED by this account, or SHARED with it by another account"),
  shared_with_accounts: z.array(z.string()).nullable().describe(
    "OWNED images: the accounts it is shared with; null for SHARED images or when the lookup failed",
  ),
  required_tenancy: z.string().nullable(),
  update_available: z.boolean().nullable(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
});

const WsImagesOutput = z.object({
  region: z.string(),
  regions: z.array(z.string()),
  image_count: z.number().int(),
  images: z.array(WsImageRow),
  truncated: z.boolean(),
  finding_counts: FindingCounts,
  findings: z.array(Finding),
  errors: Errors,
  notes: Notes,
});

function wsImageFindings(row: z.infer<typeof WsImageRow>, errorDetails: string[]): Finding[] {
  const out: Finding[] = [];
  const label = `${row.image_id}${row.name ? ` (${row.name})` : ""}`;
  if (row.state === "ERROR") {
    const why = [row.error_code, row.error_message, ...errorDetails].filter(Boolean).join(": ");
    out.push(finding(
      "warning",
      `WorkSpaces image ${label} is in ERROR`,
      `${row.region}: ${(why || "no error detail from AWS").replace(/\.$/, "")}.`,
      "Bundles cannot use it: create the image again from a healthy desktop (after fixing what the error names), then delete this one.",
      row.image_id,
    ));
  }
  if (row.shared_with_accounts && row.shared_with_accounts.length > 0) {
    out.push(finding(
      "info",
      `WorkSpaces image ${label} is shared with ${plural(row.shared_with_accounts.length, "other account")}`,
      `Shared with ${someNames(row.shared_with_accounts)}.`,
      "Confirm every account should have it (UpdateWorkspaceImagePermission removes a share); shared images carry your installed software and settings.",
      row.image_id,
    ));
  }
  if (row.age_days !== null && row.age_days > OLD_IMAGE_DAYS) {
    out.push(finding(
      "info",
      `WorkSpaces image ${label} is ${row.age_days} days old`,
      `Created ${
        row.created?.slice(0, 10)
      }, more than ${OLD_IMAGE_DAYS} days ago; desktops built from it start without later OS patches.`,
      "Create a fresh image from an updated desktop and point its bundles at it.",
      row.image_id,
    ));
  }
  if (row.update_available) {
    out.push(finding(
      "info",
      `WorkSpaces image ${label} has an update available`,
      "AWS reports an update for this image (e.g. a newer WorkSpaces agent or drivers).",
      "Create an updated image (CreateUpdatedWorkspaceImage) and move its bundles to it.",
      row.image_id,
    ));
  }
  return out;
}

/** Audits WorkSpaces images: errors, sharing with other accounts, age. */
export const auditWorkspaceImages: ToolDef<typeof ImagesInput, typeof WsImagesOutput> = {
  name: "audit_workspace_images",
  title: "Audit WorkSpaces images",
  toolset: "governance",
  tier: 0,
  actions: ["workspaces:DescribeWorkspaceImagePermissions", "workspaces:DescribeWorkspaceImages"],
  annotations: READ_ONLY,
  description:
    "Audits Amazon WorkSpaces (Personal and Pools) custom images: images in ERROR, images shared with other " +
    `accounts (listing the account ids), images older than ${OLD_IMAGE_DAYS} days and available updates. Covers the ` +
    "account's own images and those shared with it. Fan out with regions.",
  input: ImagesInput,
  output: WsImagesOutput,
  async run(ctx, args) {
    const regions = await ctx.regions(args, true);
    const col = new Collection();
    const now = Date.now();
    let done = 0;
    const perRegion = await mapLimit(regions, REGION_CONCURRENCY, async (region) => {
      const o = { region, signal: ctx.signal };
      const where = { service: "workspaces", operation: "DescribeWorkspaceImages", region };
      // Listed by type: permissions can only be read for owned images.
      const [owned, shared] = await Promise.all([
        col.attempt(
          where,
          async () =>
            (await collect(ctx.aws, "workspaces", "DescribeWorkspaceImages", { ImageType: "OWNED" }, "Images", o))
              .items,
        ),
        col.attempt(
          where,
          async () =>
            (await collect(ctx.aws, "workspaces", "DescribeWorkspaceImages", { ImageType: "SHARED" }, "Images", o))
              .items,
        ),
      ]);
      const shares = await mapLimit(owned ?? [], LOOKUP_CONCURRENCY, (img) =>
        col.attempt(
          { service: "workspaces", operation: "DescribeWorkspaceImagePermissions", region },
          async () =>
            (await collect(
              ctx.aws,
              "workspaces",
              "DescribeWorkspaceImagePermissions",
              { ImageId: img.ImageId },
              "ImagePermissions",
              o,
            )).items.map((p) => p.SharedAccountId ?? "").filter(Boolean),
        ));
      await ctx.progress(++done, regions.length, `images in ${region}`);
      return { region, owned: owned ?? [], shared: shared ?? [], shares };
    });
    col.failIfNothing("WorkSpaces images");
    const rows: z.infer<typeof WsImageRow>[] = [];
    const findings: Finding[] = [];
    const add = (img: WsImage, region: string, type: "OWNED" | "SHARED", sharedWith: string[] | null) => {
      const row: z.infer<typeof WsImageRow> = {
        region,
        image_id: img.ImageId ?? "?",
        name: img.Name ?? null,
        description: img.Description ?? null,
        state: img.State ?? null,
        operating_system: img.OperatingSystem?.Type ?? null,
        created: iso(img.Created),
        age_days: ageDays(img.Created, now),
        owner_account: img.OwnerAccountId ?? null,
        image_type: type,
        shared_with_accounts: sharedWith,
        required_tenancy: img.RequiredTenancy ?? null,
        update_available: img.Updates?.UpdateAvailable ?? null,
        error_code: img.ErrorCode ?? null,
        error_message: img.ErrorMessage ?? null,
      };
      rows.push(row);
      const details = (img.ErrorDetails ?? []).map((d) => `${d.ErrorCode ?? ""} ${d.ErrorMessage ?? ""}`.trim());
      findings.push(...wsImageFindings(row, details));
    };
    for (const r of perRegion) {
      r.owned.forEach((img, i) => add(img, r.region, "OWNED", r.shares[i] ?? null));
      for (const img of r.shared) add(img, r.region, "SHARED", null);
    }
    const ranked = rankFindings(findings);
    const cap = args.limit;
    const notes: string[] = [];
    if (rows.length > cap) notes.push(`images is capped at limit=${cap}; image_count and findings cover every image.`);
    if (col.errors.some((e) => e.operation === "DescribeWorkspaceImagePermissions")) {
      notes.push("shared_with_accounts is null where the permission lookup failed (see errors).");
    }
    return {
      summary: `${plural(rows.length, "WorkSpaces image")} in ${regions.join(", ")}: ${findingSummary(ranked)}${
        errorSuffix(col)
      }.`,
      data: {
        region: regions.join(","),
        regions,
        image_count: rows.length,
        images: rows.slice(0, cap),
        truncated: rows.length > cap,
        finding_counts: severityCounts(ranked),
        findings: ranked,
        errors: col.errors,
        notes,
      },
    };
  },
};

// ================================================================ review_application_access

const AccessInput = z.object({ region: RegionInput, limit: Limit });

const UserRow = z.object({
  user_name: z.string(),
  enabled: z.boolean().nullable(),
  status: z.string().nullable().describe("CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED, COMPROMISED, …"),
  authentication_type: z.string().nullable(),
  created: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  stacks: z.array(z.string()).nullable().describe(
    "Stacks assigned to the user; null when some stack's assignments could not be read",
  ),
});

const AccessOutput = z.object({
  region: z.string(),
  user_count: z.number().int().describe("All user-pool users"),
  users: z.array(UserRow),
  stack_count: z.number().int(),
  stack_assignments: z.record(z.string(), z.array(z.string())).describe(
    "Stack name → assigned user-pool users (each list capped at limit)",
  ),
  stack_assignment_counts: z.record(z.string(), z.number().int()).describe("Stack name → number of assigned users"),
  stacks_without_assignments: z.array(z.string()),
  truncated: z.boolean(),
  finding_counts: FindingCounts,
  findings: z.array(Finding),
  errors: Errors,
  notes: Notes,
});

const PENDING_STATUSES = new Set(["FORCE_CHANGE_PASSWORD", "UNCONFIRMED", "RESET_REQUIRED"]);

function accessFindings(
  users: AppUser[],
  stacksByUser: Map<string, string[]> | undefined,
  stackCounts: Map<string, number> | undefined,
  assignmentsComplete: boolean,
): Finding[] {
  const out: Finding[] = [];
  const name = (u: AppUser) => u.UserName ?? "?";
  const compromised = users.filter((u) => u.Status === "COMPROMISED");
  if (compromised.length) {
    out.push(finding(
      "warning",
      `${plural(compromised.length, "user-pool user")} marked COMPROMISED`,
      `Users: ${someNames(compromised.map(name))}.`,
      "Disable them (DisableUser), reset their passwords, and review their recent sessions.",
      compromised.length === 1 ? name(compromised[0]) : null,
    ));
  }
  if (stacksByUser) {
    const disabledAssigned = users.filter((u) => u.Enabled === false && (stacksByUser.get(name(u)) ?? []).length > 0);
    if (disabledAssigned.length) {
      out.push(finding(
        "warning",
        `${plural(disabledAssigned.length, "disabled user")} still assigned to stacks`,
        someNames(disabledAssigned.map((u) => `${name(u)} (${(stacksByUser.get(name(u)) ?? []).join(", ")})`)),
        "Remove the assignments (BatchDisassociateUserStack): enabling the user again would restore their application access at once.",
        disabledAssigned.length === 1 ? name(disabledAssigned[0]) : null,
      ));
    }
    // "No stack" needs every stack's associations: a failed lookup could hide the user's assignment.
    const idle = assignmentsComplete
      ? users.filter((u) => u.Enabled !== false && (stacksByUser.get(name(u)) ?? []).length === 0)
      : [];
    if (idle.length) {
      out.push(finding(
        "info",
        `${plural(idle.length, "enabled user")} with no stack assigned`,
        `Users: ${someNames(idle.map(name))}. They can sign in to the user pool but see no applications.`,
        "Assign them to a stack, or disable or delete accounts nobody needs.",
        idle.length === 1 ? name(idle[0]) : null,
      ));
    }
  }
  const pending = users.filter((u) => u.Enabled !== false && PENDING_STATUSES.has(u.Status ?? ""));
  if (pending.length) {
    out.push(finding(
      "info",
      `${plural(pending.length, "user")} never completed sign-in`,
      someNames(pending.map((u) => `${name(u)} (${u.Status})`)),
      "Resend the welcome email (CreateUser with MessageAction RESEND) or remove invitations nobody accepted.",
      pending.length === 1 ? name(pending[0]) : null,
    ));
  }
  if (stackCounts) {
    const empty = [...stackCounts].filter(([, n]) => n === 0).map(([s]) => s);
    if (empty.length) {
      out.push(finding(
        "info",
        `${plural(empty.length, "stack")} with no user-pool assignments`,
        `Stacks: ${someNames(empty)}. Users who sign in through SAML 2.0 federation are not listed by the API.`,
        "If the stack serves user-pool users, assign them; if it serves no one, consider deleting it and its fleet.",
        empty.length === 1 ? empty[0] : null,
      ));
    }
  }
  return out;
}

/** Who can use which WorkSpaces Applications stacks (user pool). */
export const reviewApplicationAccess: ToolDef<typeof AccessInput, typeof AccessOutput> = {
  name: "review_application_access",
  title: "Review WorkSpaces Applications user access",
  toolset: "governance",
  tier: 0,
  actions: ["appstream:DescribeStacks", "appstream:DescribeUserStackAssociations", "appstream:DescribeUsers"],
  annotations: READ_ONLY,
  description:
    "Lists Amazon WorkSpaces Applications (formerly AppStream 2.0) user-pool users and the stacks each is assigned " +
    "to, and flags disabled users still assigned, compromised or never-signed-in users, users without stacks and " +
    "stacks without assignments. SAML/federated users cannot be enumerated through the API.",
  input: AccessInput,
  output: AccessOutput,
  async run(ctx, args) {
    const [region] = await ctx.regions(args);
    const col = new Collection();
    const o = { region, signal: ctx.signal };
    const [users, stacks] = await Promise.all([
      col.attempt(
        { service: "appstream", operation: "DescribeUsers", region },
        async () =>
          (await collect(ctx.aws, "appstream", "DescribeUsers", { AuthenticationType: "USERPOOL" }, "Users", o)).items,
      ),
      col.attempt(
        { service: "appstream", operation: "DescribeStacks", region },
        async () => (await collect(ctx.aws, "appstream", "DescribeStacks", {}, "Stacks", o)).items,
      ),
    ]);
    const assignments = stacks
      ? await assignmentsOf(ctx.aws, region, stacks, ctx.signal, col, async (n) => {
        await ctx.progress(n, stacks.length, "stack assignments");
      })
      : undefined;
    col.failIfNothing("WorkSpaces Applications users or stacks");
    const cap = args.limit;
    // Stacks whose lookup failed are left out of the assignment maps (reported in errors), never shown as empty.
    const known = assignments ? [...assignments].filter(([, u]) => u !== undefined) as [string, string[]][] : [];
    const stacksByUser = assignments ? new Map<string, string[]>() : undefined;
    for (const [stack, names] of known) {
      for (const u of names) stacksByUser!.set(u, [...stacksByUser!.get(u) ?? [], stack]);
    }
    const stackCounts = assignments ? new Map(known.map(([s, u]) => [s, u.length])) : undefined;
    const assignmentsComplete = assignments !== undefined && known.length === assignments.size;
    const all = users ?? [];
    const rows: z.infer<typeof UserRow>[] = all.map((u) => ({
      user_name: u.UserName ?? "?",
      enabled: u.Enabled ?? null,
      status: u.Status ?? null,
      authentication_type: u.AuthenticationType ?? null,
      created: iso(u.CreatedTime),
      first_name: u.FirstName ?? null,
      last_name: u.LastName ?? null,
      stacks: assignmentsComplete ? stacksByUser!.get(u.UserName ?? "") ?? [] : null,
    }));
    const findings = rankFindings(
      accessFindings(all, users ? stacksByUser : undefined, stackCounts, assignmentsComplete),
    );
    const truncated = rows.length > cap || known.some(([, u]) => u.length > cap);
    const notes = [
      "Only user-pool users can be listed: users who sign in through SAML 2.0 federation (or other identity providers) cannot be enumerated through the WorkSpaces Applications API; their access is governed by the IdP's stack assignments.",
    ];
    if (truncated) notes.push(`Lists are capped at limit=${cap}; counts and findings cover every user and stack.`);
    if (!users) notes.push("Users could not be listed (see errors): stack assignments are still shown.");
    if (!stacks) notes.push("Stacks could not be listed (see errors): users are shown without their stacks.");
    else if (!assignmentsComplete) {
      notes.push(
        "Some stacks' assignments could not be read (see errors): users' stacks are null and stacks missing from stack_assignments are unknown, not empty.",
      );
    }
    const withAssignments = known.filter(([, u]) => u.length > 0).length;
    return {
      summary: `${plural(all.length, "user-pool user")} and ${
        plural(stacks?.length ?? 0, "stack")
      } (${withAssignments} with assignments) in ${region}: ${findingSummary(findings)}${errorSuffix(col)}.`,
      data: {
        region,
        user_count: all.length,
        users: rows.slice(0, cap),
        stack_count: stacks?.length ?? 0,
        stack_assignments: Object.fromEntries(known.map(([s, u]) => [s, u.slice(0, cap)])),
        stack_assignment_counts: Object.fromEntries(known.map(([s, u]) => [s, u.length])),
        stacks_without_assignments: known.filter(([, u]) => u.length === 0).map(([s]) => s),
        truncated,
        finding_counts: severityCounts(findings),
        findings,
        errors: col.errors,
        notes,
      },
    };
  },
};

/** Stack name → assigned user names (undefined where the lookup failed), a few stacks at a time. */
async function assignmentsOf(
  aws: Aws,
  region: string,
  stacks: Stack[],
  signal: AbortSignal,
  col: Collection,
  progress: (done: number) => Promise<void>,
): Promise<Map<string, string[] | undefined>> {
  let done = 0;
  const names = stacks.map((s) => s.Name ?? "").filter(Boolean);
  const found = await mapLimit(names, LOOKUP_CONCURRENCY, async (StackName) => {
    const users = await col.attempt(
      { service: "appstream", operation: "DescribeUserStackAssociations", region },
      async () =>
        (await collect(aws, "appstream", "DescribeUserStackAssociations", { StackName }, "UserStackAssociations", {
          region,
          signal,
        })).items.map((a) => a.UserName ?? "?"),
    );
    await progress(++done);
    return users;
  });
  return new Map(names.map((n, i) => [n, found[i]]));
}

// ================================================================ get_euc_audit_trail

/** The services whose CloudTrail events the trail covers, by the value of `service`. */
const TRAIL_SERVICES = ["workspaces", "applications", "secure-browser", "core"] as const;
type TrailService = typeof TRAIL_SERVICES[number];

/**
 * Each service's event source and the curated write events looked up by name when the account-wide
 * scan cannot reach back far enough (REFERENCE item 28; a noisy account's writes push EUC changes
 * out of a 600-event page budget within hours).
 */
const TRAIL: Readonly<Record<TrailService, { source: string; names: readonly string[] }>> = {
  workspaces: {
    source: "workspaces.amazonaws.com",
    names: [
      "CreateWorkspaces",
      "TerminateWorkspaces",
      "RebuildWorkspaces",
      "RestoreWorkspace",
      "StartWorkspaces",
      "StopWorkspaces",
      "RebootWorkspaces",
      "MigrateWorkspace",
      "ModifyWorkspaceProperties",
      "ModifyWorkspaceCreationProperties",
      "ModifyWorkspaceAccessProperties",
      "ModifyClientProperties",
      "ModifySelfservicePermissions",
      "ModifyAccount",
      "RegisterWorkspaceDirectory",
      "DeregisterWorkspaceDirectory",
      "CreateWorkspaceImage",
      "DeleteWorkspaceImage",
      "UpdateWorkspaceImagePermission",
      "CreateWorkspacesPool",
      "UpdateWorkspacesPool",
      "TerminateWorkspacesPool",
      "CreateIpGroup",
      "UpdateRulesOfIpGroup",
    ],
  },
  applications: {
    source: "appstream.amazonaws.com",
    names: [
      "CreateFleet",
      "UpdateFleet",
      "DeleteFleet",
      "CreateStack",
      "UpdateStack",
      "DeleteStack",
      "StartFleet",
      "StopFleet",
      "AssociateFleet",
      "DisassociateFleet",
      "BatchAssociateUserStack",
      "BatchDisassociateUserStack",
      "CreateImageBuilder",
      "DeleteImageBuilder",
      "StartImageBuilder",
      "StopImageBuilder",
      "CreateUpdatedImage",
      "DeleteImage",
      "UpdateImagePermissions",
      "CreateAppBlockBuilder",
      "DeleteAppBlockBuilder",
      "StartAppBlockBuilder",
      "StopAppBlockBuilder",
    ],
  },
  "secure-browser": {
    source: "workspaces-web.amazonaws.com",
    names: [
      "CreatePortal",
      "UpdatePortal",
      "DeletePortal",
      "CreateBrowserSettings",
      "UpdateBrowserSettings",
      "DeleteBrowserSettings",
      "CreateUserSettings",
      "UpdateUserSettings",
      "DeleteUserSettings",
      "CreateNetworkSettings",
      "UpdateNetworkSettings",
      "DeleteNetworkSettings",
      "CreateIpAccessSettings",
      "UpdateIpAccessSettings",
      "DeleteIpAccessSettings",
      "CreateIdentityProvider",
      "UpdateIdentityProvider",
      "DeleteIdentityProvider",
      "CreateDataProtectionSettings",
      "UpdateDataProtectionSettings",
    ],
  },
  core: {
    source: "workspaces-instances.amazonaws.com",
    names: [
      "CreateWorkspaceInstance",
      "DeleteWorkspaceInstance",
      "CreateVolume",
      "DeleteVolume",
      "AssociateVolume",
      "DisassociateVolume",
    ],
  },
};

/**
 * Destructive or high-impact operations. The reference's prefix list, plus Deregister (a directory
 * deregistration cuts every desktop off) and BatchDisassociate (removes users from stacks), which it
 * missed.
 */
const HIGH_IMPACT =
  /^(Terminate|Delete|Reboot|Rebuild|Restore|Revoke|Disassociate|BatchDisassociate|Stop|Expire|Deregister)/;
const DENIED = /denied|unauthorized/i;

/**
 * CloudTrail LookupEvents allows 2 requests per second per account and region. Calls are scheduled
 * this far apart: 500 ms plus a margin for client-side jitter between the scheduled start and the
 * request leaving (signing, a busy event loop), so the requests themselves stay ≥ 0.5 s apart.
 */
const LOOKUP_SPACING_MS = 550;
/** Most LookupEvents calls one tool call makes (~30 s at 2 per second). */
const MAX_LOOKUP_CALLS = 60;
/** Pages (of 50 events) for an account-wide or per-source scan, and for one curated event name. */
const SWEEP_PAGES = 12;
const NAME_PAGES = 3;
/** Pages of one event source's own scan after the account-wide scan ran out (reads included). */
const SOURCE_PAGES = 4;
/** LookupEvents' largest page. */
const LOOKUP_PAGE = 50;

/**
 * Start time of the next LookupEvents call per region, shared by every tool call in the process so
 * that concurrent audits together stay under the 2 TPS limit (the server runs as one identity, so
 * one account; the limit is per region).
 */
const nextLookupAt = new Map<string, number>();

type LookupKey = NonNullable<OpInput<"cloudtrail", "LookupEvents">["LookupAttributes"]>[number]["AttributeKey"];

/** One page of a lookup by a single attribute (CloudTrail takes one per request). */
interface LookupPage {
  key: LookupKey;
  value: string;
  start: Date;
  end: Date;
  token?: string;
}

/** Waits for this region's next LookupEvents slot, then makes the call. */
async function pacedLookup(
  ctx: ToolContext,
  region: string,
  page: LookupPage,
): Promise<OpOutput<"cloudtrail", "LookupEvents">> {
  const now = Date.now();
  const at = Math.max(now, nextLookupAt.get(region) ?? 0);
  nextLookupAt.set(region, at + LOOKUP_SPACING_MS);
  if (at > now) await sleep(at - now, ctx.signal);
  return await ctx.aws.call("cloudtrail", "LookupEvents", {
    LookupAttributes: [{ AttributeKey: page.key, AttributeValue: page.value }],
    StartTime: page.start,
    EndTime: page.end,
    MaxResults: LOOKUP_PAGE,
    NextToken: page.token,
  }, { region, signal: ctx.signal });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** What one paged lookup saw. */
interface Scan {
  events: TrailEvent[];
  /** CloudTrail ran out of events: the lookup saw everything it asked for. */
  complete: boolean;
  /** Epoch ms of the oldest event seen. */
  oldest: number | null;
  failed: boolean;
}

/** The shared state of one tool call's lookups: the call budget and a stop after fatal errors. */
class TrailRun {
  calls = 0;
  halted = false;
  constructor(readonly ctx: ToolContext, readonly region: string, readonly col: Collection) {}

  get budgetLeft(): number {
    return this.halted ? 0 : MAX_LOOKUP_CALLS - this.calls;
  }

  /** Pages through one lookup attribute, within the page cap and the call budget. */
  async scan(
    key: LookupKey,
    value: string,
    start: Date,
    end: Date,
    maxPages: number,
    enough?: (events: TrailEvent[]) => boolean,
  ): Promise<Scan> {
    const scan: Scan = { events: [], complete: false, oldest: null, failed: false };
    const seen = new Set<string>();
    let token: string | undefined;
    for (let page = 0; page < maxPages && this.budgetLeft > 0; page++) {
      this.calls++;
      const out = await this.col.attempt(
        { service: "cloudtrail", operation: "LookupEvents", region: this.region },
        () => pacedLookup(this.ctx, this.region, { key, value, start, end, token }),
      );
      await this.ctx.progress(this.calls, undefined, `CloudTrail ${key}=${value}`);
      if (!out) {
        scan.failed = true;
        // The same denial, expiry or throttling would answer every further call: stop spending the budget.
        const code = this.col.errors.at(-1)?.code;
        if (code && code !== "AwsError" && code !== "InvalidInput") this.halted = true;
        return scan;
      }
      for (const e of out.Events ?? []) {
        scan.events.push(e);
        const t = e.EventTime?.getTime();
        if (t !== undefined && (scan.oldest === null || t < scan.oldest)) scan.oldest = t;
      }
      token = out.NextToken;
      if (!token || seen.has(token)) {
        scan.complete = true;
        return scan;
      }
      seen.add(token);
      if (enough?.(scan.events)) return scan;
    }
    return scan;
  }
}

const TrailInput = z.object({
  region: RegionInput,
  lookback_days: z.number().int().min(1).max(90).default(7).describe(
    "How many days back to look (1–90; CloudTrail event history keeps 90 days)",
  ),
  service: z.string().max(200).default("all").describe(
    'Which service: "all" (default), "workspaces" (Personal and Pools), "applications", "secure-browser" or "core"; ' +
      'legacy names work ("AppStream 2.0", "WorkSpaces Web"); several comma-separated.',
  ),
  include_read_only: z.boolean().default(false).describe(
    "Also include read-only calls (Describe*, List*, Get*); by default only changes are listed",
  ),
  max_events: z.number().int().min(1).max(500).default(100).describe("Most events returned, newest first (1–500)"),
});

const TrailEventRow = z.object({
  time: z.string().nullable(),
  service: z.string().describe("Current product name"),
  event_source: z.string().nullable(),
  event_name: z.string().nullable(),
  username: z.string().nullable(),
  user_arn: z.string().nullable(),
  source_ip: z.string().nullable(),
  aws_region: z.string().nullable(),
  resources: z.array(z.object({ type: z.string().nullable(), name: z.string().nullable() })),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  read_only: z.boolean().nullable(),
  event_id: z.string().nullable(),
});

const TrailOutput = z.object({
  region: z.string(),
  service: z.string().describe("The services covered"),
  lookback_days: z.number().int(),
  include_read_only: z.boolean(),
  max_events: z.number().int(),
  window_start: z.string(),
  window_end: z.string(),
  window_fully_covered: z.boolean().describe(
    "True only when every matching event in the window was seen; false means older events may be missing",
  ),
  scanned_back_to: z.string().nullable().describe(
    "Every matching event newer than this was seen (the window start when fully covered)",
  ),
  coverage: z.array(z.object({
    service: z.enum(TRAIL_SERVICES),
    event_source: z.string(),
    complete: z.boolean().describe("Every event of this service in the window was seen"),
    scanned_back_to: z.string().nullable(),
  })).describe("How far back each service was seen"),
  curated_lookups: z.object({
    checked: z.number().int().describe("Curated event names looked up by name beyond the scan"),
    complete: z.number().int().describe("Of those, names whose whole window was read"),
    skipped: z.array(z.string()).describe("Names not looked up (call budget spent)"),
  }),
  lookup_calls: z.number().int().describe("LookupEvents calls made (paced at 2 per second)"),
  total_events: z.number().int().describe("Matching events found (before the max_events cut)"),
  truncated: z.boolean(),
  by_event_name: z.record(z.string(), z.number().int()),
  by_user: z.record(z.string(), z.number().int()),
  events: z.array(TrailEventRow),
  finding_counts: FindingCounts,
  findings: z.array(Finding),
  errors: Errors,
  notes: Notes,
});

function parseTrailServices(value: string): TrailService[] {
  // CloudTrail records Personal and Pools under one event source.
  return parseServices(value, TRAIL_SERVICES, (id) => (id === "personal" || id === "pools" ? "workspaces" : id));
}

/** A comma-separated `service` input (aliases accepted, "all" = every one) → the members of `all` it names. */
function parseServices<T extends string>(value: string, all: readonly T[], pick: (id: ServiceId) => T): T[] {
  const names = value.split(",").map((s) => s.trim()).filter(Boolean);
  if (names.length === 0 || names.some((n) => n.toLowerCase() === "all")) return [...all];
  const out = new Set<T>();
  for (const name of names) {
    const id = serviceFromAlias(name);
    if (!id) {
      throw new ToolFailure(
        "InvalidInput",
        `Unknown service "${name}".`,
        'Use "all", "workspaces" (Personal and Pools), "applications", "secure-browser" or "core" (legacy names such as "AppStream 2.0" and "WorkSpaces Web" are accepted).',
      );
    }
    out.add(pick(id));
  }
  return all.filter((s) => out.has(s));
}

function serviceLabel(source: string | undefined, name: string | undefined): string {
  switch (source) {
    case TRAIL.workspaces.source:
      return /Pool/.test(name ?? "") ? PRODUCT.pools : PRODUCT.personal;
    case TRAIL.applications.source:
      return PRODUCT.applications;
    case TRAIL["secure-browser"].source:
      return PRODUCT["secure-browser"];
    case TRAIL.core.source:
      return PRODUCT.core;
    default:
      return source ?? "unknown";
  }
}

interface Detail {
  userIdentity?: {
    type?: string;
    arn?: string;
    userName?: string;
    invokedBy?: string;
    sessionContext?: { sessionIssuer?: { userName?: string } };
  };
  sourceIPAddress?: string;
  awsRegion?: string;
  errorCode?: string;
  errorMessage?: string;
  readOnly?: boolean;
}

function eventRow(e: TrailEvent): z.infer<typeof TrailEventRow> {
  let d: Detail = {};
  try {
    d = JSON.parse(e.CloudTrailEvent ?? "{}") as Detail;
  } catch {
    // A malformed record still has the lookup's own fields.
  }
  const id = d.userIdentity ?? {};
  return {
    time: iso(e.EventTime),
    service: serviceLabel(e.EventSource, e.EventName),
    event_source: e.EventSource ?? null,
    event_name: e.EventName ?? null,
    username: e.Username ?? id.userName ?? id.sessionContext?.sessionIssuer?.userName ?? id.invokedBy ?? id.arn ??
      null,
    user_arn: id.arn ?? null,
    source_ip: d.sourceIPAddress ?? null,
    aws_region: d.awsRegion ?? null,
    resources: (e.Resources ?? []).map((r) => ({ type: r.ResourceType ?? null, name: r.ResourceName ?? null })),
    error_code: d.errorCode ?? null,
    error_message: d.errorMessage ?? null,
    read_only: typeof d.readOnly === "boolean"
      ? d.readOnly
      : e.ReadOnly === undefined
      ? null
      : e.ReadOnly.toLowerCase() === "true",
    event_id: e.EventId ?? null,
  };
}

function trailFindings(rows: z.infer<typeof TrailEventRow>[]): Finding[] {
  const out: Finding[] = [];
  const group = <K>(items: typeof rows, key: (r: typeof rows[number]) => K | undefined) => {
    const m = new Map<K, typeof rows>();
    for (const r of items) {
      const k = key(r);
      if (k !== undefined) m.set(k, [...m.get(k) ?? [], r]);
    }
    return m;
  };
  const who = (rs: typeof rows) => {
    const counts = new Map<string, number>();
    for (const r of rs) counts.set(r.username ?? "unknown", (counts.get(r.username ?? "unknown") ?? 0) + 1);
    return someNames([...counts].sort((a, b) => b[1] - a[1]).map(([u, n]) => `${u} (${n})`), 5);
  };
  const resources = (rs: typeof rows) =>
    [...new Set(rs.flatMap((r) => r.resources.map((x) => x.name ?? "")))].filter(Boolean);
  const succeeded = rows.filter((r) => !r.error_code);
  for (const [name, rs] of group(succeeded, (r) => HIGH_IMPACT.test(r.event_name ?? "") ? r.event_name! : undefined)) {
    const res = resources(rs);
    out.push(finding(
      "warning",
      `Destructive/high-impact: ${name} ×${rs.length}`,
      `${rs[0].service}; by ${who(rs)}; latest ${rs[0].time}${res.length ? `; resources: ${someNames(res)}` : ""}.`,
      "Confirm each was an intended, approved change; if not, find the caller (username, source IP) and restrict who holds that permission.",
      res.length === 1 ? res[0] : null,
    ));
  }
  const failed = rows.filter((r) => r.error_code);
  for (const [, rs] of group(failed, (r) => DENIED.test(r.error_code!) ? `${r.event_name}|${r.username}` : undefined)) {
    const r = rs[0];
    out.push(finding(
      "warning",
      `Access denied: ${r.username ?? "unknown"} → ${r.event_name} ×${rs.length}`,
      `${r.service}; ${r.error_code}: ${r.error_message ?? ""}; latest ${r.time}${
        r.source_ip ? ` from ${r.source_ip}` : ""
      }.`.replace(": ;", ";"),
      "If the caller should be able to do this, grant the missing permission; if not, find out why it tried (a misconfigured tool, or someone probing permissions).",
      r.user_arn ?? r.username,
    ));
  }
  for (
    const [, rs] of group(failed, (r) => DENIED.test(r.error_code!) ? undefined : `${r.event_name}|${r.error_code}`)
  ) {
    const r = rs[0];
    out.push(finding(
      "info",
      `${r.event_name} failed with ${r.error_code} ×${rs.length}`,
      `${r.service}; by ${who(rs)}; latest ${r.time}: ${(r.error_message ?? "no message").replace(/\.$/, "")}.`,
      "Usually a request the service rejected (validation, state, limit); check the message if it repeats.",
      resources(rs)[0] ?? null,
    ));
  }
  return out;
}

/** High-impact names first, so a spent budget skips the least important lookups. */
function curatedOrder(services: readonly TrailService[]): { service: TrailService; name: string }[] {
  const all = services.flatMap((service) => TRAIL[service].names.map((name) => ({ service, name })));
  return [...all.filter((x) => HIGH_IMPACT.test(x.name)), ...all.filter((x) => !HIGH_IMPACT.test(x.name))];
}

/** Who changed what in the EUC services, from CloudTrail. */
export const getEucAuditTrail: ToolDef<typeof TrailInput, typeof TrailOutput> = {
  name: "get_euc_audit_trail",
  title: "EUC audit trail (CloudTrail)",
  toolset: "governance",
  tier: 0,
  actions: ["cloudtrail:LookupEvents"],
  annotations: READ_ONLY,
  description: "Who changed what: CloudTrail management events of Amazon WorkSpaces (Personal and Pools), WorkSpaces " +
    "Applications (AppStream 2.0), Secure Browser (WorkSpaces Web) and Core Managed Instances over the last " +
    "lookback_days, newest first, with destructive/high-impact actions and access-denied calls flagged. " +
    "window_fully_covered and scanned_back_to say how far back every event was seen — when coverage is partial, " +
    "do not conclude that nothing changed. CloudTrail allows 2 lookups per second, so this takes seconds to ~30 s.",
  input: TrailInput,
  output: TrailOutput,
  async run(ctx, args) {
    const services = parseTrailServices(args.service);
    const [region] = await ctx.regions(args);
    const col = new Collection();
    const run = new TrailRun(ctx, region, col);
    const end = new Date();
    const start = new Date(end.getTime() - args.lookback_days * DAY);
    const sources = new Set(services.map((s) => TRAIL[s].source));
    const isEuc = (e: TrailEvent) => sources.has(e.EventSource ?? "");
    const max = args.max_events;
    const found = new Map<string, TrailEvent>();
    const keep = (events: TrailEvent[], match: (e: TrailEvent) => boolean) => {
      for (const e of events) if (match(e)) found.set(e.EventId ?? `${e.EventTime?.getTime()}/${e.EventName}`, e);
    };
    const curated = { checked: 0, complete: 0, skipped: [] as string[] };
    /** Per service: back to when every matching event of its source was seen (the window start: all of it). */
    const reach = new Map<TrailService, number | null>();
    let reachedMax = false;
    let incompleteBelowMax = false;
    if (args.include_read_only) {
      // Reads and writes: one scan per event source.
      for (const s of services) {
        const scan = await run.scan("EventSource", TRAIL[s].source, start, end, SWEEP_PAGES, (ev) => ev.length >= max);
        keep(scan.events, () => true);
        reach.set(s, scan.complete ? start.getTime() : scan.oldest);
        // A source cut off only because it alone filled max_events still yields the true newest events.
        if (!scan.complete) incompleteBelowMax ||= scan.events.length < max;
      }
      reachedMax = !incompleteBelowMax && services.some((s) => reach.get(s) !== start.getTime());
    } else {
      // 1. Every write in the account, newest first: complete for the span it reaches.
      const sweep = await run.scan(
        "ReadOnly",
        "false",
        start,
        end,
        SWEEP_PAGES,
        (ev) => ev.filter(isEuc).length >= max,
      );
      keep(sweep.events, isEuc);
      for (const s of services) reach.set(s, sweep.complete ? start.getTime() : sweep.oldest);
      reachedMax = !sweep.complete && !sweep.failed && found.size >= max;
      if (!sweep.complete && !reachedMax) {
        // 2. Beyond the sweep's reach, each EUC source on its own (reads included, so only cheap when the
        //    source is quiet): a scan that reaches the window start proves that source complete.
        const from = sweep.oldest ?? end.getTime();
        const until = (t: number) => new Date(Math.min(end.getTime(), t + 1000));
        const partial: TrailService[] = [];
        for (const s of services) {
          const scan = await run.scan("EventSource", TRAIL[s].source, start, until(from), SOURCE_PAGES);
          keep(scan.events, (e) => e.ReadOnly?.toLowerCase() === "false");
          if (scan.complete) reach.set(s, start.getTime());
          else {
            reach.set(s, scan.oldest ?? sweep.oldest);
            partial.push(s);
          }
        }
        // 3. Where a source is still incomplete: its curated write events by name, high-impact first.
        for (const { service, name } of curatedOrder(partial)) {
          if (run.budgetLeft <= 0) {
            curated.skipped.push(name);
            continue;
          }
          const scan = await run.scan("EventName", name, start, until(reach.get(service) ?? from), NAME_PAGES);
          if (scan.failed) continue;
          curated.checked++;
          if (scan.complete) curated.complete++;
          keep(scan.events, (e) => e.EventSource === TRAIL[service].source);
        }
      }
    }
    const covered = services.every((s) => reach.get(s) === start.getTime());
    const reaches = services.map((s) => reach.get(s));
    const scannedBackTo = covered
      ? start.getTime()
      : reaches.some((t) => t === null || t === undefined)
      ? null
      : Math.max(...reaches as number[]);
    col.failIfNothing("CloudTrail events");
    const rows = [...found.values()].sort((a, b) => (b.EventTime?.getTime() ?? 0) - (a.EventTime?.getTime() ?? 0))
      .map(eventRow);
    const byName: Record<string, number> = {};
    const byUser: Record<string, number> = {};
    for (const r of rows) {
      byName[r.event_name ?? "unknown"] = (byName[r.event_name ?? "unknown"] ?? 0) + 1;
      byUser[r.username ?? "unknown"] = (byUser[r.username ?? "unknown"] ?? 0) + 1;
    }
    const findings = rankFindings(trailFindings(rows));
    const scannedIso = scannedBackTo === null ? null : new Date(scannedBackTo).toISOString();
    const coverage = services.map((s) => {
      const t = reach.get(s);
      return {
        service: s,
        event_source: TRAIL[s].source,
        complete: t === start.getTime(),
        scanned_back_to: t === null || t === undefined ? null : new Date(t).toISOString(),
      };
    });
    const notes: string[] = [];
    if (!covered && reachedMax) {
      notes.push(
        `The newest ${max} matching events are listed; the scan stopped there, before the start of the window (${start.toISOString()}). Raise max_events or shorten lookback_days to see older ones.`,
      );
    } else if (!covered) {
      const short = coverage.filter((c) => !c.complete).map((c) =>
        `${c.service} (back to ${c.scanned_back_to ?? "nothing"})`
      );
      notes.push(
        `PARTIAL WINDOW COVERAGE: every matching event was seen only back to ${
          scannedIso ?? "(nothing could be read)"
        }; the window starts ${start.toISOString()}. Not fully covered: ${short.join(", ")}. ` +
          (args.include_read_only
            ? `Each service's scan (${SWEEP_PAGES} pages of ${LOOKUP_PAGE} events) ran out before the window start. `
            : `Other services' writes filled the account-wide scan (${SWEEP_PAGES} pages of ${LOOKUP_PAGE}) and the service's own events (reads included) filled its scan; older changes come only from ${curated.checked} curated event names looked up by name (${curated.complete} read completely${
              curated.skipped.length ? `; ${curated.skipped.length} skipped: ${someNames(curated.skipped, 5)}` : ""
            }). `) +
          "Do NOT conclude that nothing changed before that time: shorten lookback_days, pick one service, or query CloudTrail Lake or Athena over the trail's S3 logs for the full window.",
      );
    }
    notes.push(
      `CloudTrail LookupEvents allows 2 requests per second per account and region: ${
        plural(run.calls, "call")
      } were spaced ${LOOKUP_SPACING_MS} ms apart, shared with any other audit running in this server. Management events only; event history keeps 90 days.`,
    );
    if (services.includes("workspaces")) {
      notes.push(
        "Personal and Pools share the workspaces.amazonaws.com event source; Pool operations are labelled Pools.",
      );
    }
    const events = rows.slice(0, max);
    return {
      summary: `${plural(rows.length, "EUC event")} in ${region} over ${plural(args.lookback_days, "day")}${
        rows.length > max ? ` (newest ${max} listed)` : ""
      }${covered ? "" : `; PARTIAL coverage back to ${scannedIso ?? "nothing"}`}: ${findingSummary(findings)}${
        errorSuffix(col)
      }.`,
      data: {
        region,
        service: services.join(","),
        lookback_days: args.lookback_days,
        include_read_only: args.include_read_only,
        max_events: max,
        window_start: start.toISOString(),
        window_end: end.toISOString(),
        window_fully_covered: covered,
        scanned_back_to: scannedIso,
        coverage,
        curated_lookups: curated,
        lookup_calls: run.calls,
        total_events: rows.length,
        truncated: rows.length > max,
        by_event_name: byName,
        by_user: byUser,
        events,
        finding_counts: severityCounts(findings),
        findings,
        errors: col.errors,
        notes,
      },
    };
  },
};

// ================================================================ get_euc_service_quotas

/** Service Quotas service codes of the EUC services. */
const QUOTA_CODES = ["workspaces", "appstream2", "workspaces-web", "workspaces-instances"] as const;
type QuotaCode = typeof QUOTA_CODES[number];

const QuotasInput = z.object({
  region: RegionInput,
  regions: RegionsInput,
  service: z.string().max(200).default("all").describe(
    'Which service: "all" (default), "workspaces" (Personal and Pools), "applications", "secure-browser" or "core"; ' +
      'legacy names work ("AppStream 2.0", "WorkSpaces Web"); several comma-separated.',
  ),
  approaching_pct: z.number().min(1).max(100).default(80).describe(
    "Flag quotas whose usage is at or above this percentage of the limit (1–100)",
  ),
  include_zero_limit: z.boolean().default(false).describe(
    "Also list quotas whose limit is 0 (features the account must request before use)",
  ),
});

const QuotaRow = z.object({
  region: z.string(),
  service: z.string().describe("Current product name"),
  service_code: z.string(),
  quota_code: z.string(),
  quota_name: z.string(),
  value: z.number().describe("The applied limit"),
  unit: z.string().nullable(),
  adjustable: z.boolean(),
  global_quota: z.boolean(),
  usage: z.number().nullable().describe("Current usage from the quota's CloudWatch usage metric; null when none"),
  utilization_pct: z.number().nullable().describe("usage / value × 100, rounded to 0.1"),
  usage_metric: z.string().nullable().describe("The CloudWatch metric that reports usage"),
});

const QuotasOutput = z.object({
  region: z.string(),
  regions: z.array(z.string()),
  service: z.string(),
  approaching_pct: z.number(),
  quota_count: z.number().int(),
  quotas_with_usage: z.number().int(),
  hidden_zero_limit: z.number().int().describe("Quotas with a limit of 0 left out (include_zero_limit=false)"),
  quotas: z.array(QuotaRow).describe("Sorted by utilization, highest first"),
  finding_counts: FindingCounts,
  findings: z.array(Finding),
  errors: Errors,
  notes: Notes,
});

function parseQuotaServices(value: string): QuotaCode[] {
  const code: Readonly<Record<ServiceId, QuotaCode>> = {
    personal: "workspaces",
    pools: "workspaces",
    applications: "appstream2",
    "secure-browser": "workspaces-web",
    core: "workspaces-instances",
  };
  return parseServices(value, QUOTA_CODES, (id) => code[id]);
}

function quotaProduct(code: string, name: string): string {
  switch (code) {
    case "workspaces":
      return /pool/i.test(name) ? PRODUCT.pools : PRODUCT.personal;
    case "appstream2":
      return PRODUCT.applications;
    case "workspaces-web":
      return PRODUCT["secure-browser"];
    default:
      return PRODUCT.core;
  }
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

function isNoSuchResource(e: unknown): boolean {
  const original = e instanceof AwsCallError ? e.original : e;
  return (original as Error)?.name === "NoSuchResourceException";
}

/** Quotas of one region with their usage (one batched GetMetricData read for all of them). */
async function quotasOf(
  ctx: ToolContext,
  region: string,
  codes: readonly QuotaCode[],
  includeZero: boolean,
  col: Collection,
  notes: string[],
): Promise<{ quota: Quota; usage: number | null }[]> {
  const o = { region, signal: ctx.signal };
  const lists = await Promise.all(
    codes.map((ServiceCode) =>
      col.attempt({ service: "servicequotas", operation: "ListServiceQuotas", region }, async () => {
        try {
          return (await collect(ctx.aws, "servicequotas", "ListServiceQuotas", { ServiceCode }, "Quotas", o)).items;
        } catch (e) {
          // The service code is unknown where the service is not offered: nothing to report, not a failure.
          if (!isNoSuchResource(e)) throw e;
          notes.push(`Service Quotas has no quotas for ${ServiceCode} in ${region} (service not offered there).`);
          return [];
        }
      })
    ),
  );
  const quotas = lists.flatMap((l) => l ?? []);
  // Hidden zero-limit quotas need no usage read.
  const measurable = quotas.filter((q) =>
    q.UsageMetric?.MetricNamespace && q.UsageMetric.MetricName && (includeZero || (q.Value ?? 0) > 0)
  );
  const queries: MetricQuery[] = measurable.map((q) => ({
    namespace: q.UsageMetric!.MetricNamespace!,
    metric: q.UsageMetric!.MetricName!,
    dimensions: q.UsageMetric!.MetricDimensions ?? {},
    stat: q.UsageMetric!.MetricStatisticRecommendation || "Maximum",
  }));
  const usage = new Map<Quota, number | null>();
  if (queries.length > 0) {
    // Daily points over the last two days; the newest is today's usage.
    const read = await getMetricSeries(ctx.aws, region, queries, metricWindow(2 * DAY, 86_400), {
      signal: ctx.signal,
    });
    col.errors.push(...read.errors);
    measurable.forEach((q, i) => {
      const s = read.series[i];
      usage.set(q, s && s.values.length ? s.values[s.values.length - 1] : null);
    });
  }
  return quotas.map((quota) => ({ quota, usage: usage.get(quota) ?? null }));
}

/** How close each EUC service quota is to its limit. */
export const getEucServiceQuotas: ToolDef<typeof QuotasInput, typeof QuotasOutput> = {
  name: "get_euc_service_quotas",
  title: "EUC service quotas and usage",
  toolset: "governance",
  tier: 0,
  actions: ["cloudwatch:GetMetricData", "servicequotas:ListServiceQuotas"],
  annotations: READ_ONLY,
  description:
    "Service Quotas for Amazon WorkSpaces (Personal and Pools), WorkSpaces Applications (AppStream 2.0), Secure " +
    "Browser (WorkSpaces Web) and Core Managed Instances, with current usage from CloudWatch and utilization_pct, " +
    "highest first; quotas at or above approaching_pct are flagged (saying when a quota is NOT adjustable). " +
    "Fan out with regions.",
  input: QuotasInput,
  output: QuotasOutput,
  async run(ctx, args) {
    const codes = parseQuotaServices(args.service);
    const regions = await ctx.regions(args, true);
    const col = new Collection();
    const notes: string[] = [];
    let done = 0;
    const perRegion = await mapLimit(regions, REGION_CONCURRENCY, async (region) => {
      const quotas = await quotasOf(ctx, region, codes, args.include_zero_limit, col, notes);
      await ctx.progress(++done, regions.length, `quotas in ${region}`);
      return { region, quotas };
    });
    col.failIfNothing("service quotas");
    const rows: z.infer<typeof QuotaRow>[] = [];
    let hidden = 0;
    for (const { region, quotas } of perRegion) {
      for (const { quota: q, usage } of quotas) {
        const value = q.Value ?? 0;
        if (value <= 0 && !args.include_zero_limit) {
          hidden++;
          continue;
        }
        const m = q.UsageMetric;
        const dims = Object.entries(m?.MetricDimensions ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
        rows.push({
          region,
          service: quotaProduct(q.ServiceCode ?? "", q.QuotaName ?? ""),
          service_code: q.ServiceCode ?? "?",
          quota_code: q.QuotaCode ?? "?",
          quota_name: q.QuotaName ?? q.QuotaCode ?? "?",
          value,
          unit: q.Unit ?? null,
          adjustable: q.Adjustable === true,
          global_quota: q.GlobalQuota === true,
          usage,
          utilization_pct: usage !== null && value > 0 ? round1((usage / value) * 100) : null,
          usage_metric: m?.MetricName ? `${m.MetricNamespace}/${m.MetricName}${dims ? ` {${dims}}` : ""}` : null,
        });
      }
    }
    rows.sort((a, b) =>
      (b.utilization_pct ?? -1) - (a.utilization_pct ?? -1) || a.service_code.localeCompare(b.service_code) ||
      a.quota_name.localeCompare(b.quota_name)
    );
    const findings: Finding[] = [];
    for (const r of rows) {
      if (r.utilization_pct === null || r.utilization_pct < args.approaching_pct) continue;
      const full = r.utilization_pct >= 100;
      const fixable = r.adjustable;
      findings.push(finding(
        full ? "critical" : "warning",
        `${r.quota_name} (${r.service}) at ${r.utilization_pct}% of its quota in ${r.region}${
          fixable ? "" : " — NOT adjustable"
        }`,
        `Usage ${r.usage} of ${r.value}${
          full ? ": new resources of this kind will be refused" : ""
        }; quota ${r.service_code}/${r.quota_code}${fixable ? "" : ", which AWS does NOT allow to be raised"}.`,
        fixable
          ? `Request an increase before it blocks new resources: Service Quotas console, or \`aws service-quotas request-service-quota-increase --service-code ${r.service_code} --quota-code ${r.quota_code} --desired-value ${
            Math.ceil(r.value * 1.5)
          } --region ${r.region}\`.`
          : "This quota is NOT adjustable: free capacity (remove unused resources) or spread the workload over another region or account.",
        `${r.service_code}/${r.quota_code}@${r.region}`,
      ));
    }
    const ranked = rankFindings(findings);
    if (hidden > 0) {
      notes.push(
        `${
          plural(hidden, "quota")
        } with a limit of 0 hidden (features such as graphics instances that must be requested first); include_zero_limit=true lists them.`,
      );
    }
    const withUsage = rows.filter((r) => r.usage !== null).length;
    if (rows.length > withUsage) {
      notes.push(
        `${
          rows.length - withUsage
        } quotas have no usage figure: AWS publishes no usage metric for them, or none in the last 2 days.`,
      );
    }
    const top = rows[0];
    return {
      summary: `${plural(rows.length, "quota")} in ${regions.join(", ")}; ${
        plural(findings.length, "quota")
      } at or above ${args.approaching_pct}%${
        top && top.utilization_pct !== null ? ` (highest: ${top.quota_name} at ${top.utilization_pct}%)` : ""
      }${errorSuffix(col)}.`,
      data: {
        region: regions.join(","),
        regions,
        service: codes.join(","),
        approaching_pct: args.approaching_pct,
        quota_count: rows.length,
        quotas_with_usage: withUsage,
        hidden_zero_limit: hidden,
        quotas: rows,
        finding_counts: severityCounts(ranked),
        findings: ranked,
        errors: col.errors,
        notes,
      },
    };
  },
};

/** The tools of this toolset, in registration order. */
export const GOVERNANCE_TOOLS = [
  auditApplicationImages,
  auditWorkspaceImages,
  reviewApplicationAccess,
  getEucAuditTrail,
  getEucServiceQuotas,
] as const;
