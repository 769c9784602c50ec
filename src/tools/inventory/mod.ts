/** The inventory toolset: its tools and its metadata. */
import type { ToolDef, Toolset } from "../registry.ts";
import { exportInventoryReportCsv } from "./export_inventory_report_csv.ts";
import { generateEucHealthReport } from "./generate_euc_health_report.ts";
import { generateInventoryReport } from "./generate_inventory_report.ts";
import { getEucInventorySummary } from "./get_euc_inventory_summary.ts";

/** The inventory toolset. */
export const TOOLSET: Toolset = {
  id: "inventory",
  description: "What exists: counts by state, full inventory report, CSV export, one-call health report (read-only)",
  tier: 0,
  tools: [
    getEucInventorySummary,
    generateInventoryReport,
    exportInventoryReportCsv,
    generateEucHealthReport,
  ] as unknown as readonly ToolDef[],
};
