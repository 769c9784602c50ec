/**
 * Cost Explorer plumbing shared by the spend tools: one endpoint, every page one counted request,
 * EUC services matched by keyword (so "Amazon AppStream" and "Amazon WorkSpaces Applications"
 * spend both count and Thin Client hardware does not), and the WorkSpaces usage-type split.
 */
import { z } from "zod";
import { AwsCallError, type OpInput, type OpOutput } from "../../aws/clients.ts";
import { classifyError } from "../../aws/errors.ts";
import { MalformedResponseError } from "../../aws/http.ts";
import { pages } from "../../aws/paginate.ts";
import { PRODUCT } from "../../names.ts";
import type { ToolContext } from "../registry.ts";

/** Cost Explorer has one endpoint, in us-east-1. */
export const CE_REGION = "us-east-1";

/** The period sizes the spend tools offer. */
export const Granularity = z.enum(["MONTHLY", "DAILY"]);

/** One period of a GetCostAndUsage answer. */
export type ResultByTime = NonNullable<OpOutput<"ce", "GetCostAndUsage">["ResultsByTime"]>[number];
type CostInput = OpInput<"ce", "GetCostAndUsage">;

/** Counts Cost Explorer requests (pages) so tools can say what an answer cost. */
export interface CeMeter {
  requests: number;
}

/** A Cost Explorer Amount as a number; null when it is missing, null or not a number. */
export function readAmount(amount: unknown): number | null {
  if (typeof amount !== "string" || amount.trim() === "") return null;
  const n = Number(amount);
  return Number.isFinite(n) ? n : null;
}

/**
 * Throws a listed malformed-response error when a group or total of the page holds an Amount that
 * cannot be read: such an answer gives no figure at all rather than $0 for the unreadable part.
 */
function checkAmounts(results: readonly ResultByTime[]): void {
  for (const r of results) {
    const period = r.TimePeriod?.Start ?? "?";
    const entries: [string, Record<string, { Amount?: string }> | undefined][] = [
      ...(r.Groups ?? []).map((g) => [g.Keys?.join("/") ?? "?", g.Metrics] as [string, typeof g.Metrics]),
      ...(r.Total && Object.keys(r.Total).length ? [["total", r.Total] as [string, typeof r.Total]] : []),
    ];
    for (const [label, metrics] of entries) {
      const values = Object.values(metrics ?? {});
      const bad = values.length === 0 ? undefined : values.find((m) => readAmount(m?.Amount) === null);
      if (values.length === 0 || bad) {
        const shown = values.length === 0 ? "no metrics" : `Amount ${JSON.stringify(bad?.Amount ?? null)}`;
        const e = new MalformedResponseError(
          `${shown} for ${label} in the period starting ${period}; no figure is given rather than 0`,
        );
        throw new AwsCallError(
          classifyError(e, { service: "ce", operation: "GetCostAndUsage", region: CE_REGION }),
          e,
        );
      }
    }
  }
}

/**
 * Every page of one GetCostAndUsage query, merged by period (a period may span two pages). An
 * unreadable Amount fails the query with a listed error (see checkAmounts), never a $0.
 */
export async function costAndUsage(ctx: ToolContext, meter: CeMeter, input: CostInput): Promise<ResultByTime[]> {
  const merged = new Map<string, ResultByTime>();
  for await (const page of pages(ctx.aws, "ce", "GetCostAndUsage", input, { region: CE_REGION, signal: ctx.signal })) {
    meter.requests++;
    checkAmounts(page.ResultsByTime ?? []);
    for (const r of page.ResultsByTime ?? []) {
      const key = r.TimePeriod?.Start ?? "";
      const prev = merged.get(key);
      if (!prev) merged.set(key, { ...r, Groups: [...(r.Groups ?? [])] });
      else prev.Groups!.push(...(r.Groups ?? []));
    }
  }
  return [...merged.values()].sort((a, b) => (a.TimePeriod?.Start ?? "").localeCompare(b.TimePeriod?.Start ?? ""));
}

/** The UnblendedCost amount of a group or total (costAndUsage has refused unreadable amounts; 0 when not asked for). */
export function amountOf(metrics: Record<string, { Amount?: string; Unit?: string }> | undefined): number {
  return readAmount(metrics?.UnblendedCost?.Amount) ?? 0;
}

/** The currency of a series (the first unit Cost Explorer gives; USD when none). */
export function unitOf(results: ResultByTime[]): string {
  for (const r of results) {
    for (const g of r.Groups ?? []) if (g.Metrics?.UnblendedCost?.Unit) return g.Metrics.UnblendedCost.Unit;
    if (r.Total?.UnblendedCost?.Unit) return r.Total.UnblendedCost.Unit;
  }
  return "USD";
}

/** EUC spend by Cost Explorer's SERVICE name: "workspaces" or "appstream" in it, and not Thin Client hardware. */
export function isEucService(name: string): boolean {
  const n = name.toLowerCase();
  return (n.includes("workspaces") || n.includes("appstream")) && !n.includes("thin client");
}

/** The plain "Amazon WorkSpaces" line (Personal, Pools and Core together). */
export function isPlainWorkSpaces(name: string): boolean {
  const n = name.toLowerCase();
  return n.includes("workspaces") && !/applications|secure browser|web|thin client|appstream/.test(n);
}

/** The current product name of a Cost Explorer service label. */
export function productOf(label: string): string {
  const n = label.toLowerCase();
  if (n.includes("appstream") || n.includes("applications")) return PRODUCT.applications;
  if (n.includes("secure browser") || n.includes("workspaces web")) return PRODUCT["secure-browser"];
  return "Amazon WorkSpaces";
}

/**
 * The one rule that splits the "Amazon WorkSpaces" Cost Explorer line (Personal, Pools and Core
 * share it) by USAGE_TYPE: the first marker the usage type contains (case-insensitive) wins, and
 * anything else is Personal. Evidence (DESIGN.md, Cost Explorer table): Pools bill as
 * `APS1-AW-HW-Pools-Stopped-Usage`, Core management fees as `APS1-WH-ManagedInstances-Usage`,
 * Personal as `…-AW-HW-2`, `…-AW-HW-2-AutoStop-User`, `…-AW-HW-2-AutoStop-Usage`, `…-AW-HWB5-0`.
 */
export const USAGE_TYPE_MARKERS: readonly (readonly [marker: string, product: string])[] = [
  ["pools", PRODUCT.pools],
  ["managedinstances", PRODUCT.core],
];

/** Personal, Pools or Core for a WorkSpaces usage type (Cost Explorer cannot split them by SERVICE). */
export function usageCategory(usageType: string): string {
  const u = usageType.toLowerCase();
  return USAGE_TYPE_MARKERS.find(([marker]) => u.includes(marker))?.[1] ?? PRODUCT.personal;
}

/** The note that says how many Cost Explorer requests an answer took. */
export function ceNote(meter: CeMeter): string {
  return `Cost Explorer requests made: ${meter.requests} (billed at about $0.01 each; every page is one request).`;
}
