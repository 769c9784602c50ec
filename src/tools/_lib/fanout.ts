/**
 * One region fan-out for every tool that accepts `regions`: bounded concurrency (the EUC APIs'
 * rate limits are per account and region, so four regions at a time keep well inside them),
 * results in region order, progress per region.
 */
import { mapLimit } from "../../aws/paginate.ts";
import type { ToolContext } from "../registry.ts";

/** Regions worked on at once. */
export const REGION_CONCURRENCY = 4;

/**
 * Runs `fn` once per region, at most REGION_CONCURRENCY at a time, keeping the regions' order.
 * With `progress` set, reports "<progress> in <region>" after each region when there are several.
 * Errors belong in the caller's Collection (per service and region); a thrown error fails the call.
 */
export async function forEachRegion<R>(
  ctx: Pick<ToolContext, "progress">,
  regions: readonly string[],
  fn: (region: string, index: number) => Promise<R>,
  progress?: string,
): Promise<R[]> {
  let done = 0;
  return await mapLimit(regions, REGION_CONCURRENCY, async (region, i) => {
    const r = await fn(region, i);
    if (progress && regions.length > 1) await ctx.progress(++done, regions.length, `${progress} in ${region}`);
    return r;
  });
}
