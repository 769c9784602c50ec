/** The health report rendered as markdown: executive summary, then one table per section that has rows. */
import { usd } from "../_lib/format.ts";
import type { HealthReport } from "./generate_euc_health_report.ts";

/** A finite number, or null. */
export const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
/**
 * Money as the health report prints it, in the one format ("$1,234.50"; "n/a" without a figure); `currency`
 * is Cost Explorer's unit for spend (list-price savings are USD).
 */
export const money = (v: number | null, currency?: string | null): string => usd(v, "", "n/a", { currency });

/** The whole report as markdown; `currency` is the unit of the spend figures (Cost Explorer's; USD when absent). */
export function markdown(d: HealthReport, currency?: string | null): string {
  const spend = (v: number | null) => money(v, currency);
  const unit = currency && currency.trim() ? currency.trim().toUpperCase() : "USD";

  const lines: string[] = [];
  const table = (head: string[], rows: string[][]) => {
    lines.push(`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`);
    for (const r of rows) lines.push(`| ${r.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`);
    lines.push("");
  };
  lines.push(`# EUC health report — ${d.regions.join(", ")}`, "", `Generated ${d.generated_at}.`, "");
  lines.push("## Executive summary", "");
  lines.push(`- Resources: ${d.total_resources ?? "not collected"}`);
  lines.push(`- EUC alarms firing (excluding auto-scaling): ${d.alarms_firing ?? "not collected"}`);
  lines.push(`- Security warnings: ${d.audit_warnings ?? "not collected"}`);
  lines.push(`- Spend, last 30 days: ${spend(d.monthly_spend)}; forecast, next 30 days: ${spend(d.forecast_next_30d)}`);
  lines.push(`- Running-mode savings: ${money(d.estimated_monthly_savings)} per month`, "");
  if (d.inventory.totals.length) {
    lines.push("## Inventory", "");
    table(
      ["Service", "Type", "Count", "States"],
      d.inventory.totals.map((t) => [
        String(t.service ?? ""),
        String(t.resource_type ?? ""),
        String(t.count ?? ""),
        Object.entries((t.by_state as Record<string, number>) ?? {}).map(([k, v]) => `${k} ${v}`).join(", "),
      ]),
    );
  }
  if (d.cost.by_service.length) {
    lines.push("## Cost (last 30 days)", "");
    table(["Service", unit], d.cost.by_service.map((r) => [String(r.service ?? ""), spend(num(r.amount))]));
    const split = Object.entries(d.cost.workspaces_breakdown);
    if (split.length) table(["WorkSpaces split", unit], split.map(([k, v]) => [k, spend(v)]));
  }
  lines.push("## Savings", "");
  if (d.utilization.recommendations.length) {
    table(
      ["Target", "Current", "Recommended", "USD/month", "Why"],
      d.utilization.recommendations.map((r) => [
        String(r.target_id ?? ""),
        String(r.current ?? ""),
        String(r.recommended ?? ""),
        money(num(r.estimated_monthly_savings_usd)),
        String(r.rationale ?? ""),
      ]),
    );
    if (d.utilization.unpriced_candidates) {
      lines.push(
        `${d.utilization.unpriced_candidates} candidate(s) have no Price List match for their bundle: no saving is claimed for them.`,
        "",
      );
    }
  } else if (d.sections.running_mode === "failed" || d.sections.running_mode === "not_available") {
    lines.push("Running-mode recommendations could not be collected (see errors): no savings are claimed.", "");
  } else if (d.sections.running_mode === "partial") {
    lines.push(
      "No running-mode changes recommended from the data that could be read; some reads failed (see errors).",
      "",
    );
  } else lines.push("No running-mode changes recommended.", "");
  if (d.alarms.length) {
    lines.push("## Alarms", "");
    table(
      ["Alarm", "Service", "Metric", "Auto-scaling?"],
      d.alarms.map((a) => [
        String(a.name ?? ""),
        String(a.service ?? ""),
        String(a.metric_name ?? ""),
        a.likely_autoscaling ? "likely" : "no",
      ]),
    );
  }
  if (d.security.top_warnings.length) {
    lines.push("## Security warnings", "");
    table(
      ["Severity", "Finding", "Resource", "Next step"],
      d.security.top_warnings.map((f) => [
        String(f.severity),
        String(f.title),
        String(f.resource_id ?? ""),
        String(f.recommendation ?? ""),
      ]),
    );
  }
  if (d.images.findings.length || d.images.running_builders) {
    lines.push("## Images and builders", "", `Running builders: ${d.images.running_builders}`, "");
    for (const f of d.images.findings) {
      lines.push(`- **${f.severity}** ${f.title ?? f.issue ?? ""} (${f.resource_id ?? f.target ?? ""})`);
    }
    lines.push("");
  }
  if (d.quotas.at_or_above_50pct.length) {
    lines.push("## Quotas at or above 50 %", "");
    table(
      ["Service", "Quota", "Used", "Limit", "%"],
      d.quotas.at_or_above_50pct.map((q) => [
        String(q.service ?? q.service_code ?? ""),
        String(q.quota_name ?? q.name ?? ""),
        String(q.usage ?? ""),
        String(q.limit ?? q.value ?? ""),
        String(q.utilization_pct ?? ""),
      ]),
    );
  }
  if (d.errors.length) {
    lines.push("## Not collected", "");
    for (const e of d.errors) lines.push(`- ${e.service} ${e.operation} (${e.region}): ${e.code} — ${e.hint}`);
    lines.push("");
  }
  return lines.join("\n");
}
