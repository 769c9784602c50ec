/**
 * check_directory_health: the registration and Directory Service health of one or every WorkSpaces
 * directory in a region, with Directory Service asked once for all of them.
 */
import { z } from "zod";
import { collect } from "../../aws/paginate.ts";
import { Collection } from "../_lib/collection.ts";
import { Finding, overallStatus, rankFindings, Status } from "../_lib/findings.ts";
import { plural } from "../_lib/format.ts";
import { IDS } from "../_lib/patterns.ts";
import { Errors, Notes, RegionInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef } from "../registry.ts";
import { headline, targetFields, targetSchema } from "./_diagnosis.ts";
import {
  checkDirectory,
  describeDsDirectories,
  type DirectoryEvidence,
  directoryFindings,
  DirectorySignals,
  directorySignals,
  dsKind,
} from "./_directory.ts";

const DirectoryInput = z.object({
  directory_id: z.string().regex(IDS.directory, "must be a directory id such as d-1234567890 or wsd-abc123def")
    .optional().describe("One directory (d-… or wsd-…); omit to check every directory registered in the region"),
  region: RegionInput,
});

const DirectoryDiagnosis = z.object({
  ...targetSchema("directory"),
  target_id: z.string(),
  region: z.string(),
  status: Status,
  summary: z.string().describe("One-line verdict on this directory"),
  findings: z.array(Finding),
  signals: DirectorySignals,
  errors: Errors.describe("Failures of the calls that covered this directory"),
});

const DirectoryOutput = z.object({
  region: z.string(),
  total_count: z.number().int().describe("Directories checked"),
  directories: z.array(DirectoryDiagnosis).describe("Unhealthy first"),
  truncated: z.boolean().describe("True when the list was cut to fit the result budget (total_count stays complete)"),
  errors: Errors,
  notes: Notes,
});

const STATUS_ORDER: Readonly<Record<Status, number>> = {
  unhealthy: 0,
  not_found: 1,
  degraded: 2,
  unknown: 3,
  healthy: 4,
};

/** Registration and Directory Service health of one or every WorkSpaces directory. */
export const checkDirectoryHealth: ToolDef<typeof DirectoryInput, typeof DirectoryOutput> = {
  name: "check_directory_health",
  title: "Check WorkSpaces directory health",
  toolset: "diagnostics",
  tier: 0,
  actions: ["ds:DescribeDirectories", "workspaces:DescribeWorkspaceDirectories"],
  annotations: READ_ONLY,
  description: "Is a WorkSpaces directory healthy? For one directory_id, or every directory registered in the " +
    "region: WorkSpaces registration state, creation settings (default OU, security group, local admin, internet " +
    "access, maintenance mode) and the AWS Directory Service stage (Active, Impaired, Inoperable…; WorkSpaces-" +
    "managed wsd- directories have none). Returns one ranked diagnosis per directory.",
  input: DirectoryInput,
  output: DirectoryOutput,
  async run(ctx, args) {
    const [region] = await ctx.regions(args);
    const { aws, signal } = ctx;
    const col = new Collection();
    const o = { region, signal };
    const where = { service: "workspaces", operation: "DescribeWorkspaceDirectories", region };
    let evidence: DirectoryEvidence[];
    if (args.directory_id) {
      evidence = [await checkDirectory(aws, region, args.directory_id, col, signal)];
    } else {
      const list = await col.attempt(
        where,
        async () => (await collect(aws, "workspaces", "DescribeWorkspaceDirectories", {}, "Directories", o)).items,
      );
      col.failIfNothing("directories");
      const dirs = (list ?? []).filter((d) => d.DirectoryId);
      const dsIds = dirs.map((d) => d.DirectoryId!).filter((id) => dsKind(id) === "ds");
      // One DescribeDirectories (with every d- id) for all of them, not one per directory.
      const ds = await describeDsDirectories(aws, region, dsIds, col, signal);
      evidence = dirs.map((d) => {
        const kind = dsKind(d.DirectoryId!);
        return { id: d.DirectoryId!, registration: d, ds: kind === "ds" ? ds?.get(d.DirectoryId!) : kind };
      });
    }
    col.failIfNothing("directory health");
    const directories = evidence.map((e) => {
      const findings = rankFindings(directoryFindings(e));
      // Neither WorkSpaces nor Directory Service knows it: not found; WorkSpaces could not be asked and
      // Directory Service has no answer either: unknown.
      const status: Status = e.registration === "missing" && typeof e.ds !== "object"
        ? "not_found"
        : e.registration === undefined && typeof e.ds !== "object"
        ? "unknown"
        : overallStatus(findings);
      return {
        ...targetFields("directory"),
        target_id: e.id,
        region,
        status,
        summary: headline("Directory", e.id, status, findings),
        findings,
        signals: directorySignals(e),
        // The calls that covered this directory: the batched Directory Service read for d- ids; every call when checking one.
        errors: col.errors.filter((x) =>
          args.directory_id !== undefined || (x.operation === "DescribeDirectories" && dsKind(e.id) === "ds")
        ),
      };
    }).sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
    const notes: string[] = [];
    if (!args.directory_id && directories.length === 0) notes.push(`No directories are registered in ${region}.`);
    if (col.errors.some((e) => e.operation === "DescribeDirectories")) {
      notes.push("Directory Service could not be read (see errors): stages are null, not healthy.");
    }
    const bad = directories.filter((d) => d.status === "unhealthy" || d.status === "not_found");
    return {
      summary: args.directory_id
        ? headline("Directory", args.directory_id, directories[0].status, directories[0].findings)
        : `${plural(directories.length, "directory", "directories")} in ${region}: ${bad.length} unhealthy` +
          (bad.length ? ` (${bad.map((d) => d.target_id).join(", ")})` : "") + ".",
      data: { region, total_count: directories.length, directories, truncated: false, errors: col.errors, notes },
    };
  },
};
