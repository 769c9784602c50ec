/**
 * get_euc_service_quotas: Service Quotas of the EUC services with their usage, read in batched
 * GetMetricData requests (never one per quota), fanned out over regions.
 */
import { z } from "zod";
import type { OpOutput } from "../../aws/clients.ts";
import { AwsCallError } from "../../aws/clients.ts";
import { getMetricSeries, type MetricQuery, metricWindow } from "../../aws/metrics.ts";
import { collect } from "../../aws/paginate.ts";
import { PRODUCT, type ServiceId } from "../../names.ts";
import { Collection } from "../_lib/collection.ts";
import { type Finding, finding, rankFindings, severityCounts, TargetFinding, withTarget } from "../_lib/findings.ts";
import { DAY, plural, round } from "../_lib/format.ts";
import { Errors, Notes, RegionInput, RegionsInput } from "../_lib/schemas.ts";
import { parseServices, ServiceInput } from "../_lib/services.ts";
import { READ_ONLY, type ToolContext, type ToolDef } from "../registry.ts";
import { eachRegion, errorSuffix } from "./_common.ts";
import { FindingCounts } from "./_schemas.ts";

type Quota = NonNullable<OpOutput<"servicequotas", "ListServiceQuotas">["Quotas"]>[number];

/** Service Quotas service codes of the EUC services. */
const QUOTA_CODES = ["workspaces", "appstream2", "workspaces-web", "workspaces-instances"] as const;
type QuotaCode = typeof QUOTA_CODES[number];

const QuotasInput = z.object({
  region: RegionInput,
  regions: RegionsInput,
  service: ServiceInput,
  approaching_pct: z.number().min(1).max(100).default(80).describe(
    "Flag quotas whose usage is at or above this percentage of the limit (1–100)",
  ),
  include_zero_limit: z.boolean().default(false).describe(
    "Also list quotas whose limit is 0 (features the account must request before use)",
  ),
});

const QuotaRow = z.object({
  region: z.string(),
  service: z.string().describe("Current product name"),
  service_code: z.string(),
  quota_code: z.string(),
  quota_name: z.string(),
  value: z.number().describe("The applied limit"),
  limit: z.number().describe("The applied limit (the Python server's name for value)"),
  unit: z.string().nullable(),
  adjustable: z.boolean(),
  global_quota: z.boolean(),
  usage: z.number().nullable().describe("Current usage from the quota's CloudWatch usage metric; null when none"),
  utilization_pct: z.number().nullable().describe("usage / value × 100, rounded to 0.1"),
  usage_metric: z.string().nullable().describe("The CloudWatch metric that reports usage"),
});

const QuotasOutput = z.object({
  region: z.string(),
  regions: z.array(z.string()),
  service: z.string(),
  approaching_pct: z.number(),
  quota_count: z.number().int(),
  quotas_with_usage: z.number().int(),
  hidden_zero_limit: z.number().int().describe("Quotas with a limit of 0 left out (include_zero_limit=false)"),
  quotas: z.array(QuotaRow).describe("Sorted by utilization, highest first"),
  finding_counts: FindingCounts,
  findings: z.array(TargetFinding),
  errors: Errors,
  notes: Notes,
});

function parseQuotaServices(value: string): QuotaCode[] {
  const code: Readonly<Record<ServiceId, QuotaCode>> = {
    personal: "workspaces",
    pools: "workspaces",
    applications: "appstream2",
    "secure-browser": "workspaces-web",
    core: "workspaces-instances",
  };
  return parseServices(value, QUOTA_CODES, (id) => code[id]);
}

function quotaProduct(code: string, name: string): string {
  switch (code) {
    case "workspaces":
      return /pool/i.test(name) ? PRODUCT.pools : PRODUCT.personal;
    case "appstream2":
      return PRODUCT.applications;
    case "workspaces-web":
      return PRODUCT["secure-browser"];
    default:
      return PRODUCT.core;
  }
}

function isNoSuchResource(e: unknown): boolean {
  const original = e instanceof AwsCallError ? e.original : e;
  return (original as Error)?.name === "NoSuchResourceException";
}

/** Quotas of one region with their usage (one batched GetMetricData read for all of them). */
async function quotasOf(
  ctx: ToolContext,
  region: string,
  codes: readonly QuotaCode[],
  includeZero: boolean,
  col: Collection,
  notes: string[],
): Promise<{ quota: Quota; usage: number | null }[]> {
  const o = { region, signal: ctx.signal };
  const lists = await Promise.all(
    codes.map((ServiceCode) =>
      col.attempt({ service: "servicequotas", operation: "ListServiceQuotas", region }, async () => {
        try {
          return (await collect(ctx.aws, "servicequotas", "ListServiceQuotas", { ServiceCode }, "Quotas", o)).items;
        } catch (e) {
          // The service code is unknown where the service is not offered: nothing to report, not a failure.
          if (!isNoSuchResource(e)) throw e;
          notes.push(`Service Quotas has no quotas for ${ServiceCode} in ${region} (service not offered there).`);
          return [];
        }
      })
    ),
  );
  const quotas = lists.flatMap((l) => l ?? []);
  // Hidden zero-limit quotas need no usage read.
  const measurable = quotas.filter((q) =>
    q.UsageMetric?.MetricNamespace && q.UsageMetric.MetricName && (includeZero || (q.Value ?? 0) > 0)
  );
  const queries: MetricQuery[] = measurable.map((q) => ({
    namespace: q.UsageMetric!.MetricNamespace!,
    metric: q.UsageMetric!.MetricName!,
    dimensions: q.UsageMetric!.MetricDimensions ?? {},
    stat: q.UsageMetric!.MetricStatisticRecommendation || "Maximum",
  }));
  const usage = new Map<Quota, number | null>();
  if (queries.length > 0) {
    // Daily points over the last two days; the newest is today's usage.
    const read = await getMetricSeries(ctx.aws, region, queries, metricWindow(2 * DAY, 86_400), {
      signal: ctx.signal,
    });
    col.errors.push(...read.errors);
    measurable.forEach((q, i) => {
      const s = read.series[i];
      usage.set(q, s && s.values.length ? s.values[s.values.length - 1] : null);
    });
  }
  return quotas.map((quota) => ({ quota, usage: usage.get(quota) ?? null }));
}

