/**
 * Multi-session and Elastic fleets publish other metrics than single-session ones: their usage is
 * read from what they publish, and a fleet is idle only by those metrics.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";

type Metric = { peak: number | null };
type Item = { id: string; reason: string; resource_type: string };

const estate = () =>
  scenario()
    .fleet("multi-idle", { desired: 2, running: 2, inUse: 0, maxSessionsPerInstance: 5 })
    .fleet("multi-busy", { desired: 2, running: 2, inUse: 3, maxSessionsPerInstance: 5 })
    .fleet("elastic-quiet", { fleetType: "ELASTIC", desired: 10, running: 0, inUse: 0 })
    .fleet("elastic-busy", { fleetType: "ELASTIC", desired: 10, running: 4, inUse: 4 })
    .build();

Deno.test("a multi-session fleet's usage comes from the user-session capacity metrics", async () => {
  const h = await connect(estate());
  try {
    const busy = (await h.call("get_application_fleet_usage", { fleet_name: "multi-busy" })).body;
    assert.deepEqual(busy.errors, []);
    assert.equal(busy.fleet_kind, "multi_session");
    const m = busy.metrics as Record<string, Metric>;
    assert.equal(m.ActiveUserSessionCapacity.peak, 3);
    assert.equal(m.ActualUserSessionCapacity.peak, 10);
    assert.ok(!("InUseCapacity" in m), "multi-session fleets publish no InUseCapacity");
    assert.equal(busy.idle_capacity, false);
    assert.match(busy.summary as string, /peak 3 active of 10 user sessions/);
    const idle = (await h.call("get_application_fleet_usage", { fleet_name: "multi-idle" })).body;
    assert.equal(idle.idle_capacity, true, "sessions were available, none active");
    assert.match(idle.summary as string, /idle user-session capacity/);
  } finally {
    await h.close();
  }
});

Deno.test("an Elastic fleet reads only InUseCapacity and InsufficientCapacityError and is never 'idle capacity'", async () => {
  const h = await connect(estate());
  try {
    const quiet = (await h.call("get_application_fleet_usage", { fleet_name: "elastic-quiet" })).body;
    assert.equal(quiet.fleet_kind, "elastic");
    assert.deepEqual(Object.keys(quiet.metrics as object).sort(), ["InUseCapacity", "InsufficientCapacityError"]);
    assert.equal(quiet.idle_capacity, false, "no provisioned capacity to be idle");
    const busy = (await h.call("get_application_fleet_usage", { fleet_name: "elastic-busy" })).body;
    assert.equal((busy.metrics as Record<string, Metric>).InUseCapacity.peak, 4);
    assert.match(busy.summary as string, /peak 4 streaming instances in use \(Elastic fleet/);
  } finally {
    await h.close();
  }
});

Deno.test("unused fleets: multi-session by ActiveUserSessionCapacity, Elastic by InUseCapacity; busy ones are not listed", async () => {
  const h = await connect(estate());
  try {
    const items = (await h.call("list_unused_resources", {})).body.items as Item[];
    const fleets = new Map(items.filter((i) => i.resource_type === "Fleet").map((i) => [i.id, i.reason]));
    assert.match(fleets.get("multi-idle") ?? "", /No active user session .*ActiveUserSessionCapacity peak 0/);
    assert.match(fleets.get("elastic-quiet") ?? "", /No instance in use .*InUseCapacity peak 0/);
    assert.ok(!fleets.has("multi-busy"));
    assert.ok(!fleets.has("elastic-busy"));
  } finally {
    await h.close();
  }
});

Deno.test("diagnose_application_fleet reads in-use from the metric the fleet's kind publishes", async () => {
  const h = await connect(estate());
  try {
    const multi = (await h.call("diagnose_application_fleet", { fleet_name: "multi-busy" })).body;
    const s = multi.signals as Record<string, unknown>;
    assert.equal(s.fleet_kind, "multi_session");
    assert.equal(s.in_use_metric, "ActiveUserSessionCapacity");
    assert.equal(s.peak_in_use, 3);
    const elastic = (await h.call("diagnose_application_fleet", { fleet_name: "elastic-busy" })).body;
    const e = elastic.signals as Record<string, unknown>;
    assert.equal(e.in_use_metric, "InUseCapacity");
    assert.equal(e.peak_in_use, 4);
  } finally {
    await h.close();
  }
});
