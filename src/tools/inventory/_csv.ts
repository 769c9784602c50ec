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

/** The UTF-8 byte order mark the Python server's CSV starts with (`utf-8-sig`, so spreadsheets read UTF-8). */
export const BOM = "\uFEFF";

/**
 * Flattens sections into CSV text, as the Python server lays it out: a BOM, the core columns service,
 * resource_type, id, name, state, then our `region`, then the sorted union of attribute keys (`tags`,
 * an attribute with include_tags, falls among them).
 */
export function toCsv(sections: SectionData[], includeTags: boolean): { csv: string; columns: string[]; rows: number } {
  const keys = new Set<string>(includeTags ? ["tags"] : []);
  for (const s of sections) for (const r of s.resources) for (const k of Object.keys(r.attributes)) keys.add(k);
  const attributeKeys = [...keys].sort();
  const columns = [
    "service",
    "resource_type",
    "id",
    "name",
    "state",
    "region",
    ...attributeKeys,
  ];
  const lines = [columns.join(",")];
  let rows = 0;
  for (const s of sections) {
    for (const r of s.resources) {
      const cells = [
        s.service,
        s.resource_type,
        r.id,
        r.name,
        r.state,
        r.region,
        ...attributeKeys.map((k) => k === "tags" ? r.attributes.tags ?? r.tags ?? {} : r.attributes[k]),
      ];
      lines.push(cells.map(csvCell).join(","));
      rows++;
    }
  }
  return { csv: BOM + lines.join("\r\n") + "\r\n", columns, rows };
}
