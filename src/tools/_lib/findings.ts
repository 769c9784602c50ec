/**
 * Findings and diagnoses shared by every toolset: a finding is a value, ranking and the overall
 * status are one function each, so every tool ranks and grades the same way.
 */
import { z } from "zod";

/** How bad a finding is. */
export const Severity = z.enum(["critical", "warning", "info"]);
/** A severity. */
export type Severity = z.infer<typeof Severity>;

/** One finding: what is wrong (or fine), why, and the plain next step. */
export const Finding = z.object({
  severity: Severity,
  title: z.string().describe("One-line statement of what was found"),
  detail: z.string().describe("The evidence: values, counts, times"),
  recommendation: z.string().describe("The plain next step for the administrator"),
  resource_id: z.string().nullable().describe("The resource the finding is about"),
});
/** A finding. */
export type Finding = z.infer<typeof Finding>;

/** Overall status of a diagnosis. */
export const Status = z.enum(["healthy", "degraded", "unhealthy", "unknown", "not_found"]);
/** A status. */
export type Status = z.infer<typeof Status>;

const RANK: Readonly<Record<Severity, number>> = { critical: 0, warning: 1, info: 2 };

/** Findings sorted critical first, keeping the order of equal severities. */
export function rankFindings(findings: readonly Finding[]): Finding[] {
  return findings.map((f, i) => ({ f, i })).sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

/** The worst severity decides: critical → unhealthy, warning → degraded, info → healthy; none → unknown. */
export function overallStatus(findings: readonly Finding[]): Status {
  if (findings.length === 0) return "unknown";
  if (findings.some((f) => f.severity === "critical")) return "unhealthy";
  if (findings.some((f) => f.severity === "warning")) return "degraded";
  return "healthy";
}

/** Counts of findings per severity (every severity present, zero when none). */
export function severityCounts(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** Builds a finding; `resource_id` defaults to null. */
export function finding(
  severity: Severity,
  title: string,
  detail: string,
  recommendation: string,
  resource_id: string | null = null,
): Finding {
  return { severity, title, detail, recommendation, resource_id };
}

/**
 * A finding as the governance and image audits report it: ours plus the Python server's `target`
 * (what the finding is about) and `issue` (the one-line statement), so its users' scripts keep working.
 */
export const TargetFinding = Finding.extend({
  target: z.string().describe("What the finding is about (the Python server's field): resource_id, else the scope"),
  issue: z.string().describe("The one-line statement (the Python server's field; same as title)"),
});
/** A finding with target and issue. */
export type TargetFinding = z.infer<typeof TargetFinding>;

/** Adds `target` (resource_id, else `scope`) and `issue` (the title) to a finding. */
export function withTarget(f: Finding, scope: string): TargetFinding {
  return { ...f, target: f.resource_id ?? scope, issue: f.title };
}
