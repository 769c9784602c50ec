/**
 * GetMetricData points read straight into typed arrays (src/aws/metric_wire.ts) must equal what the
 * SDK's own parse gives, and any body not of the documented shape must go to the SDK whole.
 */
import assert from "node:assert/strict";
import { Aws } from "../../src/aws/clients.ts";
import { METRIC_POINTS, takeMetricPage, type WithMetricPoints } from "../../src/aws/metric_wire.ts";
import { getMetricSeries, type MetricQuery, metricWindow } from "../../src/aws/metrics.ts";
import { scenario, Simulator } from "../../src/sim/mod.ts";

const DAY = 86_400_000;
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

type Handler = Simulator["handler"];
type Answer = Awaited<ReturnType<Handler["handle"]>>;

/**
 * The simulator's answers with every GetMetricData timestamp sent as a numeric string: valid for the
 * SDK (it parses epoch-seconds strings), not the shape the fast path takes, so the SDK parses all of it.
 */
function stringTimestamps(inner: Handler): Handler {
  return {
    ...inner,
    async handle(req: Parameters<Handler["handle"]>[0], o?: Parameters<Handler["handle"]>[1]): Promise<Answer> {
      const answer = await inner.handle(req, o);
      const target = (req as { headers: Record<string, string> }).headers["x-amz-target"] ?? "";
      const response = answer.response as { statusCode: number; body: Uint8Array; headers: Record<string, string> };
      if (!target.endsWith(".GetMetricData") || response.statusCode !== 200) return answer;
      const doc = JSON.parse(new TextDecoder().decode(response.body));
      for (const r of doc.MetricDataResults) r.Timestamps = r.Timestamps.map((t: number) => String(t));
      const body = enc(doc);
      return {
        ...answer,
        response: { ...response, body, headers: { ...response.headers, "content-length": `${body.length}` } },
      };
    },
  } as Handler;
}

function client(handler: unknown): Aws {
  return new Aws({
    requestHandler: handler,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "x" },
    region: "us-east-1",
    userAgent: "test",
    retryDelayScale: 0.001,
  });
}

const estate = () =>
  scenario()
    .workspaces(40, { runningMode: "AUTO_STOP", usage: { hoursPerDay: 5, days: "weekdays", breakMinutes: 30 } })
    .workspaces(40, { runningMode: "ALWAYS_ON", usage: { hoursPerDay: 3, days: "daily" } })
    .workspaces(5, { runningMode: "AUTO_STOP", usage: { hoursPerDay: 0 } })
    .build();

Deno.test("GetMetricData points read into typed arrays equal the SDK's parse of the same answers, series by series", async () => {
  const e = estate();
  const queries: MetricQuery[] = [...e.region("us-east-1").workspaces.values()].map((w) => ({
    namespace: "AWS/WorkSpaces",
    metric: "UserConnected",
    dimensions: { WorkspaceId: w.WorkspaceId! },
    stat: "Maximum",
    positiveOnly: w.WorkspaceProperties?.RunningMode !== "AUTO_STOP",
  }));
  const window = metricWindow(14 * DAY, 300);
  const fast = await getMetricSeries(client(new Simulator(e).handler), "us-east-1", queries, window);
  const sdk = await getMetricSeries(
    client(stringTimestamps(new Simulator(e).handler)),
    "us-east-1",
    queries,
    window,
  );
  assert.deepEqual(fast.errors, []);
  assert.deepEqual(sdk.errors, []);
  assert.equal(fast.requests, sdk.requests);
  let points = 0;
  fast.series.forEach((s, i) => {
    const other = sdk.series[i];
    assert.ok(s && other, `series ${i} read both ways`);
    assert.deepEqual(Array.from(s.timestamps), Array.from(other.timestamps), `timestamps of series ${i}`);
    assert.deepEqual(Array.from(s.values), Array.from(other.values), `values of series ${i}`);
    points += s.values.length;
  });
  assert.ok(points > 10_000, `a read with real volume (${points} points)`);
});

