/** Helpers shared by the governance tools: region fan-out with progress, ages and the summary line's parts. */
import type { Collection } from "../_lib/collection.ts";
import { type Finding, severityCounts } from "../_lib/findings.ts";
import { forEachRegion } from "../_lib/fanout.ts";
import { DAY, plural } from "../_lib/format.ts";
import type { ToolContext } from "../registry.ts";

/** Per-resource lookups (image permissions, stack associations) in flight per region. */
export const LOOKUP_CONCURRENCY = 8;
/** Names listed in one aggregated finding's detail before "and N more". */
const NAMES_IN_DETAIL = 10;

/**
 * forEachRegion reporting "<label> in <region>" after every region, a single region included (the
 * governance audits always did; forEachRegion's own progress skips the single-region case).
 */
export async function eachRegion<R>(
  ctx: Pick<ToolContext, "progress">,
  regions: readonly string[],
  label: string,
  fn: (region: string) => Promise<R>,
): Promise<R[]> {
  let done = 0;
  return await forEachRegion(ctx, regions, async (region) => {
    const r = await fn(region);
    await ctx.progress(++done, regions.length, `${label} in ${region}`);
    return r;
  });
}

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
