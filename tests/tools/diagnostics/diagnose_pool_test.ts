import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";

type Finding = { severity: string; title: string; detail: string; recommendation: string; resource_id: string | null };
type Err = { service: string; operation: string; region: string; code: string; message: string; hint: string };
type Body = {
  status: string;
  target_type: string;
  target_kind: string;
  findings: Finding[];
  signals: {
    state: string | null;
    running_mode: string | null;
    directory_id: string | null;
    active_sessions_now: number | null;
    connected_sessions_now: number | null;
    capacity: { desired: number | null; actual: number | null; active: number | null; available: number | null };
    peak_utilization_percent: number | null;
    directory: { stage: string | null; registration_state: string | null } | null;
  };
  errors: Err[];
  notes: string[];
};

const titled = (b: Body, re: RegExp) => b.findings.find((f) => re.test(f.title));

async function withPools(
  estate: Parameters<typeof connect>[0],
  fn: (d: (id: string) => Promise<Body>, sim: Simulator) => Promise<void>,
) {
  const h = await connect(estate);
  try {
    await fn(async (pool_id) => (await h.call("diagnose_pool", { pool_id })).body as unknown as Body, h.sim);
  } finally {
    await h.close();
  }
}

Deno.test("a pool at full capacity is unhealthy and says to raise capacity", async () => {
  const estate = scenario().pool("wspool-full00001", { desired: 10, actual: 10, active: 10, available: 0 }).build();
  await withPools(estate, async (diagnose) => {
    const d = await diagnose("wspool-full00001");
    assert.equal(d.status, "unhealthy");
    assert.equal(d.findings[0].title, "Pool is at capacity");
    assert.match(d.findings[0].recommendation, /[Rr]aise capacity/);
    assert.match(d.findings[0].recommendation, /update_workspaces_pool_capacity/);
    assert.deepEqual(d.signals.capacity, { desired: 10, actual: 10, active: 10, available: 0 }, "from CapacityStatus");
    assert.equal(d.signals.active_sessions_now, 10);
    assert.equal(d.signals.peak_utilization_percent, 100);
    assert.equal(d.target_type, "Amazon WorkSpaces Pools");
    assert.equal(d.target_kind, "pool");
  });
});

Deno.test("a pool with room is healthy; one briefly near full gets a peak-utilization warning", async () => {
  const estate = scenario()
    .pool("wspool-room00001", { desired: 20, actual: 20, active: 6 })
    .pool("wspool-spiky0001", { desired: 20, actual: 20, active: 6 })
    .metric(
      "AWS/WorkSpaces",
      "UserSessionsCapacityUtilization",
      { "WorkSpaces pool ID": "wspool-spiky0001" },
      (t) => t % 3_600_000 === 0 ? 95 : 30,
    )
    .build();
  await withPools(estate, async (diagnose) => {
    const room = await diagnose("wspool-room00001");
    assert.equal(room.status, "healthy");
    assert.equal(titled(room, /capacity|peak/i), undefined);
    assert.equal(room.signals.peak_utilization_percent, 30);
    const spiky = await diagnose("wspool-spiky0001");
    assert.equal(titled(spiky, /peaked at 95%/)?.severity, "warning");
    assert.equal(spiky.status, "degraded");
  });
});

Deno.test("pool state, pool errors and under-provisioning", async () => {
  const estate = scenario()
    .pool("wspool-stopped01", { state: "STOPPED", desired: 5 })
    .pool("wspool-update001", { state: "UPDATING", desired: 5 })
    .pool("wspool-errors001", {
      desired: 10,
      actual: 4,
      active: 1,
      errors: [{ code: "IAM_SERVICE_ROLE_IS_MISSING", message: "workspaces_DefaultRole is missing" }],
    })
    .build();
  await withPools(estate, async (diagnose) => {
    const stopped = await diagnose("wspool-stopped01");
    assert.equal(stopped.status, "degraded");
    assert.match(titled(stopped, /STOPPED/)!.recommendation, /start_workspaces_pool/);
    assert.equal(titled(stopped, /provisioned/), undefined, "a stopped pool is not 'under-provisioned'");
    assert.equal(stopped.signals.active_sessions_now, 0);
    const updating = await diagnose("wspool-update001");
    assert.equal(titled(updating, /UPDATING/)?.severity, "info");
    const errors = await diagnose("wspool-errors001");
    assert.equal(titled(errors, /IAM_SERVICE_ROLE_IS_MISSING/)?.severity, "critical");
    assert.equal(titled(errors, /Only 4 of 10/)?.severity, "warning");
    assert.equal(errors.status, "unhealthy");
  });
});

