/**
 * What every diagnosis shares: the lookback input, the metric period, lookups where NotFound is an
 * answer rather than an error, the stop when credentials are gone, and the one-line headline.
 */
import { z } from "zod";
import { AwsCallError } from "../../aws/clients.ts";
import type { Collection } from "../_lib/collection.ts";
import { type Finding, severityCounts, type Status } from "../_lib/findings.ts";

/** Hours of CloudWatch history a diagnosis reads (1–168, default 24). */
export const LookbackHours = z.number().int().min(1).max(168).default(24).describe(
  "Hours of CloudWatch history to read (1–168, default 24)",
);

/**
 * Period of the diagnoses' metric reads: 5 minutes keeps the window within a few minutes of
 * lookback_hours (whole-hour buckets would widen a 24 h window to 25 h) at ≤ 2,016 points a query.
 */
export const METRIC_PERIOD_SECONDS = 300;

/** Runs a lookup; a NotFound answer is `missing` (not an error), any other failure is recorded in `col`. */
export async function lookup<T>(
  col: Collection,
  where: { service: string; operation: string; region: string },
  fn: () => Promise<T | undefined>,
): Promise<{ value?: T; missing: boolean; failed: boolean }> {
  let missing = false;
  let answered = false;
  const value = await col.attempt(where, async () => {
    try {
      const v = await fn();
      answered = true;
      return v;
    } catch (e) {
      if (e instanceof AwsCallError && e.info.code === "NotFound") {
        answered = missing = true;
        return undefined;
      }
      throw e;
    }
  });
  // Tracked here, not by counting col.errors: other lookups run concurrently and add their own errors.
  const failed = !answered;
  return { value, missing: missing || (answered && value === undefined), failed };
}

/** When the first lookup failed for want of credentials, the rest would too: fail now, as an isError result. */
export function stopWithoutCredentials(col: Collection, what: string): void {
  if (col.errors.some((e) => e.code === "ExpiredCredentials" || e.code === "NoCredentials")) col.failIfNothing(what);
}

/**
 * The answer when the diagnosed resource does not exist: the one finding that says so, the
 * signals left empty, status not_found.
 */
export function notFoundDiagnosis<B extends { target_id: string }, S>(
  kind: string,
  base: B,
  absent: Finding,
  signals: S,
  col: Collection,
) {
  const findings = [absent];
  return {
    summary: headline(kind, base.target_id, "not_found", findings),
    data: { ...base, status: "not_found" as const, findings, signals, errors: col.errors, notes: [] as string[] },
  };
}

/** "Pool wspool-… is unhealthy: 1 critical, 0 warning, 2 info — <worst finding>." */
export function headline(kind: string, id: string, status: Status, findings: Finding[]): string {
  if (status === "not_found") return `${kind} ${id} was not found.`;
  const c = severityCounts(findings);
  const top = findings.find((f) => f.severity !== "info") ?? findings[0];
  return `${kind} ${id} is ${status}: ${c.critical} critical, ${c.warning} warning, ${c.info} info` +
    (top ? ` — ${top.title}` : "") + ".";
}

/**
 * The Python server's `target_type` is the product name of what was diagnosed; our short kind
 * stays in `target_kind` (a stable key for programs; product names change with rebranding).
 */
export const TARGET_TYPE = {
  workspace: "Amazon WorkSpaces Personal",
  fleet: "Amazon WorkSpaces Applications",
  pool: "Amazon WorkSpaces Pools",
  directory: "WorkSpaces directory",
} as const;

/** The `target_type` (product name) and `target_kind` (our short kind) fields of a diagnosis. */
export function targetFields<K extends keyof typeof TARGET_TYPE>(kind: K): {
  target_type: (typeof TARGET_TYPE)[K];
  target_kind: K;
} {
  return { target_type: TARGET_TYPE[kind], target_kind: kind };
}

/** Output schema fragment of the two fields. */
export function targetSchema<K extends keyof typeof TARGET_TYPE>(kind: K) {
  return {
    target_type: z.literal(TARGET_TYPE[kind]).describe(
      "What was diagnosed, as a product name (the Python server's field)",
    ),
    target_kind: z.literal(kind).describe("What was diagnosed, as a short stable key"),
  };
}
