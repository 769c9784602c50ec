/**
 * get_workspace_performance, get_workspace_connection_history, get_pool_session_history and
 * get_application_fleet_usage: one batched CloudWatch read each, live sessions from the real-time
 * APIs, idle-capacity flags, not found and failures.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../support/harness.ts";
import { Simulator } from "../../src/sim/mod.ts";

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

type Metric = { latest: number | null; average: number | null; peak: number | null; unit: string };
type History = Metric & { total: number | null; series: { timestamp: string; average: number | null }[] };
type Perf = {
  workspace_id: string;
  state: string | null;
  metrics: Record<string, Metric>;
  datapoints: number;
  note: string | null;
};
type Session = { session_id: string | null; user: string | null; connection_state: string | null; stack_name?: string };
type Err = { service: string; operation: string; code: string; hint: string };

// ---------------------------------------------------------------- performance

Deno.test("performance: 25 ids (one duplicate) × 16 metrics × 2 stats in one batched read of 2 requests", async () => {
  const estate = scenario().workspaces(24, { runningMode: "ALWAYS_ON", usage: { days: "daily", hoursPerDay: 24 } })
    .build();
  const h = await connect(estate);
  try {
    const ids = [...estate.region("us-east-1").workspaces.keys()];
    const { body } = await h.call("get_workspace_performance", { workspace_ids: [...ids, ids[0]] });
    assert.deepEqual(body.errors, []);
    const perf = body.workspaces as Perf[];
    assert.equal(perf.length, 24, "the duplicate is analysed once");
    // 24 × 32 = 768 queries: two GetMetricData requests (500 + 268), one DescribeWorkspaces.
    assert.equal(h.sim.count("monitoring", "GetMetricData"), 2);
    assert.equal(h.sim.count("workspaces", "DescribeWorkspaces"), 1);
    const cpu = perf[0].metrics.CPUUsage;
    assert.equal(cpu.unit, "%");
    assert.ok(cpu.latest !== null && cpu.average !== null && cpu.peak !== null);
    assert.ok(cpu.peak! >= cpu.average!);
    assert.equal(perf[0].metrics.InSessionLatency.unit, "ms");
    assert.equal(perf[0].metrics.GPUUsage.peak, null, "not a graphics bundle: no data, not zero");
    assert.equal(Object.keys(perf[0].metrics).length, 16);
    assert.equal(perf[0].note, null);
  } finally {
    await h.close();
  }
});

Deno.test("performance: a stopped desktop has no datapoints and says it may be stopped; unknown ids are not_found", async () => {
  const estate = scenario()
    .workspace("ws-stopped01", { state: "STOPPED", usage: { days: "daily" } })
    .workspace("ws-running1", { runningMode: "ALWAYS_ON" })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("get_workspace_performance", {
      workspace_ids: ["ws-stopped01", "ws-running1", "ws-missing01"],
      lookback_hours: 3,
    });
    const perf = new Map((body.workspaces as Perf[]).map((p) => [p.workspace_id, p]));
    assert.equal(perf.get("ws-stopped01")!.datapoints, 0);
    assert.match(perf.get("ws-stopped01")!.note!, /may be stopped \(state now: STOPPED\)/);
    assert.ok(perf.get("ws-running1")!.datapoints > 0);
    assert.deepEqual(body.not_found, ["ws-missing01"]);
    const none = await h.call("get_workspace_performance", { workspace_ids: ["ws-missing01"] });
    assert.ok(none.result.isError);
    assert.equal((none.body.error as { code: string }).code, "NotFound");
  } finally {
    await h.close();
  }
});

Deno.test("performance: AccessDenied on CloudWatch is an error per desktop, invalid input costs nothing", async () => {
  const sim = new Simulator(scenario().workspace("ws-running1", { runningMode: "ALWAYS_ON" }).build());
  sim.inject({ kind: "access-denied", service: "monitoring", operation: "GetMetricData" });
  const h = await connect(sim);
  try {
    const { body } = await h.call("get_workspace_performance", { workspace_ids: ["ws-running1"] });
    const p = (body.workspaces as Perf[])[0];
    assert.equal(p.state, "AVAILABLE");
    assert.match(p.note!, /could not be read/);
    assert.equal((body.errors as Err[])[0].code, "AccessDenied");
    const before = sim.calls.length;
    const many = Array.from({ length: 26 }, (_, i) => `ws-${String(i).padStart(8, "0")}`);
    for (
      const args of [
        { workspace_ids: [] },
        { workspace_ids: many },
        { workspace_ids: ["i-12345678"] },
        { workspace_ids: ["ws-running1"], lookback_hours: 0 },
        { workspace_ids: ["ws-running1"], lookback_hours: 169 },
      ]
    ) {
      const bad = await h.call("get_workspace_performance", args);
      assert.ok(bad.result.isError, JSON.stringify(args).slice(0, 80));
    }
    assert.equal(sim.calls.length, before);
  } finally {
    await h.close();
  }
});

// ---------------------------------------------------------------- connection history

Deno.test("connection history: connected periods, failures flagged, live state, one GetMetricData", async () => {
  const estate = scenario()
    .workspace("ws-flaky0001", {
      usage: { hoursPerDay: 4, days: "daily", failuresPerDay: 2 },
      connectionState: "CONNECTED",
      lastConnected: ago(0.01),
    })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("get_workspace_connection_history", { workspace_id: "ws-flaky0001" });
    assert.deepEqual(body.errors, []);
    assert.equal(h.sim.count("monitoring", "GetMetricData"), 1);
    assert.equal(body.total_periods, 8, "7 days of daily buckets, aligned to UTC midnight");
    assert.ok((body.connected_periods as number) >= 7);
    assert.ok((body.connection_failures as number) >= 14, "2 failures a day, summed");
    assert.match(body.summary as string, /failed connection attempts: check connectivity/);
    assert.equal(body.active_session_count, 1);
    assert.equal((body.active_sessions as Session[])[0].connection_state, "CONNECTED");
    const m = body.metrics as Record<string, History>;
    assert.deepEqual(Object.keys(m).sort(), [
      "ConnectionAttempt",
      "ConnectionFailure",
      "ConnectionSuccess",
      "InSessionLatency",
      "SessionLaunchTime",
      "UserConnected",
    ]);
    assert.equal(m.UserConnected.total, null, "totals only for count metrics");
    assert.ok(m.ConnectionSuccess.total! >= 7);
    assert.ok(m.InSessionLatency.series.length >= 7);
  } finally {
    await h.close();
  }
});

Deno.test("connection history: a desktop nobody used says so; unknown ids are NotFound; bad input costs nothing", async () => {
  const h = await connect(scenario().workspace("ws-unused001", { lastConnected: ago(60) }).build());
  try {
    const { body } = await h.call("get_workspace_connection_history", {
      workspace_id: "ws-unused001",
      period_hours: 6,
    });
    assert.equal(body.connected_periods, 0);
    assert.match(body.summary as string, /No user connections in the last 7 days/);
    assert.equal(body.active_session_count, 0);
    const missing = await h.call("get_workspace_connection_history", { workspace_id: "ws-missing01" });
    assert.ok(missing.result.isError);
    assert.equal((missing.body.error as { code: string }).code, "NotFound");
    const before = h.sim.calls.length;
    for (
      const args of [
        { workspace_id: "WS-UPPER001" },
        { workspace_id: "ws-unused001", period_hours: 0 },
        { workspace_id: "ws-unused001", lookback_days: 91 },
      ]
    ) {
      assert.ok((await h.call("get_workspace_connection_history", args)).result.isError);
    }
    assert.equal(h.sim.calls.length, before);
  } finally {
    await h.close();
  }
});

// ---------------------------------------------------------------- pool session history

Deno.test("pool history: live sessions (paged), capacity history and no idle flag for a used pool", async () => {
  const estate = scenario().pool("wspool-busy00001", { desired: 30, active: 25 }).build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("get_pool_session_history", { pool_id: "wspool-busy00001" });
    assert.deepEqual(body.errors, []);
    assert.equal(body.active_session_count, 25);
    assert.equal(h.sim.count("workspaces", "DescribeWorkspacesPoolSessions"), 2, "20 sessions a page");
    assert.equal(h.sim.count("monitoring", "GetMetricData"), 1);
    assert.match(body.summary as string, /^25 live sessions right now/);
    assert.equal(body.idle_capacity, false);
    const m = body.metrics as Record<string, History>;
    assert.equal(m.ActiveUserSessionCapacity.peak, 25);
    assert.equal(m.ActualUserSessionCapacity.peak, 30);
    assert.deepEqual(body.capacity, { desired: 30, actual: 30, active: 25, available: 5 });
  } finally {
    await h.close();
  }
});

Deno.test("pool history: provisioned sessions nobody used are flagged idle; an unknown pool is NotFound", async () => {
  const h = await connect(scenario().pool("wspool-idle00001", { desired: 8, active: 0 }).build());
  try {
    const { body } = await h.call("get_pool_session_history", { pool_id: "wspool-idle00001", period_hours: 12 });
    assert.equal(body.idle_capacity, true);
    assert.match(body.summary as string, /^0 live sessions right now/);
    assert.match(body.summary as string, /idle pool capacity/);
    const missing = await h.call("get_pool_session_history", { pool_id: "wspool-nothere01" });
    assert.ok(missing.result.isError);
    assert.equal((missing.body.error as { code: string }).code, "NotFound");
    const before = h.sim.calls.length;
    assert.ok((await h.call("get_pool_session_history", { pool_id: "pool-1" })).result.isError);
    assert.equal(h.sim.calls.length, before);
  } finally {
    await h.close();
  }
});

// ---------------------------------------------------------------- fleet usage

Deno.test("fleet usage: live sessions through every associated stack, paged; capacity history; not idle", async () => {
  const s = scenario()
    .fleet("finance", { desired: 30, inUse: 26 })
    .stack("finance-stack", { fleets: ["finance"] })
    .stack("finance-stack-2", { fleets: ["finance"] });
  for (let i = 0; i < 25; i++) s.fleetSession("finance", `user${i}`, { stack: "finance-stack" });
  s.fleetSession("finance", "other", { stack: "finance-stack-2", connectionState: "NOT_CONNECTED" });
  const h = await connect(s.build());
  try {
    const { body } = await h.call("get_application_fleet_usage", { fleet_name: "finance" });
    assert.deepEqual(body.errors, []);
    assert.deepEqual(body.stacks, ["finance-stack", "finance-stack-2"]);
    assert.equal(body.active_session_count, 26);
    assert.equal(h.sim.count("appstream", "ListAssociatedStacks"), 1);
    assert.equal(h.sim.count("appstream", "DescribeSessions"), 3, "2 pages for 25 sessions + 1 for the other stack");
    assert.equal(h.sim.count("monitoring", "GetMetricData"), 1);
    const sessions = body.active_sessions as Session[];
    assert.equal(sessions.find((x) => x.user === "other")!.stack_name, "finance-stack-2");
    assert.equal(body.idle_capacity, false);
    assert.equal((body.metrics as Record<string, History>).InUseCapacity.peak, 26);
    assert.match(body.summary as string, /^26 live sessions right now across 2 stacks/);
  } finally {
    await h.close();
  }
});

Deno.test("fleet usage: running instances nobody uses are idle; DescribeSessions denied → sessions unknown, history intact", async () => {
  const estate = scenario().fleet("lab", { desired: 3, inUse: 0 }).stack("lab-stack", { fleets: ["lab"] }).build();
  const sim = new Simulator(estate);
  sim.inject({ kind: "access-denied", service: "appstream", operation: "DescribeSessions" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("get_application_fleet_usage", { fleet_name: "lab", lookback_days: 3 });
    assert.ok(!result.isError);
    assert.equal(body.idle_capacity, true);
    assert.match(body.summary as string, /idle running capacity/);
    assert.equal(body.active_session_count, null);
    const errors = body.errors as Err[];
    assert.equal(errors[0].operation, "DescribeSessions");
    assert.match(errors[0].hint, /appstream:DescribeSessions/);
    assert.equal((body.metrics as Record<string, History>).RunningCapacity.peak, 3);
  } finally {
    await h.close();
  }
});

Deno.test("fleet usage: an unknown fleet is NotFound; a bad name costs nothing; throttling is retried", async () => {
  const sim = new Simulator(scenario().fleet("lab").build());
  sim.inject({ kind: "throttle", service: "monitoring", operation: "GetMetricData", times: 1 });
  const h = await connect(sim);
  try {
    const ok = await h.call("get_application_fleet_usage", { fleet_name: "lab" });
    assert.deepEqual(ok.body.errors, []);
    const missing = await h.call("get_application_fleet_usage", { fleet_name: "nope" });
    assert.ok(missing.result.isError);
    assert.equal((missing.body.error as { code: string }).code, "NotFound");
    const before = sim.calls.length;
    assert.ok((await h.call("get_application_fleet_usage", { fleet_name: "bad name!" })).result.isError);
    assert.equal(sim.calls.length, before);
  } finally {
    await h.close();
  }
});
