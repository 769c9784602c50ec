/**
 * generate_euc_health_report, the one-call health report: runs the inventory, alarm, cost,
 * forecast, running-mode, security, image and quota collectors side by side (each through its own
 * tool, so the numbers match what the individual tools say), derives the headline figures and
 * renders a markdown report. A section that fails (for example Cost Explorer without the tier-1
 * policy) becomes errors; the rest stands.
 */
import { z } from "zod";
import type { AwsErrorInfo } from "../../aws/errors.ts";
import { cents } from "../_lib/format.ts";
import { Errors, Notes, RefreshInput, RegionInput, RegionsInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolContext, type ToolDef, ToolFailure } from "../registry.ts";
import { markdown, money, num } from "./_report_markdown.ts";

/** Size guards: the report stays readable and under the result budget. */
const LIMITS = { findings: 25, recommendations: 10, quotas: 8, alarms: 20 } as const;
/** Quotas at or above this utilization are listed. */
const HOT_QUOTA_PCT = 50;

const Input = z.object({
  region: RegionInput,
  regions: RegionsInput,
  refresh: RefreshInput,
  lookback_days: z.number().int().min(1).max(90).default(14).describe(
    "Days of usage behind the running-mode recommendations (1–90, default 14)",
  ),
});

const Row = z.record(z.string(), z.unknown());

const Output = z.object({
  region: z.string().describe("Regions covered, comma-separated"),
  regions: z.array(z.string()),
  generated_at: z.string().describe("YYYY-MM-DD HH:MM UTC"),
  lookback_days: z.number().int(),
  total_resources: z.number().int().nullable(),
  alarms_firing: z.number().int().nullable().describe("EUC alarms in ALARM, excluding likely auto-scaling alarms"),
  audit_warnings: z.number().int().nullable().describe("Security findings of severity warning or critical"),
  monthly_spend: z.number().nullable().describe("EUC spend over the last 30 days (USD)"),
  forecast_next_30d: z.number().nullable(),
  estimated_monthly_savings: z.number().nullable().describe("Sum of priced running-mode savings; null when none"),
  sections: z.record(z.string(), z.enum(["ok", "partial", "failed", "not_available"])).describe(
    "How each collector fared",
  ),
  inventory: z.object({
    total: z.number().int().nullable().describe("Resources counted (the Python server's field; = total_resources)"),
    services: z.array(Row).describe("One row per service and resource type (the Python server's field; = totals)"),
    totals: z.array(Row),
  }),
  cost: z.object({
    last_30d_total: z.number().nullable(),
    by_service: z.array(Row),
    workspaces_breakdown: z.record(z.string(), z.number()).describe("Keyed as the Python server keys it"),
    workspaces_breakdown_by_product: z.record(z.string(), z.number()),
    forecast_next_30d: z.number().nullable(),
  }),
  security: z.object({ severity_counts: z.record(z.string(), z.number()), top_warnings: z.array(Row) }),
  utilization: z.object({
    recommendations: z.array(Row),
    total_recommendations: z.number().int(),
    estimated_monthly_savings: z.number().nullable(),
    unpriced_candidates: z.number().int(),
  }),
  images: z.object({ findings: z.array(Row), running_builders: z.number().int() }),
  quotas: z.object({ at_or_above_50pct: z.array(Row) }),
  alarms: z.array(Row),
  markdown: z.string().describe("The whole report as markdown"),
  errors: Errors,
  notes: Notes,
});

/** The health report's structured answer (what the markdown is rendered from). */
export type HealthReport = z.infer<typeof Output>;

type Data = Record<string, unknown>;

/** What one collector returned: its data, or why it has none. */
interface SectionResult {
  status: "ok" | "partial" | "failed" | "not_available";
  data?: Data;
  errors: AwsErrorInfo[];
}

async function runSection(ctx: ToolContext, name: string, args: Record<string, unknown>): Promise<SectionResult> {
  // The collectors are the tools' own records (loaded like any tool), so the report runs what the tools run.
  const tool = await ctx.loadTool(name);
  if (!tool) return { status: "not_available", errors: [] };
  // Sub-collectors share the signal but not the progress token: the report reports its own progress.
  const sub: ToolContext = { ...ctx, progress: () => Promise.resolve() };
  try {
    const parsed = tool.input.parse(args);
    const ok = await tool.run(sub, parsed);
    const data = ok.data as Data;
    const errors = (data.errors as AwsErrorInfo[] | undefined) ?? [];
    return { status: errors.length ? "partial" : "ok", data, errors };
  } catch (e) {
    if ((e as Error)?.name === "AbortError") throw e;
    if (e instanceof ToolFailure) {
      const errors = e.errors.length ? e.errors : [{
        service: name,
        operation: name,
        region: String(args.region ?? (args.regions as string[] | undefined)?.join(",") ?? ""),
        code: e.code,
        message: e.message,
        hint: e.hint,
      }];
      return { status: "failed", errors };
    }
    const info = (e as { info?: AwsErrorInfo })?.info;
    if (info) return { status: "failed", errors: [info] };
    throw e;
  }
}

