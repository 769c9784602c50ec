/**
 * analyze_workspace_utilization and list_unused_resources: billable hours, classification,
 * batching, failures and the unused-resources view.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../support/harness.ts";
import { Simulator } from "../../src/sim/mod.ts";

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

type Usage = {
  workspace_id: string;
  region: string;
  classification: string;
  classification_reason: string;
  active_days: number | null;
  billable_hours: number | null;
  sessions: number | null;
  connected_hours: number | null;
  last_connection: string | null;
};
type Err = { service: string; operation: string; region: string; code: string; message: string; hint: string };

function byId(body: Record<string, unknown>): Map<string, Usage> {
  return new Map((body.workspaces as Usage[]).map((w) => [w.workspace_id, w]));
}

Deno.test("billable hours: a disconnect shorter than the AutoStop timeout keeps one session, a longer one splits it", async () => {
  // Each user works 8:00–16:00 UTC two days ago, with a break in the middle.
  const day = (breakMinutes: number) => ({ hoursPerDay: 8, startHour: 8, days: [2], breakMinutes });
  const estate = scenario()
    .workspace("ws-short0001", { autoStopMinutes: 60, usage: day(30), lastConnected: ago(2) })
    .workspace("ws-equal0001", { autoStopMinutes: 60, usage: day(60), lastConnected: ago(2) })
    .workspace("ws-long00001", { autoStopMinutes: 60, usage: day(90), lastConnected: ago(2) })
    .workspace("ws-twohour01", { autoStopMinutes: 120, usage: day(90), lastConnected: ago(2) })
    .workspace("ws-always001", { runningMode: "ALWAYS_ON", usage: day(0), lastConnected: ago(2) })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("analyze_workspace_utilization", {});
    assert.deepEqual(body.errors, []);
    assert.equal(body.metric_period_seconds, 300, "5-minute UserConnected within 63 days");
    const w = byId(body);
    // 30-minute break < 60-minute timeout: one 8-hour session → ceil(8 h) + 1 h = 9.
    assert.equal(w.get("ws-short0001")!.sessions, 1);
    assert.equal(w.get("ws-short0001")!.billable_hours, 9);
    assert.equal(w.get("ws-short0001")!.connected_hours, 8);
    // A break exactly as long as the timeout ends the session: two 3.5-hour sessions → 2 × (4 + 1) = 10.
    assert.equal(w.get("ws-equal0001")!.sessions, 2);
    assert.equal(w.get("ws-equal0001")!.billable_hours, 10);
    // 90-minute break > 60-minute timeout: two 3.25-hour sessions → 2 × (4 + 1) = 10.
    assert.equal(w.get("ws-long00001")!.sessions, 2);
    assert.equal(w.get("ws-long00001")!.billable_hours, 10);
    assert.equal(w.get("ws-long00001")!.connected_hours, 6.5);
    // The same 90-minute break under a 2-hour timeout stays one session: ceil(8) + 2 = 10.
    assert.equal(w.get("ws-twohour01")!.sessions, 1);
    assert.equal(w.get("ws-twohour01")!.billable_hours, 10);
    // AlwaysOn desktops are grouped with the default 60-minute timeout: what AutoStop would bill.
    assert.equal(w.get("ws-always001")!.billable_hours, 9);
    for (const u of w.values()) assert.equal(u.active_days, 1);
    assert.equal(body.total_billable_hours, 9 + 10 + 10 + 10 + 9);
  } finally {
    await h.close();
  }
});

Deno.test("classification: idle exactly at the threshold, active above it, unused vs no_data", async () => {
  const estate = scenario()
    .workspace("ws-oneday001", { usage: { hoursPerDay: 2, days: [1] }, lastConnected: ago(1) })
    .workspace("ws-twodays01", { usage: { hoursPerDay: 2, days: [1, 2] }, lastConnected: ago(1) })
    .workspace("ws-three0001", { usage: { hoursPerDay: 2, days: [1, 2, 3] }, lastConnected: ago(1) })
    .workspace("ws-never0001", {})
    .workspace("ws-oldconn01", { lastConnected: ago(30) })
    .workspace("ws-nodata001", { lastConnected: ago(3) })
    .build();
  const h = await connect(estate);
  try {
    // 14 days: idle = used on at most max(1, floor(14 / 7)) = 2 days.
    const { body } = await h.call("analyze_workspace_utilization", { lookback_days: 14 });
    assert.equal(body.idle_threshold_days, 2);
    let w = byId(body);
    assert.equal(w.get("ws-oneday001")!.classification, "idle");
    assert.equal(w.get("ws-twodays01")!.classification, "idle", "2 active days is exactly the threshold");
    assert.equal(w.get("ws-three0001")!.classification, "active");
    assert.equal(w.get("ws-three0001")!.active_days, 3);
    assert.equal(w.get("ws-never0001")!.classification, "unused");
    assert.match(w.get("ws-never0001")!.classification_reason, /no known connection/);
    assert.equal(w.get("ws-oldconn01")!.classification, "unused", "a connection before the window does not count");
    // No samples, but WorkSpaces knows a connection 3 days ago: the metrics are missing, not the user.
    assert.equal(w.get("ws-nodata001")!.classification, "no_data");
    assert.match(w.get("ws-nodata001")!.classification_reason, /not called unused/);
    assert.deepEqual(body.counts, { unused: 2, idle: 2, active: 1, no_data: 1, unknown: 0 });
    const order = (body.workspaces as Usage[]).map((u) => u.classification);
    assert.deepEqual(order, ["unused", "unused", "idle", "idle", "no_data", "active"], "unused first, active last");

    // 7 days: the threshold is max(1, floor(7 / 7)) = 1, so two days of use is already active.
    const seven = await h.call("analyze_workspace_utilization", { lookback_days: 7 });
    assert.equal(seven.body.idle_threshold_days, 1);
    w = byId(seven.body);
    assert.equal(w.get("ws-oneday001")!.classification, "idle");
    assert.equal(w.get("ws-twodays01")!.classification, "active");
  } finally {
    await h.close();
  }
});

Deno.test("the classification filter and paging list a subset while counts cover every desktop", async () => {
  const estate = scenario().workspaces(7, {}).workspaces(3, { prefix: "a", usage: { days: "daily" } }).build();
  const h = await connect(estate);
  try {
    const first = await h.call("analyze_workspace_utilization", { classification: ["unused"], limit: 5 });
    assert.equal((first.body.workspaces as Usage[]).length, 5);
    assert.equal(first.body.total_count, 7);
    assert.equal(first.body.truncated, true);
    assert.deepEqual(first.body.counts, { unused: 7, idle: 0, active: 3, no_data: 0, unknown: 0 });
    const second = await h.call("analyze_workspace_utilization", {
      classification: ["unused"],
      limit: 5,
      next_token: first.body.next_token,
    });
    assert.equal((second.body.workspaces as Usage[]).length, 2);
    assert.equal(second.body.next_token, null);
    const ids = [...first.body.workspaces as Usage[], ...second.body.workspaces as Usage[]].map((u) => u.workspace_id);
    assert.equal(new Set(ids).size, 7);
  } finally {
    await h.close();
  }
});

Deno.test("a page too large for the answer budget is shortened and next_token continues exactly", async () => {
  const h = await connect(scenario().workspaces(400, {}).build());
  try {
    const seen = new Set<string>();
    let token: unknown = undefined;
    let pages = 0;
    do {
      const { body, result } = await h.call("analyze_workspace_utilization", {
        limit: 500,
        ...(token ? { next_token: token } : {}),
      });
      assert.ok(JSON.stringify(result.structuredContent).length < 80_000);
      const items = body.workspaces as Usage[];
      assert.ok(items.length < 400, "500 desktops of detail do not fit ~80 KB");
      for (const u of items) seen.add(u.workspace_id);
      token = body.next_token;
      pages++;
    } while (token && pages < 10);
    assert.equal(seen.size, 400, "no desktop skipped between pages");
  } finally {
    await h.close();
  }
});

Deno.test("2,000 desktops: ⌈N/25⌉ listing pages, ⌈N/250⌉ GetMetricData, ⌈N/25⌉ connection-status calls, nothing per desktop", async () => {
  const n = 2_000;
  // Light use (an hour on three days) so each batch's datapoints fit one GetMetricData page.
  const estate = scenario()
    .workspaces(n / 2, { usage: { hoursPerDay: 1, days: [1, 2, 3] }, lastConnected: ago(1) })
    .workspaces(n / 2, { prefix: "b", runningMode: "ALWAYS_ON" })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("analyze_workspace_utilization", { lookback_days: 7 });
    assert.deepEqual(body.errors, []);
    assert.equal(body.total, n);
    assert.equal(h.sim.count("workspaces", "DescribeWorkspaceDirectories"), 1);
    assert.equal(h.sim.count("workspaces", "DescribeWorkspaces"), Math.ceil(n / 25));
    assert.equal(h.sim.count("monitoring", "GetMetricData"), Math.ceil(n / 250));
    assert.equal(h.sim.count("workspaces", "DescribeWorkspacesConnectionStatus"), Math.ceil(n / 25));
    assert.equal(h.sim.calls.length, 1 + 80 + 8 + 80, "no other call, nothing per desktop");
    assert.deepEqual(body.counts, { unused: n / 2, idle: 0, active: n / 2, no_data: 0, unknown: 0 });
  } finally {
    await h.close();
  }
});

Deno.test("AccessDenied on GetMetricData: desktops are unknown with the error, listing and last connections intact", async () => {
  const estate = scenario()
    .workspace("ws-user00001", { usage: { days: "daily" }, lastConnected: ago(1) })
    .workspace("ws-user00002", { lastConnected: ago(40) })
    .build();
  const sim = new Simulator(estate);
  sim.inject({ kind: "access-denied", service: "monitoring", operation: "GetMetricData" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("analyze_workspace_utilization", {});
    assert.ok(!result.isError);
    assert.equal(body.total, 2);
    assert.deepEqual(body.counts, { unused: 0, idle: 0, active: 0, no_data: 0, unknown: 2 });
    const w = byId(body);
    assert.equal(w.get("ws-user00001")!.billable_hours, null, "unknown, not zero");
    assert.match(w.get("ws-user00001")!.classification_reason, /AccessDenied/);
    assert.ok(w.get("ws-user00001")!.last_connection, "the connection status still answered");
    const errors = body.errors as Err[];
    assert.equal(errors.length, 1);
    assert.equal(errors[0].service, "cloudwatch");
    assert.equal(errors[0].operation, "GetMetricData");
    assert.equal(errors[0].code, "AccessDenied");
    assert.match(errors[0].hint, /cloudwatch:GetMetricData/);
    assert.match(errors[0].hint, /tier ?0|tier0/i);
  } finally {
    await h.close();
  }
});

Deno.test("AccessDenied on the connection status: no-sample desktops are no_data, never unused", async () => {
  const estate = scenario()
    .workspace("ws-user00001", { usage: { days: "daily" }, lastConnected: ago(1) })
    .workspace("ws-user00002", {})
    .build();
  const sim = new Simulator(estate);
  sim.inject({ kind: "access-denied", service: "workspaces", operation: "DescribeWorkspacesConnectionStatus" });
  const h = await connect(sim);
  try {
    const { body } = await h.call("analyze_workspace_utilization", {});
    const w = byId(body);
    assert.equal(w.get("ws-user00001")!.classification, "active");
    assert.equal(w.get("ws-user00002")!.classification, "no_data");
    assert.match(w.get("ws-user00002")!.classification_reason, /could not be read/);
    assert.equal((body.errors as Err[])[0].operation, "DescribeWorkspacesConnectionStatus");
  } finally {
    await h.close();
  }
});

Deno.test("throttled once, GetMetricData is retried by the SDK and the answer is complete", async () => {
  const estate = scenario().workspace("ws-user00001", { usage: { days: [1] }, lastConnected: ago(1) }).build();
  const sim = new Simulator(estate);
  sim.inject({ kind: "throttle", service: "monitoring", operation: "GetMetricData", times: 1 });
  const h = await connect(sim);
  try {
    const { body } = await h.call("analyze_workspace_utilization", {});
    assert.deepEqual(body.errors, []);
    assert.equal(byId(body).get("ws-user00001")!.classification, "idle");
    assert.equal(h.sim.count("monitoring", "GetMetricData"), 2, "one throttled, one retried");
  } finally {
    await h.close();
  }
});

Deno.test("regions fan out: every desktop is stamped with its region, a failing region is an error, not a gap", async () => {
  const estate = scenario()
    .workspace("ws-east00001", { usage: { days: "daily" }, lastConnected: ago(1) })
    .inRegion("eu-west-1").workspace("ws-west00001", {})
    .inRegion("ap-southeast-2").workspace("ws-syd000001", {})
    .build();
  const sim = new Simulator(estate);
  sim.inject({
    kind: "access-denied",
    service: "workspaces",
    operation: "DescribeWorkspaces",
    region: "ap-southeast-2",
  });
  const h = await connect(sim);
  try {
    const { body } = await h.call("analyze_workspace_utilization", {
      regions: ["us-east-1", "eu-west-1", "ap-southeast-2"],
    });
    const w = byId(body);
    assert.equal(w.get("ws-east00001")!.region, "us-east-1");
    assert.equal(w.get("ws-west00001")!.region, "eu-west-1");
    assert.equal(body.total, 2);
    const errors = body.errors as Err[];
    assert.ok(errors.some((e) => e.region === "ap-southeast-2" && e.code === "AccessDenied"));
  } finally {
    await h.close();
  }
});

Deno.test("invalid input is refused before any AWS call", async () => {
  const h = await connect(scenario().workspace("ws-user00001").build());
  try {
    for (
      const args of [
        { lookback_days: 0 },
        { lookback_days: 91 },
        { regions: ["not a region"] },
        { limit: 0 },
        { classification: ["sleepy"] },
        { next_token: "bm90IG91cnM" },
        { lookback_dayz: 7 },
      ]
    ) {
      const { result } = await h.call("analyze_workspace_utilization", args);
      assert.ok(result.isError, JSON.stringify(args));
    }
    for (const args of [{ lookback_days: 0 }, { next_token: "x" }]) {
      const { result } = await h.call("list_unused_resources", args);
      assert.ok(result.isError, JSON.stringify(args));
    }
    assert.equal(h.sim.calls.length, 0);
  } finally {
    await h.close();
  }
});

Deno.test("expired credentials everywhere: the tool fails as a whole with the fix", async () => {
  const sim = new Simulator(scenario().workspace("ws-user00001").build());
  sim.inject({ kind: "expired-token" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("analyze_workspace_utilization", {});
    assert.ok(result.isError);
    assert.equal((body.error as { code: string }).code, "ExpiredCredentials");
  } finally {
    await h.close();
  }
});

// ---------------------------------------------------------------- list_unused_resources

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

Deno.test("several directories are listed side by side; a Pools directory costs no DescribeWorkspaces call", async () => {
  const estate = scenario()
    .directory("d-1111111111")
    .directory("d-2222222222")
    .workspaces(30, { directory: "d-1111111111" })
    .workspaces(20, { prefix: "b", directory: "d-2222222222" })
    .pool("wspool-abcdefghi", {})
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("analyze_workspace_utilization", {});
    assert.equal(body.total, 50);
    // 30 desktops → 2 pages, 20 → 1 page; the pool's wsd- directory is skipped.
    assert.equal(h.sim.count("workspaces", "DescribeWorkspaces"), 3);
    assert.equal(h.sim.count("workspaces", "DescribeWorkspacesConnectionStatus"), 2);
  } finally {
    await h.close();
  }
});

// ---------------------------------------------------------------- the demo estate

Deno.test("the demo estate shows every utilization finding", async () => {
  const { demoEstate, DEMO } = await import("../../src/sim/mod.ts");
  const h = await connect(demoEstate());
  try {
    const usage = byId((await h.call("analyze_workspace_utilization", { limit: 100 })).body);
    // The 2-hour AutoStop desktop: a 90-minute break keeps one session, a 4-hour break splits one.
    assert.equal(usage.get(DEMO.autoStop2h)!.sessions, 3);
    assert.equal(usage.get(DEMO.underusedPowerPro)!.classification, "unused");
    assert.equal(usage.get(DEMO.suspended)!.classification, "no_data");
    const mode = await h.call("recommend_running_mode", {});
    const recs = mode.body.recommendations as { target_id: string; recommended: string }[];
    assert.ok(recs.some((r) => r.target_id === DEMO.alwaysOn && r.recommended === "AUTO_STOP"));
    assert.ok(recs.some((r) => r.target_id === DEMO.protected && r.recommended === "ALWAYS_ON"));
    assert.ok((mode.body.skipped as { target_id: string }[]).some((s) => s.target_id === DEMO.skipConvert));
    const sizes = (await h.call("recommend_bundle_rightsizing", {})).body.recommendations as {
      target_id: string;
      direction: string;
    }[];
    assert.ok(sizes.some((r) => r.target_id === DEMO.underusedPowerPro && r.direction === "downsize"));
    assert.ok(sizes.some((r) => r.target_id === DEMO.value && r.direction === "upsize"));
    const unused = (await h.call("list_unused_resources", {})).body.items as Item[];
    assert.ok(unused.some((i) => i.id === DEMO.fleetStopped));
    assert.ok(unused.some((i) => i.id === DEMO.neverUsed));
    const fleet = await h.call("get_application_fleet_usage", { fleet_name: DEMO.fleetCapacityError });
    assert.equal(fleet.body.active_session_count, 4);
  } finally {
    await h.close();
  }
});
