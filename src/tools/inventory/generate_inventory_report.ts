/** generate_inventory_report: the full inventory, section by section, capped and paged. */
import { z } from "zod";
import { Errors, Notes, RefreshInput, RegionInput, RegionsInput } from "../_lib/schemas.ts";
import { decodeToken, encodeToken, PAGE_BUDGET_BYTES } from "../_lib/paging.ts";
import { READ_ONLY, type ToolDef } from "../registry.ts";
import { ServicesInput } from "./_estate.ts";
import { buildReport, REPORT_ACTIONS, Section } from "./_report.ts";

const NAME = "generate_inventory_report";

const ReportInput = z.object({
  region: RegionInput,
  regions: RegionsInput,
  refresh: RefreshInput,
  include_tags: z.boolean().default(false).describe("Also fetch tags (one extra call per listed resource)"),
  services: ServicesInput,
  max_resources_per_service: z.number().int().min(1).max(10_000).default(100).describe(
    "Cap per section (service × type × region); total_count stays complete",
  ),
  next_token: z.string().max(200).optional().describe(
    "From a previous truncated report: returns the next page of every section",
  ),
});

const ReportOutput = z.object({
  region: z.string(),
  regions: z.array(z.string()),
  total_resources: z.number().int(),
  sections: z.array(Section),
  next_token: z.string().nullable().describe("Pass back to get the next page; null when everything was listed"),
  errors: Errors,
  notes: Notes,
});

/** The full inventory, section by section, capped with complete totals and a next_token. */
export const generateInventoryReport: ToolDef<typeof ReportInput, typeof ReportOutput> = {
  name: NAME,
  title: "EUC inventory report",
  toolset: "inventory",
  tier: 0,
  actions: REPORT_ACTIONS,
  annotations: READ_ONLY,
  description: "Detailed inventory of WorkSpaces Personal desktops, Pools, WorkSpaces Applications (AppStream 2.0) " +
    "fleets and stacks, Secure Browser portals and Core managed instances, with their key attributes " +
    "(bundle, compute type, running mode, volume encryption, capacity, images, EC2 details). Each section is capped " +
    "at max_resources_per_service with complete total_count and truncated; pass next_token for the next page, " +
    "or use export_inventory_report_csv for everything. Filter with services; fan out with regions.",
  input: ReportInput,
  output: ReportOutput,
  async run(ctx, args) {
    const offset = decodeToken(NAME, args.next_token);
    const cap = args.max_resources_per_service;
    const built = await buildReport(ctx, args, offset, cap);
    const { regions, sections, col } = built;
    // Sections share one offset: a page too large for the answer budget is cut to a common, smaller cap here,
    // so next_token stays exact (the registry's last-resort trimming would drop resources between pages).
    let pageCap = cap;
    const size = (n: number) => JSON.stringify(sections.map((s) => s.resources.slice(0, n))).length;
    while (pageCap > 1 && size(pageCap) > PAGE_BUDGET_BYTES) pageCap = Math.max(1, Math.floor(pageCap * 0.8));
    let more = built.more;
    if (pageCap < cap) {
      more = sections.some((s) => s.total_count > offset + pageCap);
      for (const s of sections) {
        s.resources = s.resources.slice(0, pageCap);
        s.truncated = s.total_count > offset + pageCap || offset > 0;
      }
    }
    const total_resources = sections.reduce((n, s) => n + s.total_count, 0);
    const listed = sections.reduce((n, s) => n + s.resources.length, 0);
    const notes: string[] = [];
    if (more) {
      notes.push(
        `Some sections have more than ${pageCap} resources from offset ${offset}: pass next_token for the next page, or use export_inventory_report_csv for the full list.`,
      );
    }
    if (pageCap < cap) {
      notes.push(
        `The page was shortened to ${pageCap} resources per section to fit the ~80 KB answer budget; next_token continues exactly.`,
      );
    }
    if (col.errors.length) notes.push("Sections whose listing failed are absent (see errors); they are not empty.");
    return {
      summary: `Inventory of ${
        regions.join(", ")
      }: ${total_resources} resources in ${sections.length} sections, ${listed} listed${
        more ? " (truncated; next_token returned)" : ""
      }${col.errors.length ? `, ${col.errors.length} errors` : ""}.`,
      data: {
        region: regions.join(","),
        regions,
        total_resources,
        sections,
        next_token: more ? encodeToken(NAME, offset + pageCap) : null,
        errors: col.errors,
        notes,
      },
    };
  },
};
