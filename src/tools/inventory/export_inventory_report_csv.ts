/** export_inventory_report_csv: every resource as one CSV, embedded when small and always a session resource. */
import { z } from "zod";
import { Errors, Notes, RefreshInput, RegionInput, RegionsInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef } from "../registry.ts";
import { toCsv } from "./_csv.ts";
import { ServicesInput } from "./_estate.ts";
import { buildReport, REPORT_ACTIONS } from "./_report.ts";

/** A CSV larger than this is served as a linked resource instead of embedded in the result. */
const CSV_EMBED_LIMIT_BYTES = 60_000;

const CsvInput = z.object({
  region: RegionInput,
  regions: RegionsInput,
  refresh: RefreshInput,
  path: z.string().max(4096).optional().describe(
    "Accepted for the Python server's callers and never used: this server writes no files; the CSV is at resource_uri",
  ),
  include_tags: z.boolean().default(false).describe("Add a tags column (one extra call per resource)"),
  services: ServicesInput,
});

const CsvOutput = z.object({
  path: z.string().describe(
    "Where the CSV is: the session resource URI (the Python server's field held a local file path; this server writes no files)",
  ),
  requested_path: z.string().nullable().describe("The `path` given, which was not written; null when none"),
  report_id: z.string(),
  resource_uri: z.string().describe("euc://reports/<id>.csv — readable with resources/read for this session"),
  mime_type: z.literal("text/csv"),
  rows: z.number().int(),
  columns: z.array(z.string()),
  total_resources: z.number().int(),
  bytes: z.number().int(),
  embedded: z.boolean().describe("True when the CSV is also embedded in this result (small exports)"),
  errors: Errors,
  notes: Notes,
});

/** Every resource as CSV, returned as an embedded text/csv resource and a session resource. */
export const exportInventoryReportCsv: ToolDef<typeof CsvInput, typeof CsvOutput> = {
  name: "export_inventory_report_csv",
  title: "Export EUC inventory as CSV",
  toolset: "inventory",
  tier: 0,
  actions: REPORT_ACTIONS,
  annotations: READ_ONLY,
  description: "The complete inventory (no cap) as one CSV for spreadsheets: one row per resource with service, " +
    "type, region, id, name, state and every attribute column. Writes no file: the CSV is embedded in the result " +
    "when small and always registered as the session resource euc://reports/<id>.csv (read it with resources/read).",
  input: CsvInput,
  output: CsvOutput,
  async run(ctx, args) {
    const { regions, sections, col } = await buildReport(ctx, args, 0, Number.MAX_SAFE_INTEGER);
    const { csv, columns, rows } = toCsv(sections, args.include_tags);
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, "");
    const report = ctx.reports.add(
      `euc-inventory-${regions.length === 1 ? regions[0] : "multi-region"}-${stamp}`,
      "text/csv",
      csv,
    );
    const bytes = new TextEncoder().encode(csv).length;
    const embedded = bytes <= CSV_EMBED_LIMIT_BYTES;
    const notes: string[] = [];
    if (!embedded) {
      notes.push(
        `The CSV is ${Math.round(bytes / 1024)} KB, too large to embed; read ${report.uri} with resources/read.`,
      );
    }
    if (args.path !== undefined) {
      notes.push(
        `No file was written to ${JSON.stringify(args.path.slice(0, 200))}: this server writes no files. ` +
          `The CSV is the session resource ${report.uri} (resources/read)${
            embedded ? ", also embedded in this result" : ""
          }; save it from there.`,
      );
    }
    if (col.errors.length) notes.push("Services whose listing failed are missing from the CSV (see errors).");
    const total_resources = sections.reduce((n, s) => n + s.total_count, 0);
    return {
      summary: `CSV export: ${rows} rows × ${columns.length} columns (${Math.round(bytes / 1024)} KB) at ${report.uri}${
        embedded ? ", embedded below" : ""
      }.`,
      data: {
        path: report.uri,
        requested_path: args.path ?? null,
        report_id: report.id,
        resource_uri: report.uri,
        mime_type: "text/csv",
        rows,
        columns,
        total_resources,
        bytes,
        embedded,
        errors: col.errors,
        notes,
      },
      content: [
        embedded
          ? { type: "resource", resource: { uri: report.uri, mimeType: "text/csv", text: csv } }
          : { type: "resource_link", uri: report.uri, name: report.id, mimeType: "text/csv", size: bytes },
      ],
    };
  },
};
