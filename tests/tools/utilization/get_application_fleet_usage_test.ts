/**
 * get_application_fleet_usage: live sessions through every stack, capacity history, idle capacity,
 * not found and failures.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";

type Metric = { latest: number | null; average: number | null; peak: number | null; unit: string };
type History = Metric & { total: number | null; series: { timestamp: string; average: number | null }[] };
type Session = { session_id: string | null; user: string | null; connection_state: string | null; stack_name?: string };
type Err = { service: string; operation: string; code: string; hint: string };

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
