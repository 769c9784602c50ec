/**
 * list_unused_resources: unused desktops, stopped, empty and idle pools and fleets; no_data kept apart.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

type Err = { service: string; operation: string; region: string; code: string; message: string; hint: string };

type Item = { service: string; resource_type: string; id: string; region: string; reason: string };

Deno.test("unused resources: desktops with no connection, stopped/empty/idle fleets and pools; no_data kept apart", async () => {
  const estate = scenario()
    .workspace("ws-never0001", { runningMode: "ALWAYS_ON" })
    .workspace("ws-busy00001", { usage: { days: "daily" }, lastConnected: ago(1) })
    .workspace("ws-nodata001", { lastConnected: ago(2) })
    .fleet("stopped-fleet", { state: "STOPPED" })
    .fleet("empty-fleet", { desired: 0 })
    .fleet("idle-fleet", { desired: 2 })
    .fleet("busy-fleet", { desired: 2, inUse: 2 })
    .fleet("quiet-fleet", { desired: 2 })
    .pool("wspool-stopped01", { state: "STOPPED" })
    .pool("wspool-idle00001", { desired: 5 })
    .pool("wspool-busy00001", { desired: 5, active: 3 })
    .metric("AWS/AppStream", "InUseCapacity", { Fleet: "idle-fleet" }, 0)
    .metric("AWS/AppStream", "InUseCapacity", { Fleet: "busy-fleet" }, 2)
    .metric("AWS/AppStream", "InUseCapacity", { Fleet: "quiet-fleet" }, () => undefined)
    .metric("AWS/WorkSpaces", "ActiveUserSessionCapacity", { "WorkSpaces pool ID": "wspool-idle00001" }, 0)
    .metric("AWS/WorkSpaces", "ActiveUserSessionCapacity", { "WorkSpaces pool ID": "wspool-busy00001" }, 3)
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("list_unused_resources", {});
    assert.deepEqual(body.errors, []);
    const items = body.items as Item[];
    const ids = items.map((i) => i.id);
    assert.deepEqual(ids, [
      "ws-never0001",
      "wspool-stopped01",
      "wspool-idle00001",
      "stopped-fleet",
      "empty-fleet",
      "idle-fleet",
    ]);
    assert.equal(items[0].service, "Amazon WorkSpaces Personal");
    assert.match(items[0].reason, /No user connection in the last 14 days/);
    assert.equal(items.find((i) => i.id === "idle-fleet")!.service, "Amazon WorkSpaces Applications");
    assert.match(items.find((i) => i.id === "idle-fleet")!.reason, /InUseCapacity peak 0/);
    assert.match(items.find((i) => i.id === "wspool-idle00001")!.reason, /ActiveUserSessionCapacity peak 0/);
    // No metrics at all (quiet-fleet) is not unused; nor is a desktop with a known connection.
    assert.ok(!ids.includes("quiet-fleet"));
    assert.deepEqual((body.no_data as Item[]).map((i) => i.id), ["ws-nodata001"]);
    assert.deepEqual(body.counts, {
      unused_desktops: 1,
      no_data_desktops: 1,
      unknown_desktops: 0,
      unused_pools: 2,
      unused_fleets: 3,
    });
    assert.ok((body.notes as string[]).some((n) => /recently provisioned/i.test(n)));
    // One batched read for the desktops and one for the pools and fleets: never per resource.
    assert.equal(h.sim.count("monitoring", "GetMetricData"), 2);
  } finally {
    await h.close();
  }
});

Deno.test("unused resources: a failing fleet listing is an error, desktops are still listed", async () => {
  const sim = new Simulator(scenario().workspace("ws-never0001").fleet("f1", { state: "STOPPED" }).build());
  sim.inject({ kind: "access-denied", service: "appstream", operation: "DescribeFleets" });
  const h = await connect(sim);
  try {
    const { body } = await h.call("list_unused_resources", {});
    assert.deepEqual((body.items as Item[]).map((i) => i.id), ["ws-never0001"]);
    const errors = body.errors as Err[];
    assert.equal(errors[0].operation, "DescribeFleets");
    assert.match(errors[0].hint, /appstream:DescribeFleets/);
  } finally {
    await h.close();
  }
});

Deno.test("unused resources: no_data is listed in (region, id) order whatever order AWS answered in", async () => {
  // Directories are read side by side: without the sort, no_data follows the arrival order of their answers.
  const s = scenario();
  for (const [region, prefix] of [["us-east-1", "a"], ["eu-west-1", "e"]] as const) {
    s.inRegion(region);
    for (const [d, dir] of [["z", "d-9000000001"], ["m", "d-9000000002"], ["b", "d-9000000003"]]) {
      s.workspace(`ws-${prefix}${d}nodata01`, { directory: dir, lastConnected: ago(2) });
      s.workspace(`ws-${prefix}${d}nodata00`, { directory: dir, lastConnected: ago(3) });
    }
  }
  const estate = s.build();
  for (const seed of [1, 2, 3]) {
    const sim = new Simulator(estate, { seed });
    for (const [ms, probability] of [[1, 0.5], [2, 0.4], [4, 0.3]]) sim.inject({ kind: "latency", ms, probability });
    const h = await connect(sim);
    try {
      const { body } = await h.call("list_unused_resources", { regions: ["eu-west-1", "us-east-1"] });
      const listed = (body.no_data as Item[]).map((i) => `${i.region}/${i.id}`);
      const expected = ["eu-west-1", "us-east-1"].flatMap((r) => listed.filter((x) => x.startsWith(`${r}/`)).sort());
      assert.equal(listed.length, 12, `seed ${seed}`);
      assert.deepEqual(listed, expected, `seed ${seed}`);
    } finally {
      await h.close();
    }
  }
});