/** How close each EUC service quota is to its limit. */
export const getEucServiceQuotas: ToolDef<typeof QuotasInput, typeof QuotasOutput> = {
  name: "get_euc_service_quotas",
  title: "EUC service quotas and usage",
  toolset: "governance",
  tier: 0,
  actions: ["cloudwatch:GetMetricData", "servicequotas:ListServiceQuotas"],
  annotations: READ_ONLY,
  description:
    "Service Quotas for Amazon WorkSpaces (Personal and Pools), WorkSpaces Applications (AppStream 2.0), Secure " +
    "Browser (WorkSpaces Web) and Core Managed Instances, with current usage from CloudWatch and utilization_pct, " +
    "highest first; quotas at or above approaching_pct are flagged (saying when a quota is NOT adjustable). " +
    "Fan out with regions.",
  input: QuotasInput,
  output: QuotasOutput,
  async run(ctx, args) {
    const codes = parseQuotaServices(args.service);
    const regions = await ctx.regions(args, true);
    const col = new Collection();
    const notes: string[] = [];
    const perRegion = await eachRegion(ctx, regions, "quotas", async (region) => ({
      region,
      quotas: await quotasOf(ctx, region, codes, args.include_zero_limit, col, notes),
    }));
    col.failIfNothing("service quotas");
    const rows: z.infer<typeof QuotaRow>[] = [];
    let hidden = 0;
    for (const { region, quotas } of perRegion) {
      for (const { quota: q, usage } of quotas) {
        const value = q.Value ?? 0;
        if (value <= 0 && !args.include_zero_limit) {
          hidden++;
          continue;
        }
        const m = q.UsageMetric;
        const dims = Object.entries(m?.MetricDimensions ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
        rows.push({
          region,
          service: quotaProduct(q.ServiceCode ?? "", q.QuotaName ?? ""),
          service_code: q.ServiceCode ?? "?",
          quota_code: q.QuotaCode ?? "?",
          quota_name: q.QuotaName ?? q.QuotaCode ?? "?",
          value,
          limit: value,
          unit: q.Unit ?? null,
          adjustable: q.Adjustable === true,
          global_quota: q.GlobalQuota === true,
          usage,
          utilization_pct: usage !== null && value > 0 ? round((usage / value) * 100, 1) : null,
          usage_metric: m?.MetricName ? `${m.MetricNamespace}/${m.MetricName}${dims ? ` {${dims}}` : ""}` : null,
        });
      }
    }
    rows.sort((a, b) =>
      (b.utilization_pct ?? -1) - (a.utilization_pct ?? -1) || a.service_code.localeCompare(b.service_code) ||
      a.quota_name.localeCompare(b.quota_name)
    );
    const findings: Finding[] = [];
    for (const r of rows) {
      if (r.utilization_pct === null || r.utilization_pct < args.approaching_pct) continue;
      const full = r.utilization_pct >= 100;
      const fixable = r.adjustable;
      findings.push(finding(
        full ? "critical" : "warning",
        `${r.quota_name} (${r.service}) at ${r.utilization_pct}% of its quota in ${r.region}${
          fixable ? "" : " — NOT adjustable"
        }`,
        `Usage ${r.usage} of ${r.value}${
          full ? ": new resources of this kind will be refused" : ""
        }; quota ${r.service_code}/${r.quota_code}${fixable ? "" : ", which AWS does NOT allow to be raised"}.`,
        fixable
          ? `Request an increase before it blocks new resources: Service Quotas console, or \`aws service-quotas request-service-quota-increase --service-code ${r.service_code} --quota-code ${r.quota_code} --desired-value ${
            Math.ceil(r.value * 1.5)
          } --region ${r.region}\`.`
          : "This quota is NOT adjustable: free capacity (remove unused resources) or spread the workload over another region or account.",
        `${r.service_code}/${r.quota_code}@${r.region}`,
      ));
    }
    const ranked = rankFindings(findings);
    if (hidden > 0) {
      notes.push(
        `${
          plural(hidden, "quota")
        } with a limit of 0 hidden (features such as graphics instances that must be requested first); include_zero_limit=true lists them.`,
      );
    }
    const withUsage = rows.filter((r) => r.usage !== null).length;
    if (rows.length > withUsage) {
      notes.push(
        `${
          rows.length - withUsage
        } quotas have no usage figure: AWS publishes no usage metric for them, or none in the last 2 days.`,
      );
    }
    const top = rows[0];
    return {
      summary: `${plural(rows.length, "quota")} in ${regions.join(", ")}; ${
        plural(findings.length, "quota")
      } at or above ${args.approaching_pct}%${
        top && top.utilization_pct !== null ? ` (highest: ${top.quota_name} at ${top.utilization_pct}%)` : ""
      }${errorSuffix(col)}.`,
      data: {
        region: regions.join(","),
        regions,
        service: codes.join(","),
        approaching_pct: args.approaching_pct,
        quota_count: rows.length,
        quotas_with_usage: withUsage,
        hidden_zero_limit: hidden,
        quotas: rows,
        finding_counts: severityCounts(ranked),
        findings: ranked.map((f) => withTarget(f, regions.join(", "))),
        errors: col.errors,
        notes,
      },
    };
  },
};
