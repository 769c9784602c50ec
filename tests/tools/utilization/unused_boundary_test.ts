/**
 * The unused and idle-capacity rules at their exact boundaries, each operand of a compound rule alone:
 * list_unused_resources (pools and fleets: desired capacity 0 vs 1, in-use peak 0 vs one sample of 1, no data is
 * not unused; desktops: a connection just inside vs just outside the window), get_application_fleet_usage and
 * get_pool_session_history (idle = in-use peak exactly 0 AND capacity peak above 0; an unpublished in-use series
 * is never idle).
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const POOL_DIM = "WorkSpaces pool ID";

/** 0 on every sample but one of 1 (two days ago, 10:00 UTC): a peak of exactly 1. */
function onceOne(): (t: number) => number {
  const at = Math.floor(Date.now() / DAY) * DAY - 2 * DAY + 10 * HOUR;
  return (t) => (t === at ? 1 : 0);
}
const never = () => undefined;

type Item = { resource_type: string; id: string; reason: string };

Deno.test("list_unused_resources: pools and fleets at desired 0 vs 1 and in-use peak 0 vs 1; silence is not unused", async () => {
  const estate = scenario()
    .pool("wspool-desired00", { desired: 0, actual: 0, active: 0 })
    .pool("wspool-desired01", { desired: 1, actual: 1, active: 1 })
    .pool("wspool-peakzero0", { desired: 5, actual: 5, active: 0 })
    .pool("wspool-peakone00", { desired: 5, actual: 5, active: 0 })
    .pool("wspool-silent000", { desired: 5, actual: 5, active: 0 })
    .metric("AWS/WorkSpaces", "ActiveUserSessionCapacity", { [POOL_DIM]: "wspool-peakone00" }, onceOne())
    .metric("AWS/WorkSpaces", "ActiveUserSessionCapacity", { [POOL_DIM]: "wspool-silent000" }, never)
    .fleet("desired-zero", { desired: 0 })
    .fleet("desired-one", { desired: 1, inUse: 1 })
    .fleet("peak-zero", { desired: 2, inUse: 0 })
    .fleet("peak-one", { desired: 2, inUse: 0 })
    .fleet("silent", { desired: 2, inUse: 0 })
    .metric("AWS/AppStream", "InUseCapacity", { Fleet: "peak-one" }, onceOne())
    .metric("AWS/AppStream", "InUseCapacity", { Fleet: "silent" }, never)
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("list_unused_resources", {});
    assert.deepEqual(body.errors, []);
    const items = body.items as Item[];
    const reason = (id: string) => items.find((i) => i.id === id)?.reason;
    assert.match(reason("wspool-desired00") ?? "", /desired user-session capacity is 0/);
    assert.equal(reason("wspool-desired01"), undefined, "desired 1 (in use) is not unused");
    assert.match(reason("wspool-peakzero0") ?? "", /ActiveUserSessionCapacity peak 0/);
    assert.equal(reason("wspool-peakone00"), undefined, "one active session in the window is use");
    assert.equal(reason("wspool-silent000"), undefined, "no data is not unused");
    assert.match(reason("desired-zero") ?? "", /desired capacity is 0/);
    assert.equal(reason("desired-one"), undefined);
    assert.match(reason("peak-zero") ?? "", /InUseCapacity peak 0/);
    assert.equal(reason("peak-one"), undefined, "one instance in use once is use");
    assert.equal(reason("silent"), undefined, "no data is not unused");
  } finally {
    await h.close();
  }
});

Deno.test("list_unused_resources: a desktop whose last connection is just inside the window is no_data, just outside unused", async () => {
  const estate = scenario()
    .workspace("ws-inside001", { lastConnected: new Date(Date.now() - 14 * DAY + HOUR) })
    .workspace("ws-outside01", { lastConnected: new Date(Date.now() - 14 * DAY - HOUR) })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("list_unused_resources", { lookback_days: 14 });
    assert.deepEqual((body.items as Item[]).map((i) => i.id), ["ws-outside01"]);
    assert.deepEqual((body.no_data as Item[]).map((i) => i.id), ["ws-inside001"]);
  } finally {
    await h.close();
  }
});

Deno.test("get_application_fleet_usage: idle = in-use peak exactly 0 while capacity ran (> 0); each operand alone is not", async () => {
  const estate = scenario()
    .fleet("idle-one", { desired: 1, running: 1, inUse: 0 })
    .fleet("used-once", { desired: 1, running: 1, inUse: 0 })
    .metric("AWS/AppStream", "InUseCapacity", { Fleet: "used-once" }, onceOne())
    .fleet("ran-zero", { desired: 1, running: 0, inUse: 0, available: 0 })
    .fleet("silent", { desired: 2, running: 2, inUse: 0 })
    .metric("AWS/AppStream", "InUseCapacity", { Fleet: "silent" }, never)
    .build();
  const h = await connect(estate);
  try {
    const idle = async (fleet_name: string) => {
      const { body } = await h.call("get_application_fleet_usage", { fleet_name, lookback_days: 3 });
      return body.idle_capacity;
    };
    assert.equal(await idle("idle-one"), true, "one instance ran, none in use");
    assert.equal(await idle("used-once"), false, "in-use peak 1");
    assert.equal(await idle("ran-zero"), false, "nothing ran: not idle capacity");
    assert.equal(await idle("silent"), false, "an unpublished in-use series is not idleness");
  } finally {
    await h.close();
  }
});

Deno.test("get_pool_session_history: idle = active peak exactly 0 while sessions were provisioned; each operand alone is not", async () => {
  const estate = scenario()
    .pool("wspool-idleone00", { desired: 1, actual: 1, active: 0 })
    .pool("wspool-usedonce0", { desired: 4, actual: 4, active: 0 })
    .metric("AWS/WorkSpaces", "ActiveUserSessionCapacity", { [POOL_DIM]: "wspool-usedonce0" }, onceOne())
    .pool("wspool-noactual0", { desired: 0, actual: 0, active: 0 })
    .pool("wspool-silent000", { desired: 4, actual: 4, active: 0 })
    .metric("AWS/WorkSpaces", "ActiveUserSessionCapacity", { [POOL_DIM]: "wspool-silent000" }, never)
    .build();
  const h = await connect(estate);
  try {
    const idle = async (pool_id: string) => {
      const { body } = await h.call("get_pool_session_history", { pool_id, lookback_days: 3 });
      assert.deepEqual(body.errors, [], pool_id);
      return body.idle_capacity;
    };
    assert.equal(await idle("wspool-idleone00"), true, "one session provisioned, none used");
    assert.equal(await idle("wspool-usedonce0"), false, "active peak 1");
    assert.equal(await idle("wspool-noactual0"), false, "nothing provisioned: not idle capacity");
    assert.equal(await idle("wspool-silent000"), false, "an unpublished active series is not idleness");
  } finally {
    await h.close();
  }
});
