/** Helpers shared by the governance tools: lookup concurrency, ages and the summary line's parts. */
import type { Collection } from "../_lib/collection.ts";
import { type Finding, severityCounts } from "../_lib/findings.ts";
import { DAY, plural } from "../_lib/format.ts";

/** Per-resource lookups (image permissions, stack associations) in flight per region. */
export const LOOKUP_CONCURRENCY = 8;
/** Names listed in one aggregated finding's detail before "and N more". */
const NAMES_IN_DETAIL = 10;

/** Whole days from an AWS date to `now`, or null when AWS gave none. */
export function ageDays(d: Date | undefined, now: number): number | null {
  return d instanceof Date && !isNaN(d.getTime()) ? Math.floor((now - d.getTime()) / DAY) : null;
}

/** "a, b, c and 4 more". */
export function someNames(names: readonly string[], max = NAMES_IN_DETAIL): string {
  if (names.length <= max) return names.join(", ");
  return `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}

/** "1 critical, 2 warnings" — or "no findings". */
export function findingSummary(findings: readonly Finding[]): string {
  const c = severityCounts(findings);
  const parts = [
    c.critical ? `${c.critical} critical` : "",
    c.warning ? plural(c.warning, "warning") : "",
    c.info ? `${c.info} info` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "no findings";
}

/** " (2 errors: see errors)" when the collection recorded errors, else "". */
export function errorSuffix(col: Collection): string {
  return col.errors.length ? ` (${plural(col.errors.length, "error")}: see errors)` : "";
}
