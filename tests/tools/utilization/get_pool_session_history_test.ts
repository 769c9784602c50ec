/**
 * get_pool_session_history: live sessions, capacity history, the idle-capacity flag and not found.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";

type Metric = { latest: number | null; average: number | null; peak: number | null; unit: string };
type History = Metric & { total: number | null; series: { timestamp: string; average: number | null }[] };

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
