/** The inventory as CSV: core columns, then every attribute column; cells safe for spreadsheets. */
import type { SectionData } from "./_report.ts";

/** Characters that make spreadsheet programs evaluate a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "object" ? JSON.stringify(value) : String(value);
  // AWS-sourced strings (names, tags) can be attacker-controlled: neutralise formula injection.
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Flattens sections into CSV text: core columns, then the sorted union of attribute keys. */
export function toCsv(sections: SectionData[], includeTags: boolean): { csv: string; columns: string[]; rows: number } {
  const keys = new Set<string>();
  for (const s of sections) for (const r of s.resources) for (const k of Object.keys(r.attributes)) keys.add(k);
  const attributeKeys = [...keys].sort();
  const columns = [
    "service",
    "resource_type",
    "region",
    "id",
    "name",
    "state",
    ...attributeKeys,
    ...(includeTags ? ["tags"] : []),
  ];
  const lines = [columns.join(",")];
  let rows = 0;
  for (const s of sections) {
    for (const r of s.resources) {
      const cells = [
        s.service,
        s.resource_type,
        r.region,
        r.id,
        r.name,
        r.state,
        ...attributeKeys.map((k) => r.attributes[k]),
      ];
      if (includeTags) cells.push(r.tags ?? {});
      lines.push(cells.map(csvCell).join(","));
      rows++;
    }
  }
  return { csv: lines.join("\r\n") + "\r\n", columns, rows };
}
