/**
 * get_secure_browser_portal_usage: live sessions (ListSessions, real time) and session history (one
 * batched GetMetricData request) of one Secure Browser portal; idle portals are reported as idle,
 * not failed.
 */
import { z } from "zod";
import type { OpOutput } from "../../aws/clients.ts";
import { AwsCallError } from "../../aws/clients.ts";
import { getMetricSeries, type MetricQuery, metricWindow, type Series } from "../../aws/metrics.ts";
import { MetricCatalog, portalMetrics, SECURE_BROWSER } from "../../aws/metric_catalog.ts";
import { collect } from "../../aws/paginate.ts";
import { Collection } from "../_lib/collection.ts";
import { DAY, plural, round } from "../_lib/format.ts";
import { Errors, Notes, RegionInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef } from "../registry.ts";
import { notFound, parsePortalRef, PortalRefInput, portalRegion } from "./_portal.ts";

/** Live sessions listed (the count stays complete). */
const SESSION_LIST_CAP = 200;
/** Datapoints per metric series returned (the newest; the totals use every point). */
const DATAPOINT_CAP = 100;

/** The Secure Browser metrics (namespace AWS/WorkSpacesWeb, dimension PortalId) and statistics read. */
const SESSION_METRICS = ["SessionAttempt", "SessionSuccess", "SessionFailure"] as const;
const SESSION_STATS = ["Sum", "Average", "Maximum"] as const;
/** Activity metrics a portal is seen to publish in the field (a production deployment's dashboards): peak 0 = idle. */
const ACTIVITY_METRICS = ["ActiveSession"] as const;

const UsageInput = z.object({
  portal: PortalRefInput.describe("The portal's id (the UUID at the end of its ARN) or its ARN"),
  region: RegionInput.describe("Region of a portal given by id; an ARN names its own region"),
  lookback_days: z.number().int().min(1).max(90).default(7).describe("Days of session history (1–90, default 7)"),
  period_hours: z.number().int().min(1).max(168).default(24).describe(
    "Hours per history datapoint (1–168, default 24; raised when CloudWatch retention requires)",
  ),
});

const MetricSeries = z.object({
  metric: z.enum(SESSION_METRICS),
  stat: z.enum(SESSION_STATS),
  datapoint_count: z.number().int(),
  datapoints: z.array(z.object({ timestamp: z.string(), value: z.number() })).describe(
    `The newest ${DATAPOINT_CAP} datapoints, oldest first`,
  ),
  peak: z.number().nullable(),
  total: z.number().nullable().describe("Sum of the datapoints, for the Sum statistic only"),
});

/** One metric as the Python server's `historic_metrics` map has it (from the Average and Maximum series). */
const ReferenceSeries = z.object({
  unit: z.string(),
  latest: z.number().nullable().describe("The newest Average"),
  average: z.number().nullable().describe("Mean of the Averages"),
  peak: z.number().nullable().describe("Largest Maximum"),
  series: z.array(z.object({ timestamp: z.string(), average: z.number().nullable(), peak: z.number().nullable() })),
});

const UsageOutput = z.object({
  portal: z.string().describe("The portal as given (id or ARN)"),
  portal_id: z.string().describe("The portal id (the UUID at the end of its ARN)"),
  portal_arn: z.string().nullable(),
  region: z.string(),
  active_session_count: z.number().int().nullable().describe("Live, from ListSessions; null when it failed"),
  active_sessions: z.array(z.object({
    session_id: z.string().nullable(),
    username: z.string().nullable(),
    status: z.string().nullable(),
    start_time: z.string().nullable(),
  })).describe(`Up to ${SESSION_LIST_CAP} live sessions, newest first`),
  truncated: z.boolean(),
  lookback_days: z.number().int(),
  period_hours: z.number().describe("Hours per datapoint actually used"),
  historic_metrics: z.record(z.string(), ReferenceSeries).describe(
    "The Python server's map: metric name → latest/average/peak and the series; empty when idle or not read",
  ),
  historic_series: z.array(MetricSeries).describe(
    "AWS/WorkSpacesWeb by PortalId, one entry per metric and statistic; empty series mean no activity (idle portals publish nothing)",
  ),
  metrics_published: z.array(z.string()).nullable().describe(
    "AWS/WorkSpacesWeb metric names CloudWatch lists for this portal (ListMetrics); null when they could not be listed",
  ),
  activity_peak: z.number().nullable().describe("Peak of ActiveSession over the window, when the portal publishes it"),
  idle: z.boolean().nullable().describe(
    "True only when ListSessions shows no live session and the published activity (if any) peaked at 0; null when unknown",
  ),
  totals: z.object({
    attempts: z.number().nullable(),
    successes: z.number().nullable(),
    failures: z.number().nullable(),
    success_rate_pct: z.number().nullable(),
  }).describe("Sums over the lookback window; null when the history could not be read"),
  summary: z.string(),
  errors: Errors,
  notes: Notes,
});

