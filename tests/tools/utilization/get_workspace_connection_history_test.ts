/**
 * get_workspace_connection_history: connected periods, failures, live state and not found.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

type Metric = { latest: number | null; average: number | null; peak: number | null; unit: string };
type History = Metric & { total: number | null; series: { timestamp: string; average: number | null }[] };
type Session = { session_id: string | null; user: string | null; connection_state: string | null; stack_name?: string };

Deno.test("connection history: connected periods, failures flagged, live state, one GetMetricData", async () => {
  const estate = scenario()
    .workspace("ws-flaky0001", {
      protocols: ["PCOIP"],
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

Deno.test("connection history of a DCV (WSP) desktop: attempts and failures are not published, not zero", async () => {
  const estate = scenario()
    .workspace("ws-dcv000002", { protocols: ["WSP"], usage: { hoursPerDay: 4, days: "daily", failuresPerDay: 2 } })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("get_workspace_connection_history", { workspace_id: "ws-dcv000002" });
    assert.deepEqual(body.errors, []);
    assert.equal(body.connection_failures, null);
    const np = body.not_published as { metric: string; reason: string }[];
    assert.deepEqual(np.map((n) => n.metric), ["ConnectionAttempt", "ConnectionSuccess", "ConnectionFailure"]);
    assert.match(np[0].reason, /not published for this resource \(DCV\/WSP desktop\)/);
    const m = body.metrics as Record<string, History>;
    assert.ok(!("ConnectionFailure" in m), "no zero series for a metric that does not exist");
    assert.ok(m.UserConnected.series.length >= 7, "UserConnected is published for every protocol");
    assert.match(body.summary as string, /not published for this resource \(DCV\/WSP desktop\)/);
    assert.doesNotMatch(body.summary as string, /failed connection attempts/);
  } finally {
    await h.close();
  }
});
