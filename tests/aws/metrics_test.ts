import assert from "node:assert/strict";
import { awsOn } from "../support/harness.ts";
import {
  getMetricSeries,
  type MetricQuery,
  metricWindow,
  minimumPeriod,
  percentile,
  summarize,
} from "../../src/aws/metrics.ts";
import { scenario } from "../../src/sim/mod.ts";

const DAY = 86_400_000;

const connected = (id: string, positiveOnly = false): MetricQuery => ({
  namespace: "AWS/WorkSpaces",
  metric: "UserConnected",
  dimensions: { WorkspaceId: id },
  stat: "Maximum",
  positiveOnly,
});

Deno.test("the period follows CloudWatch retention: 1 min ≤ 15 days, 5 min ≤ 63 days, 1 h beyond", () => {
  const now = Date.UTC(2026, 10, 25, 12, 0, 0);
  assert.equal(minimumPeriod(new Date(now - 14 * DAY), now), 60);
  assert.equal(minimumPeriod(new Date(now - 30 * DAY), now), 300);
  assert.equal(minimumPeriod(new Date(now - 90 * DAY), now), 3600);
  const w = metricWindow(30 * DAY, 60, now);
  assert.equal(w.period, 300, "a 1-minute wish over 30 days becomes 5 minutes");
  assert.equal(metricWindow(7 * DAY, 3600, now).period, 3600);
  assert.equal(metricWindow(7 * DAY, 3600, now).start.getTime() % 3_600_000, 0, "aligned to the period");
});

Deno.test("600 desktops' queries go out in 2 GetMetricData requests, not 600", async () => {
  const estate = scenario().workspaces(600, { runningMode: "ALWAYS_ON", usage: { hoursPerDay: 2, days: "daily" } })
    .build();
  const { sim, aws } = awsOn(estate);
  const ids = [...estate.region("us-east-1").workspaces.keys()];
  const r = await getMetricSeries(aws, "us-east-1", ids.map((id) => connected(id)), metricWindow(DAY, 3600));
  assert.deepEqual(r.errors, []);
  assert.equal(sim.count("monitoring", "GetMetricData"), 2);
  assert.equal(r.requests, 2);
  assert.equal(r.series.length, 600);
  assert.ok(r.series.every((s) => s && s.values.length >= 23), "an AlwaysOn desktop publishes every hour");
});

Deno.test("positiveOnly keeps only connected samples and costs two slots per query", async () => {
  const estate = scenario()
    .workspace("ws-busy0001", { runningMode: "ALWAYS_ON", usage: { hoursPerDay: 4, days: "daily" } })
    .workspace("ws-idle0001", { runningMode: "ALWAYS_ON", usage: { hoursPerDay: 0 } })
    .build();
  const { sim, aws } = awsOn(estate);
  const r = await getMetricSeries(
    aws,
    "us-east-1",
    [connected("ws-busy0001", true), connected("ws-idle0001", true)],
    metricWindow(3 * DAY, 300),
  );
  const [busy, idle] = r.series;
  assert.ok(busy && busy.values.length > 0 && busy.values.every((v) => v === 1));
  assert.ok(busy!.values.length <= 3 * 48 + 1, "only the 4 connected hours a day: at most 48 samples a day");
  assert.deepEqual(
    idle,
    { timestamps: new Float64Array(0), values: new Float64Array(0) },
    "an idle AlwaysOn desktop returns no points at all",
  );
  assert.ok(busy!.timestamps instanceof Float64Array, "series are typed arrays, not per-point objects");
  const params = sim.calls.find((c) => c.operation === "GetMetricData")!.params as {
    MetricDataQueries: { Id: string; Expression?: string; ReturnData?: boolean }[];
  };
  assert.equal(params.MetricDataQueries.length, 4);
  assert.equal(params.MetricDataQueries[1].Expression, "IF(r0 > 0, r0)");
  assert.equal(params.MetricDataQueries[0].ReturnData, false);
});

Deno.test("NextToken pages are followed when a batch exceeds 100,800 datapoints", async () => {
  // 400 AlwaysOn desktops × 288 five-minute samples a day = 115,200 points: two pages.
  const estate = scenario().workspaces(400, { runningMode: "ALWAYS_ON" }).build();
  const { sim, aws } = awsOn(estate);
  const ids = [...estate.region("us-east-1").workspaces.keys()];
  const r = await getMetricSeries(aws, "us-east-1", ids.map((id) => connected(id)), metricWindow(DAY, 300));
  assert.equal(sim.count("monitoring", "GetMetricData"), 2);
  const points = r.series.reduce((n, s) => n + s!.values.length, 0);
  assert.ok(points > 100_800, `${points} points`);
  const split = r.series.find((s) =>
    s!.values.length > 0 && s!.timestamps.some((t, k) => k > 0 && t <= s!.timestamps[k - 1])
  );
  assert.equal(split, undefined, "series stay ascending across pages");
  assert.ok(r.series.every((s) => s!.values.length >= 288), "no series lost points at the page boundary");
});

Deno.test("a failed batch nulls only its own series and reports the error", async () => {
  const estate = scenario().workspaces(600, { runningMode: "ALWAYS_ON" }).build();
  const { sim, aws } = awsOn(estate);
  sim.inject({ kind: "access-denied", service: "monitoring", operation: "GetMetricData", times: 1 });
  const ids = [...estate.region("us-east-1").workspaces.keys()];
  const r = await getMetricSeries(aws, "us-east-1", ids.map((id) => connected(id)), metricWindow(DAY, 3600), {
    concurrency: 1,
  });
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].code, "AccessDenied");
  assert.match(r.errors[0].hint, /cloudwatch:GetMetricData/);
  assert.equal(r.series.filter((s) => s === null).length, 500);
  assert.equal(r.series.filter((s) => s !== null).length, 100);
});

Deno.test("summaries and percentiles: one spike is the peak, not the p95", () => {
  const values = [...Array(99).fill(20), 99];
  assert.equal(percentile(values, 95), 20);
  const series = { timestamps: Float64Array.from(values, (_, i) => i), values: Float64Array.from(values) };
  assert.equal(summarize(series).peak, 99);
  assert.equal(summarize(null).count, 0);
});

Deno.test("percentiles sort numerically, not as text", () => {
  // As text, [5, 10, 40] sorts to 10, 40, 5: the 34th percentile (rank 2) would read 40.
  assert.equal(percentile([40, 5, 10], 34), 10);
  assert.equal(percentile([100, 9, 20], 50), 20);
  assert.equal(percentile([100, 9, 20], 100), 100);
  assert.equal(percentile([100, 9, 20], 1), 9);
});