function seriesOut(
  metric: (typeof SESSION_METRICS)[number],
  stat: (typeof SESSION_STATS)[number],
  s: Series | null,
): z.infer<typeof MetricSeries> {
  const values = Array.from(s?.values ?? []);
  const timestamps = s?.timestamps ?? [];
  const from = Math.max(0, values.length - DATAPOINT_CAP);
  return {
    metric,
    stat,
    datapoint_count: values.length,
    datapoints: values.slice(from).map((v, i) => ({
      timestamp: new Date(timestamps[from + i]).toISOString(),
      value: round(v, 3),
    })),
    peak: values.length ? Math.max(...values) : null,
    total: stat === "Sum" && values.length ? round(values.reduce((a, b) => a + b, 0), 3) : null,
  };
}

/** Live sessions and session history of one Secure Browser portal. */
export const getSecureBrowserPortalUsage: ToolDef<typeof UsageInput, typeof UsageOutput> = {
  name: "get_secure_browser_portal_usage",
  title: "Secure Browser portal usage",
  toolset: "secure-browser",
  tier: 0,
  actions: ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics", "workspaces-web:ListSessions"],
  annotations: READ_ONLY,
  description: "Who is using an Amazon WorkSpaces Secure Browser portal right now (live sessions from " +
    "ListSessions, not CloudWatch) and how sign-ins went over the last days (session attempts, successes and " +
    "failures from CloudWatch AWS/WorkSpacesWeb). A portal without activity publishes no metrics: that is " +
    "reported as idle, not as a failure. Accepts the portal id or ARN.",
  input: UsageInput,
  output: UsageOutput,
  async run(ctx, args) {
    const notes: string[] = [];
    const ref = parsePortalRef(args.portal);
    const region = await portalRegion(ctx, ref, args.region, notes);
    const col = new Collection();
    const o = { region, signal: ctx.signal };
    // Live sessions must come from the real-time API: CloudWatch is history only.
    let sessions: NonNullable<OpOutput<"workspaces-web", "ListSessions">["sessions"]> | undefined;
    try {
      sessions = (await collect(
        ctx.aws,
        "workspaces-web",
        "ListSessions",
        { portalId: ref.id, status: "Active", sortBy: "StartTimeDescending", maxResults: 100 },
        "sessions",
        o,
      )).items;
    } catch (e) {
      if (e instanceof AwsCallError && e.info.code === "NotFound") throw notFound(ref.id, region);
      if (!(e instanceof AwsCallError)) throw e;
      col.errors.push(e.info);
    }
    await ctx.progress(1, 2, "live sessions read");

    // Discover what the portal publishes instead of assuming the names: ListMetrics once per call.
    const catalog = new MetricCatalog(ctx.aws, ctx.signal);
    const published = (await portalMetrics(catalog, region, [ref.id])).get(ref.id)!;
    col.errors.push(...catalog.errors);
    const listed = new Set(published.known ? published.metrics : [...SESSION_METRICS]);
    const sessionMetrics = SESSION_METRICS.filter((m) => listed.has(m));
    const activityMetrics = ACTIVITY_METRICS.filter((m) => published.known && listed.has(m));

    const window = metricWindow(args.lookback_days * DAY, args.period_hours * 3600);
    const queries: MetricQuery[] = sessionMetrics.flatMap((metric) =>
      SESSION_STATS.map((stat) => ({
        namespace: SECURE_BROWSER.namespace,
        metric,
        dimensions: { [SECURE_BROWSER.dimension]: ref.id },
        stat,
      }))
    );
    const activityQueries: MetricQuery[] = activityMetrics.map((metric) => ({
      namespace: SECURE_BROWSER.namespace,
      metric,
      dimensions: { [SECURE_BROWSER.dimension]: ref.id },
      stat: "Maximum",
    }));
    const all = [...queries, ...activityQueries];
    const history = all.length
      ? await getMetricSeries(ctx.aws, region, all, window, { signal: ctx.signal })
      : { series: [], errors: [] };
    col.errors.push(...history.errors);
    await ctx.progress(2, 2, "history read");

    const activitySeries = history.series.slice(queries.length);
    const activity_peak = activitySeries.some((x) => x && x.values.length)
      ? Math.max(...activitySeries.flatMap((x) => Array.from(x?.values ?? [])))
      : activityMetrics.length && activitySeries.every((x) => x !== null)
      ? 0
      : null;
    const historic_metrics = queries.map((q, i) =>
      seriesOut(
        q.metric as (typeof SESSION_METRICS)[number],
        q.stat as (typeof SESSION_STATS)[number],
        history.series[i],
      )
    );
    const sessionSeries = history.series.slice(0, queries.length);
    const failed = queries.length > 0 && sessionSeries.every((x) => x === null);
    // A metric that is not published for this portal is null ("not published"), never 0.
    const sumOf = (metric: (typeof SESSION_METRICS)[number]) => {
      if (failed || !sessionMetrics.includes(metric)) return null;
      const x = historic_metrics.find((m) => m.metric === metric && m.stat === "Sum");
      return x?.total ?? 0;
    };
    const attempts = sumOf("SessionAttempt");
    const successes = sumOf("SessionSuccess");
    const failures = sumOf("SessionFailure");
    const success_rate_pct = attempts && successes !== null ? Math.round((successes / attempts) * 1000) / 10 : null;
    const quiet = !failed && historic_metrics.every((m) => m.datapoint_count === 0);
    const live = sessions?.length ?? null;
    // Idle only if the live sessions say so too; silence alone is not a fact.
    const idle = live === null ? null : live > 0 ? false : activity_peak !== null ? activity_peak === 0 : quiet;
    const notPublished = published.known && sessionMetrics.length === 0;
    const livePart = live === null ? "live sessions could not be read" : `${plural(live, "active session")} now`;
    let historyPart: string;
    if (failed) {
      historyPart = `session history unavailable (${history.errors[0]?.code ?? "error"}: see errors)`;
    } else if (notPublished) {
      historyPart =
        `session metrics are not published for this portal (CloudWatch lists ${
          published.metrics.length ? published.metrics.join(", ") : "no AWS/WorkSpacesWeb metric"
        } for it)` + (idle === true ? "; idle" : idle === false ? "" : "; idle or not is unknown");
    } else if (quiet && idle) {
      historyPart =
        `no session activity in the last ${args.lookback_days} days (idle portals publish no CloudWatch metrics)`;
    } else {
      historyPart =
        `last ${args.lookback_days} days: ${attempts} session attempts, ${successes} successful, ${failures} failed` +
        (success_rate_pct !== null ? ` (${success_rate_pct}% success)` : "");
    }
    const summary = `Portal ${ref.id} in ${region}: ${livePart}; ${historyPart}.`;
    if (window.period !== args.period_hours * 3600) {
      notes.push(`Datapoints are ${window.period / 3600} hours apart: CloudWatch retention sets the shortest period.`);
    }
    if (!published.known) {
      notes.push(
        "CloudWatch could not list this portal's metrics (see errors), so the session metric names " +
          "(SessionAttempt/SessionSuccess/SessionFailure by PortalId, as the reference reads them) are unconfirmed.",
      );
    } else if (notPublished) {
      notes.push(
        "Not published for this resource: CloudWatch lists no SessionAttempt/SessionSuccess/SessionFailure for this " +
          "portal in the last two weeks, so the session totals are null (not zero).",
      );
    }
    const list = (sessions ?? []).slice(0, SESSION_LIST_CAP).map((s) => ({
      session_id: s.sessionId ?? null,
      username: s.username ?? null,
      status: s.status ?? null,
      start_time: s.startTime?.toISOString() ?? null,
    }));
    if (col.errors.length && !sessions && failed) col.failIfNothing("portal usage");
    return {
      summary,
      data: {
        portal: args.portal,
        portal_id: ref.id,
        portal_arn: ref.arn ?? null,
        region,
        active_session_count: live,
        active_sessions: list,
        truncated: (sessions?.length ?? 0) > list.length,
        lookback_days: args.lookback_days,
        period_hours: window.period / 3600,
        historic_metrics: referenceMap(historic_metrics),
        historic_series: historic_metrics,
        metrics_published: published.known ? [...published.metrics] : null,
        activity_peak,
        idle,
        totals: { attempts, successes, failures, success_rate_pct },
        summary,
        errors: col.errors,
        notes,
      },
    };
  },
};

