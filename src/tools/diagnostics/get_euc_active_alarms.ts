/**
 * get_euc_active_alarms: every EUC CloudWatch alarm in ALARM, fanned out over regions, with
 * auto-scaling alarms (including target tracking AlarmHigh/AlarmLow) told apart from incidents.
 */
import { z } from "zod";
import type { OpOutput } from "../../aws/clients.ts";
import { collect } from "../../aws/paginate.ts";
import { PRODUCT } from "../../names.ts";
import { Collection } from "../_lib/collection.ts";
import { forEachRegion } from "../_lib/fanout.ts";
import { iso, plural } from "../_lib/format.ts";
import { Errors, Notes, RegionInput, RegionsInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef } from "../registry.ts";

type MetricAlarm = NonNullable<OpOutput<"cloudwatch", "DescribeAlarms">["MetricAlarms"]>[number];

const AlarmsInput = z.object({ region: RegionInput, regions: RegionsInput });

const AlarmRow = z.object({
  name: z.string(),
  region: z.string(),
  service: z.string().describe("Current product name"),
  namespace: z.string(),
  metric_name: z.string().nullable().describe("The metric, or for metric math the EUC metrics it reads"),
  dimensions: z.record(z.string(), z.string()),
  state_reason: z.string().nullable(),
  state_since: z.string().nullable().describe("When the alarm entered ALARM (ISO)"),
  actions_enabled: z.boolean().nullable(),
  likely_autoscaling: z.boolean().describe(
    "Name looks like an auto-scaling alarm (scale-in/out, target tracking AlarmHigh/AlarmLow): expected, not an incident",
  ),
});

const AlarmsOutput = z.object({
  region: z.string().describe("Regions covered, comma-separated"),
  regions: z.array(z.string()),
  total_account_alarms_in_alarm: z.number().int().describe("Metric alarms in ALARM in the regions that answered"),
  euc_alarms_in_alarm: z.number().int(),
  likely_incidents: z.number().int().describe("EUC alarms in ALARM that are not likely auto-scaling"),
  alarms: z.array(AlarmRow).describe("Likely incidents first"),
  truncated: z.boolean().describe("True when the list was cut to fit the result budget (the counts stay complete)"),
  errors: Errors,
  notes: Notes,
});

/** CloudWatch namespaces of the EUC services. */
const EUC_NAMESPACES: Readonly<Record<string, string>> = {
  "AWS/WorkSpaces": PRODUCT.personal,
  "AWS/AppStream": PRODUCT.applications,
  "AWS/WorkSpacesWeb": PRODUCT["secure-browser"],
};

/**
 * Alarm names auto-scaling creates or that people give scaling alarms: step-scaling names
 * (scale-in, ScaleOut, scaling alarm) and Application Auto Scaling target tracking
 * (`TargetTracking-fleet/<name>-AlarmHigh-<uuid>` / `-AlarmLow-`), which the reference missed.
 */
const AUTOSCALING_NAME = [/scale.?in|scale.?out|scaling.?alarm/i, /^TargetTracking-.+-Alarm(High|Low)-/i];

/** Whether an alarm name looks like an auto-scaling alarm. */
export function likelyAutoscaling(name: string): boolean {
  return AUTOSCALING_NAME.some((re) => re.test(name));
}

function alarmRow(a: MetricAlarm, region: string): z.infer<typeof AlarmRow> | undefined {
  const math = (a.Metrics ?? []).map((m) => m.MetricStat?.Metric).filter((m) => m && EUC_NAMESPACES[m.Namespace ?? ""]);
  const namespace = EUC_NAMESPACES[a.Namespace ?? ""] ? a.Namespace! : math[0]?.Namespace;
  if (!namespace) return undefined;
  const dims = (a.Namespace === namespace ? a.Dimensions : math[0]?.Dimensions) ?? [];
  const dimensions = Object.fromEntries(dims.map((d) => [d.Name ?? "", d.Value ?? ""]));
  const pool = namespace === "AWS/WorkSpaces" && "WorkSpaces pool ID" in dimensions;
  const name = a.AlarmName ?? "";
  return {
    name,
    region,
    service: pool ? PRODUCT.pools : EUC_NAMESPACES[namespace],
    namespace,
    metric_name: a.MetricName ?? ([...new Set(math.map((m) => m!.MetricName))].join(", ") || null),
    dimensions,
    state_reason: a.StateReason ?? null,
    state_since: iso(a.StateTransitionedTimestamp ?? a.StateUpdatedTimestamp),
    actions_enabled: a.ActionsEnabled ?? null,
    likely_autoscaling: likelyAutoscaling(name),
  };
}

/** Every EUC CloudWatch alarm in ALARM, with likely auto-scaling alarms told apart from incidents. */
export const getEucActiveAlarms: ToolDef<typeof AlarmsInput, typeof AlarmsOutput> = {
  name: "get_euc_active_alarms",
  title: "EUC alarms firing",
  toolset: "diagnostics",
  tier: 0,
  actions: ["cloudwatch:DescribeAlarms"],
  annotations: READ_ONLY,
  description: "Which CloudWatch alarms on WorkSpaces, WorkSpaces Pools, WorkSpaces Applications (AppStream 2.0) or " +
    "Secure Browser metrics are in ALARM right now (metric and metric-math alarms; composite alarms are not listed), " +
    "per region (use `regions` to fan out). likely_autoscaling marks scale-in/scale-out and target-tracking " +
    "(AlarmHigh/AlarmLow) alarms, which fire routinely and are not incidents.",
  input: AlarmsInput,
  output: AlarmsOutput,
  async run(ctx, args) {
    const regions = await ctx.regions(args, true);
    const col = new Collection();
    let done = 0;
    // Progress after every region, even a single one, named by the region alone (not forEachRegion's label).
    const perRegion = await forEachRegion(ctx, regions, async (region) => {
      const alarms = await col.attempt(
        { service: "cloudwatch", operation: "DescribeAlarms", region },
        async () =>
          (await collect(
            ctx.aws,
            "cloudwatch",
            "DescribeAlarms",
            {
              StateValue: "ALARM",
              AlarmTypes: ["MetricAlarm"],
              MaxRecords: 100,
            },
            "MetricAlarms",
            { region, signal: ctx.signal },
          )).items,
      );
      await ctx.progress(++done, regions.length, region);
      return { region, alarms };
    });
    col.failIfNothing("alarms");
    let total = 0;
    const rows: z.infer<typeof AlarmRow>[] = [];
    for (const { region, alarms } of perRegion) {
      if (!alarms) continue;
      total += alarms.length;
      for (const a of alarms) {
        const row = alarmRow(a, region);
        if (row) rows.push(row);
      }
    }
    rows.sort((a, b) => Number(a.likely_autoscaling) - Number(b.likely_autoscaling));
    const incidents = rows.filter((r) => !r.likely_autoscaling).length;
    const notes = ["Composite alarms are not listed; their EUC metric alarms are."];
    if (col.errors.length) notes.push("Regions listed in errors are missing from the counts, not zero.");
    return {
      summary: `${plural(rows.length, "EUC alarm")} in ALARM in ${regions.join(", ")} (${incidents} likely ` +
        `incident${incidents === 1 ? "" : "s"}, ${
          rows.length - incidents
        } auto-scaling) out of ${total} in the account.`,
      data: {
        region: regions.join(","),
        regions,
        total_account_alarms_in_alarm: total,
        euc_alarms_in_alarm: rows.length,
        likely_incidents: incidents,
        alarms: rows,
        truncated: false,
        errors: col.errors,
        notes,
      },
    };
  },
};
