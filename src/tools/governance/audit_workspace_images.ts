/**
 * audit_workspace_images: WorkSpaces custom images (owned and shared with the account) in ERROR,
 * shared with other accounts, old, or with an update available; fanned out over regions.
 */
import { z } from "zod";
import type { OpOutput } from "../../aws/clients.ts";
import { collect, mapLimit } from "../../aws/paginate.ts";
import { Collection } from "../_lib/collection.ts";
import { type Finding, finding, rankFindings, severityCounts, TargetFinding, withTarget } from "../_lib/findings.ts";
import { iso, plural } from "../_lib/format.ts";
import { Errors, Notes } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef } from "../registry.ts";
import { ageDays, eachRegion, errorSuffix, findingSummary, LOOKUP_CONCURRENCY, someNames } from "./_common.ts";
import { FindingCounts, ImagesInput } from "./_schemas.ts";

/** A WorkSpaces image older than this is worth rebuilding with current patches. */
const OLD_IMAGE_DAYS = 180;

type WsImage = NonNullable<OpOutput<"workspaces", "DescribeWorkspaceImages">["Images"]>[number];

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
  findings: z.array(TargetFinding),
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
    const perRegion = await eachRegion(ctx, regions, "images", async (region) => {
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
        findings: ranked.map((f) => withTarget(f, regions.join(", "))),
        errors: col.errors,
        notes,
      },
    };
  },
};
