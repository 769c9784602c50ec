/**
 * audit_application_images: WorkSpaces Applications images owned by or shared with the account,
 * image builders and app-block builders, fanned out over regions (every item says its region);
 * running builders carry their list price when Price List (tier 1) answers.
 */
import { z } from "zod";
import type { OpOutput } from "../../aws/clients.ts";
import { collect, mapLimit } from "../../aws/paginate.ts";
import { appOperatingSystem, HOURS_PER_MONTH, priceListFor } from "../../aws/pricing.ts";
import { Collection } from "../_lib/collection.ts";
import { type Finding, finding, rankFindings, severityCounts, TargetFinding, withTarget } from "../_lib/findings.ts";
import { cents, iso, plural, usd } from "../_lib/format.ts";
import { Errors, Notes } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolContext, type ToolDef } from "../registry.ts";
import { ageDays, eachRegion, errorSuffix, findingSummary } from "./_common.ts";
import { FindingCounts, ImagesInput } from "./_schemas.ts";

/** An image built on an AWS base image released longer ago than this misses OS and agent patches. */
const STALE_BASE_DAYS = 180;

type AppImage = NonNullable<OpOutput<"appstream", "DescribeImages">["Images"]>[number];
type ImageBuilder = NonNullable<OpOutput<"appstream", "DescribeImageBuilders">["ImageBuilders"]>[number];
type AppBlockBuilder = NonNullable<OpOutput<"appstream", "DescribeAppBlockBuilders">["AppBlockBuilders"]>[number];

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
  findings: z.array(TargetFinding),
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
      errorText(errors),
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

/** AWS's image or builder errors as one line: "CODE: message; CODE: message". */
function errorText(errors: readonly { ErrorCode?: string; ErrorMessage?: string }[]): string {
  return errors.map((e) => `${e.ErrorCode ?? "error"}: ${e.ErrorMessage ?? ""}`.trim()).join("; ");
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
      : `${usd(hourly, "/h")} (~${usd(cents(hourly * HOURS_PER_MONTH), "/month")})`;
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
      errors.length ? errorText(errors) : "The builder is in state FAILED.",
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
    const perRegion = await eachRegion(ctx, regions, "images", (region) => appImagesOf(ctx, region, col));
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
        findings: ranked.map((f) => withTarget(f, regions.join(", "))),
        errors: col.errors,
        notes,
      },
    };
  },
};