/** The error whose code is the most frequent (the one that explains a total failure). */
function mostCommonError(errors: readonly AwsErrorInfo[]): AwsErrorInfo {
  const counts = new Map<string, number>();
  for (const e of errors) counts.set(e.code, (counts.get(e.code) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
  return errors.find((e) => e.code === top)!;
}

const arr = (v: unknown): Data[] => (Array.isArray(v) ? v as Data[] : []);

/** One report over inventory, alarms, cost, savings, security, images and quotas. */
export const generateEucHealthReport: ToolDef<typeof Input, typeof Output> = {
  name: "generate_euc_health_report",
  title: "EUC health report",
  toolset: "inventory",
  tier: 1,
  actions: [
    "appstream:DescribeAppBlockBuilders",
    "appstream:DescribeFleets",
    "appstream:DescribeImageBuilders",
    "appstream:DescribeImages",
    "appstream:DescribeStacks",
    "appstream:DescribeUsageReportSubscriptions",
    "ce:GetCostAndUsage",
    "ce:GetCostForecast",
    "cloudwatch:DescribeAlarms",
    "cloudwatch:GetMetricData",
    "pricing:GetProducts",
    "servicequotas:ListServiceQuotas",
    "tag:GetResources",
    "workspaces-instances:ListWorkspaceInstances",
    "workspaces-web:GetIpAccessSettings",
    "workspaces-web:GetUserSettings",
    "workspaces-web:ListPortals",
    "workspaces:DescribeIpGroups",
    "workspaces:DescribeTags",
    "workspaces:DescribeWorkspaceBundles",
    "workspaces:DescribeWorkspaceDirectories",
    "workspaces:DescribeWorkspaceImagePermissions",
    "workspaces:DescribeWorkspaceImages",
    "workspaces:DescribeWorkspaces",
    "workspaces:DescribeWorkspacesConnectionStatus",
    "workspaces:DescribeWorkspacesPools",
  ],
  annotations: READ_ONLY,
  description: "One-call health and scale report for the whole EUC estate: inventory, EUC alarms firing, the last " +
    "30 days of spend and the 30-day forecast, running-mode savings (billable hours against break-even), security " +
    "warnings, image and builder findings, and quotas at or above 50 %. Collectors run side by side; a failing one " +
    "(e.g. Cost Explorer without the tier-1 policy) is listed in errors and the rest of the report stands. " +
    "Returns structured sections plus a markdown report. Use `regions` to cover several regions.",
  input: Input,
  output: Output,
  async run(ctx, args) {
    const regions = await ctx.regions(args, true);
    const fan = { regions };
    const plan: [string, string, Record<string, unknown>][] = [
      ["inventory", "get_euc_inventory_summary", fan],
      ["alarms", "get_euc_active_alarms", fan],
      ["cost", "get_euc_cost_summary", { lookback_days: 30 }],
      ["forecast", "get_euc_cost_forecast", { days_ahead: 30 }],
      ["running_mode", "recommend_running_mode", { ...fan, lookback_days: args.lookback_days }],
      ["security", "audit_security_posture", fan],
      ["application_images", "audit_application_images", fan],
      ["workspace_images", "audit_workspace_images", fan],
      ["quotas", "get_euc_service_quotas", fan],
    ];
    let done = 0;
    const results = await Promise.all(plan.map(async ([key, tool, a]) => {
      const r = await runSection(ctx, tool, a);
      await ctx.progress(++done, plan.length, `${key} collected`);
      return [key, r] as const;
    }));
    const s = Object.fromEntries(results) as Record<string, SectionResult>;
    const errors = results.flatMap(([, r]) => r.errors);
    // Nothing at all collected (e.g. expired credentials): an isError result, not a report of blanks.
    if (!results.some(([, r]) => r.status === "ok" || r.status === "partial") && errors.length) {
      const top = mostCommonError(errors);
      throw new ToolFailure(
        top.code,
        `No section of the health report could be collected (${results.length} collectors failed): ${top.message}`,
        top.hint,
        errors,
      );
    }
    const notes: string[] = [];

    const inv = s.inventory.data;
    const totals = arr(inv?.totals);
    const total_resources = num(inv?.total_resources);

    const alarmList = arr(s.alarms.data?.alarms);
    const incidents = alarmList.filter((a) => a.likely_autoscaling !== true);
    const alarms_firing = s.alarms.data ? incidents.length : null;

    const cost = s.cost.data;
    const monthly_spend = num(cost?.total);
    const currency = typeof cost?.currency === "string" ? cost.currency : null;
    const forecast_next_30d = num(s.forecast.data?.forecast_total);
    if (s.cost.status === "failed" || s.forecast.status === "failed") {
      notes.push(
        "The cost sections need the tier-1 policy (iam/tier1-cost.json: ce:GetCostAndUsage, ce:GetCostForecast).",
      );
    }

    const recs = arr(s.running_mode.data?.recommendations);
    const savings = recs.map((r) => num(r.estimated_monthly_savings_usd)).filter((v): v is number =>
      v !== null && v > 0
    );
    // recommend_running_mode pages its list (largest saving first); its totals cover every recommendation.
    const savingsSum = num(s.running_mode.data?.total_estimated_monthly_savings_usd) ??
      savings.reduce((a, b) => a + b, 0);
    const estimated_monthly_savings = savingsSum > 0 ? cents(savingsSum) : null;
    const unpriced = recs.filter((r) => num(r.estimated_monthly_savings_usd) === null).length;
    const savingsMax = num(s.running_mode.data?.total_estimated_monthly_savings_max_usd);
    // Savings read hourly only are a range: the figure is its least, and the report says so.
    const atLeast = estimated_monthly_savings !== null && savingsMax !== null && savingsMax > estimated_monthly_savings;
    if (atLeast) {
      notes.push(
        `Running-mode savings are at least ${money(estimated_monthly_savings)} and at most ${
          money(savingsMax)
        } a month: recommendations that hold anywhere within their hourly bounds are not read at 5 minutes.`,
      );
    }

    const sec = s.security.data;
    const secFindings = arr(sec?.findings);
    const severity_counts = (sec?.severity_counts as Record<string, number> | undefined) ?? {};
    const audit_warnings = sec ? (severity_counts.warning ?? 0) + (severity_counts.critical ?? 0) : null;
    const top_warnings = secFindings.filter((f) => f.severity === "critical" || f.severity === "warning")
      .slice(0, LIMITS.findings);

    const app = s.application_images.data;
    const imageFindings = [...arr(app?.findings), ...arr(s.workspace_images.data?.findings)].slice(0, LIMITS.findings);
    const running_builders = (num(app?.running_image_builders) ?? 0) + (num(app?.running_app_block_builders) ?? 0);

    const hot = arr(s.quotas.data?.quotas).filter((q) => (num(q.utilization_pct) ?? 0) >= HOT_QUOTA_PCT)
      .slice(0, LIMITS.quotas);

    const generated_at = new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC";
    const sections = Object.fromEntries(results.map(([k, r]) => [k, r.status]));
    const data = {
      region: regions.join(","),
      regions,
      generated_at,
      lookback_days: args.lookback_days,
      total_resources,
      alarms_firing,
      audit_warnings,
      monthly_spend,
      forecast_next_30d,
      estimated_monthly_savings,
      sections,
      inventory: { total: total_resources, services: totals, totals },
      cost: {
        last_30d_total: monthly_spend,
        by_service: arr(cost?.by_service),
        workspaces_breakdown: (cost?.workspaces_breakdown as Record<string, number> | undefined) ?? {},
        workspaces_breakdown_by_product:
          (cost?.workspaces_breakdown_by_product as Record<string, number> | undefined) ??
            {},
        forecast_next_30d,
      },
      security: { severity_counts, top_warnings },
      utilization: {
        recommendations: recs.slice(0, LIMITS.recommendations),
        total_recommendations: num(s.running_mode.data?.total_count) ?? recs.length,
        estimated_monthly_savings,
        unpriced_candidates: unpriced,
      },
      images: { findings: imageFindings, running_builders },
      quotas: { at_or_above_50pct: hot },
      alarms: alarmList.slice(0, LIMITS.alarms),
      markdown: "",
      errors,
      notes,
    };
    data.markdown = markdown(data, currency);
    const failed = results.filter(([, r]) => r.status === "failed").map(([k]) => k);
    return {
      summary: `Health report for ${regions.join(", ")}: ${total_resources ?? "?"} resources, ` +
        `${alarms_firing ?? "?"} alarms firing, ${audit_warnings ?? "?"} security warnings, spend ${
          money(monthly_spend, currency)
        }/30 days, savings ${atLeast ? "at least " : ""}${money(estimated_monthly_savings)}/month` +
        (failed.length ? ` (not collected: ${failed.join(", ")})` : "") + ".",
      data,
    };
  },
};