/** Our per-statistic series folded into the Python server's per-metric map (metrics with no datapoints left out). */
function referenceMap(list: z.infer<typeof MetricSeries>[]): Record<string, z.infer<typeof ReferenceSeries>> {
  const out: Record<string, z.infer<typeof ReferenceSeries>> = {};
  for (const metric of SESSION_METRICS) {
    const avg = list.find((m) => m.metric === metric && m.stat === "Average");
    const max = list.find((m) => m.metric === metric && m.stat === "Maximum");
    if (!avg?.datapoints.length && !max?.datapoints.length) continue;
    const times = [...new Set([...(avg?.datapoints ?? []), ...(max?.datapoints ?? [])].map((d) => d.timestamp))].sort();
    const at = (s: typeof avg, t: string) => s?.datapoints.find((d) => d.timestamp === t)?.value ?? null;
    const avgs = (avg?.datapoints ?? []).map((d) => d.value);
    out[metric] = {
      unit: "Count",
      latest: avgs.length ? avgs[avgs.length - 1] : null,
      average: avgs.length ? Math.round((avgs.reduce((a, b) => a + b, 0) / avgs.length) * 1000) / 1000 : null,
      peak: max?.peak ?? null,
      series: times.map((t) => ({ timestamp: t, average: at(avg, t), peak: at(max, t) })),
    };
  }
  return out;
}