Deno.test("the fast path is taken for the documented shape and not for another: the output says which", async () => {
  const e = scenario().workspace("ws-wire000001", { usage: { hoursPerDay: 2, days: "daily" } }).build();
  const input = {
    MetricDataQueries: [{
      Id: "q0",
      MetricStat: {
        Metric: {
          Namespace: "AWS/WorkSpaces",
          MetricName: "UserConnected",
          Dimensions: [{ Name: "WorkspaceId", Value: "ws-wire000001" }],
        },
        Period: 3600,
        Stat: "Maximum",
      },
    }],
    StartTime: new Date(Date.now() - 3 * DAY),
    EndTime: new Date(),
  };
  const opts = { region: "us-east-1" };
  const taken = await client(new Simulator(e).handler).call("cloudwatch", "GetMetricData", input, opts);
  const points = (taken as WithMetricPoints)[METRIC_POINTS];
  assert.ok(points?.get("q0")?.t.length, "points carried beside the output");
  assert.deepEqual(taken.MetricDataResults?.[0].Timestamps, [], "and not parsed a second time by the SDK");
  const whole = await client(stringTimestamps(new Simulator(e).handler)).call(
    "cloudwatch",
    "GetMetricData",
    input,
    opts,
  );
  assert.equal((whole as WithMetricPoints)[METRIC_POINTS], undefined);
  assert.equal(whole.MetricDataResults?.[0].Timestamps?.length, points!.get("q0")!.t.length);
  assert.equal(whole.MetricDataResults?.[0].Timestamps?.[0].getTime(), points!.get("q0")!.t[0]);
});

Deno.test("takeMetricPage leaves every body outside the documented shape to the SDK", () => {
  const ok = { MetricDataResults: [{ Id: "a", Timestamps: [1.5, 2], Values: [1, 0] }], NextToken: "n" };
  const got = takeMetricPage(enc(ok));
  assert.ok(got);
  assert.deepEqual(Array.from(got.points.get("a")!.t), [1500, 2000], "epoch seconds to milliseconds");
  assert.deepEqual(JSON.parse(new TextDecoder().decode(got.rest)), {
    MetricDataResults: [{ Id: "a", Timestamps: [], Values: [] }],
    NextToken: "n",
  });
  for (
    const [why, body] of [
      ["NaN sent as a string", { MetricDataResults: [{ Id: "a", Timestamps: [1], Values: ["NaN"] }] }],
      ["ISO timestamps", { MetricDataResults: [{ Id: "a", Timestamps: ["2026-12-01T00:00:00Z"], Values: [1] }] }],
      ["lengths differ", { MetricDataResults: [{ Id: "a", Timestamps: [1, 2], Values: [1] }] }],
      ["duplicate ids", { MetricDataResults: [{ Id: "a" }, { Id: "a" }] }],
      ["no id", { MetricDataResults: [{ Timestamps: [], Values: [] }] }],
      ["a null result", { MetricDataResults: [null] }],
      ["no results list", { Messages: [] }],
      ["not an object", [1, 2]],
    ] as const
  ) {
    assert.equal(takeMetricPage(enc(body)), undefined, why);
  }
  assert.equal(takeMetricPage(new TextEncoder().encode('{"MetricDataResults":[{"Id":"a","Timest')), undefined);
});

Deno.test("a truncated GetMetricData answer is still a retried malformed answer, never fewer points", async () => {
  const e = scenario().workspace("ws-wire000002", { usage: { hoursPerDay: 2, days: "daily" } }).build();
  const sim = new Simulator(e);
  const q: MetricQuery = {
    namespace: "AWS/WorkSpaces",
    metric: "UserConnected",
    dimensions: { WorkspaceId: "ws-wire000002" },
    stat: "Maximum",
  };
  const window = metricWindow(3 * DAY, 3600);
  const clean = await getMetricSeries(client(sim.handler), "us-east-1", [q], window);
  sim.inject({ kind: "truncated", service: "monitoring", times: 1 });
  const retried = await getMetricSeries(client(sim.handler), "us-east-1", [q], window);
  assert.deepEqual(retried.errors, []);
  assert.deepEqual(Array.from(retried.series[0]!.values), Array.from(clean.series[0]!.values));
  sim.inject({ kind: "truncated", service: "monitoring", times: 20 });
  const lost = await getMetricSeries(client(sim.handler), "us-east-1", [q], window);
  assert.equal(lost.series[0], null);
  assert.match(lost.errors[0]?.message ?? "", /unreadable JSON/);
});

Deno.test("an XML answer to a JSON read is a malformed answer reported at once, not retried like a truncated one", async () => {
  const sim = new Simulator(scenario().workspace("ws-wire000003").build());
  const inner = sim.handler;
  const xml = {
    ...inner,
    async handle(req: Parameters<Handler["handle"]>[0], o?: Parameters<Handler["handle"]>[1]): Promise<Answer> {
      const answer = await inner.handle(req, o);
      const body = new TextEncoder().encode("<DescribeWorkspacesResponse><Workspaces/></DescribeWorkspacesResponse>");
      return { ...answer, response: { ...(answer.response as object), body } };
    },
  } as Handler;
  const e = await client(xml).call("workspaces", "DescribeWorkspaces", {}, { region: "us-east-1" }).then(
    () => undefined,
    (err) => err as { info?: { code: string; message: string } },
  );
  assert.equal(e?.info?.code, "AwsError");
  assert.match(e?.info?.message ?? "", /^malformed response from workspaces DescribeWorkspaces/);
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 1, "one attempt");
});