Deno.test("live sessions are paged 50 at a time and counted by connection state", async () => {
  const estate = scenario()
    .pool("wspool-big000001", { desired: 150, actual: 150, active: 120 })
    .pool("wspool-mixed0001", {
      desired: 5,
      actual: 5,
      active: 3,
      sessions: [{ user: "a" }, { user: "b", connected: false }, { user: "c" }],
    })
    .build();
  await withPools(estate, async (diagnose, sim) => {
    const big = await diagnose("wspool-big000001");
    assert.equal(big.signals.active_sessions_now, 120);
    assert.equal(sim.count("workspaces", "DescribeWorkspacesPoolSessions"), 3);
    const mixed = await diagnose("wspool-mixed0001");
    assert.equal(mixed.signals.active_sessions_now, 3);
    assert.equal(mixed.signals.connected_sessions_now, 2);
  });
});

Deno.test("one GetMetricData request with the literal 'WorkSpaces pool ID' dimension; wsd- never sent to ds", async () => {
  const estate = scenario()
    .directory("wsd-pools0001", { workspaceType: "POOLS" })
    .directory("d-0123456789", {})
    .pool("wspool-managed01", { directory: "wsd-pools0001" })
    .pool("wspool-adjoin001", { directory: "d-0123456789" })
    .build();
  await withPools(estate, async (diagnose, sim) => {
    const managed = await diagnose("wspool-managed01");
    assert.equal(sim.count("monitoring", "GetMetricData"), 1);
    const q = (sim.calls.find((c) => c.operation === "GetMetricData")!.params as {
      MetricDataQueries: { MetricStat: { Metric: { MetricName: string; Dimensions: unknown }; Stat: string } }[];
    }).MetricDataQueries;
    assert.equal(q.length, 1);
    assert.equal(q[0].MetricStat.Metric.MetricName, "UserSessionsCapacityUtilization");
    assert.equal(q[0].MetricStat.Stat, "Maximum");
    assert.deepEqual(q[0].MetricStat.Metric.Dimensions, [{ Name: "WorkSpaces pool ID", Value: "wspool-managed01" }]);
    assert.equal(sim.count("ds"), 0, "a WorkSpaces-managed directory is never sent to Directory Service");
    assert.equal(managed.signals.directory?.stage, "N/A (WorkSpaces-managed)");
    const adjoined = await diagnose("wspool-adjoin001");
    assert.equal(sim.count("ds", "DescribeDirectories"), 1);
    assert.equal(adjoined.signals.directory?.stage, "Active");
  });
});

Deno.test("an unknown pool is not_found after one call", async () => {
  await withPools(scenario().pool("wspool-real00001").build(), async (diagnose, sim) => {
    const d = await diagnose("wspool-nothere01");
    assert.equal(d.status, "not_found");
    assert.equal(sim.calls.length, 1);
  });
});

Deno.test("live sessions denied: the rest is answered, the hint names the action and tier 0", async () => {
  const sim = new Simulator(
    scenario().pool("wspool-full00001", { desired: 10, actual: 10, active: 10, available: 0 }).build(),
  );
  sim.inject({ kind: "access-denied", service: "workspaces", operation: "DescribeWorkspacesPoolSessions" });
  await withPools(sim, async (diagnose) => {
    const d = await diagnose("wspool-full00001");
    assert.equal(d.status, "unhealthy", "the capacity finding still stands");
    assert.equal(d.signals.active_sessions_now, null, "unknown, not zero");
    assert.equal(d.errors.length, 1);
    assert.match(d.errors[0].hint, /workspaces:DescribeWorkspacesPoolSessions/);
    assert.match(d.errors[0].hint, /tier0-diagnostics/);
  });
});

Deno.test("CloudWatch throttled once: retried, the peak is still read", async () => {
  const sim = new Simulator(scenario().pool("wspool-full00001", { desired: 4, actual: 4, active: 2 }).build());
  sim.inject({ kind: "throttle", service: "monitoring", operation: "GetMetricData", times: 1 });
  await withPools(sim, async (diagnose) => {
    const d = await diagnose("wspool-full00001");
    assert.deepEqual(d.errors, []);
    assert.equal(d.signals.peak_utilization_percent, 50);
  });
});

Deno.test("invalid pool ids are refused before any AWS call", async () => {
  const h = await connect(scenario().pool("wspool-real00001").build());
  try {
    for (const pool_id of ["wspool-abc", "wspool-ABCDEFGHI", "ws-abcdefghi", "wspool-abcdefghij", "pool"]) {
      const { result } = await h.call("diagnose_pool", { pool_id });
      assert.equal(result.isError, true, pool_id);
    }
    assert.equal(h.sim.calls.length, 0);
  } finally {
    await h.close();
  }
});
