/**
 * get_workspace_performance: one batched CloudWatch read, stopped desktops, not found and failures.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";

type Metric = { latest: number | null; average: number | null; peak: number | null; unit: string };
type Perf = {
  workspace_id: string;
  state: string | null;
  metrics: Record<string, Metric>;
  datapoints: number;
  note: string | null;
};
type Err = { service: string; operation: string; code: string; hint: string };

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
