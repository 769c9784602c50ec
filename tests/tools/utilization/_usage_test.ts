/**
 * The usage engine (through analyze_workspace_utilization): sessions and billable hours,
 * classification, batched reads per region and the directory listing.
 */
import assert from "node:assert/strict";
import { connect, peakInFlight, scenario } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";
import { idleThresholdDays } from "../../../src/tools/utilization/_sessions.ts";
import { LISTING_CHAINS } from "../../../src/aws/listing.ts";

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

/**
 * A constructed UserConnected series two days ago (UTC): `runs` of [fromHour, toHour, value] — 1
 * connected, 0 running but disconnected; outside them the desktop publishes nothing (stopped).
 */
function series(runs: [number, number, 0 | 1][]): (t: number) => number | undefined {
  const day = Math.floor(Date.now() / DAY) * DAY - 2 * DAY;
  return (t) => {
    const h = (t - day) / 3_600_000;
    for (const [from, to, v] of runs) if (h >= from && h < to) return v;
    return undefined;
  };
}

Deno.test("billable hours end when the desktop stopped publishing, at most one timeout after the disconnect", async () => {
  const connected = (id: string, runs: [number, number, 0 | 1][]) => (s: ReturnType<typeof scenario>) =>
    s.metric("AWS/WorkSpaces", "UserConnected", { WorkspaceId: id }, series(runs));
  let s = scenario()
    // Stopped by an admin 20 minutes after the user left at 10:30 (60-minute AutoStop): 8:00–10:50 → 3 h, not 4.
    .workspace("ws-early0001", { autoStopMinutes: 60, lastConnected: ago(2) })
    // Stopped by the user at the disconnect (no zero sample at all): 8:00–10:30 → 3 h.
    .workspace("ws-atonce001", { autoStopMinutes: 60, lastConnected: ago(2) })
    // A 30-minute disconnect (< timeout) is one session; then AutoStop ran the full hour: 8:00–13:00 → 5 h.
    .workspace("ws-shortgap1", { autoStopMinutes: 60, lastConnected: ago(2) })
    // A 2-hour disconnect (> timeout): AutoStop stopped it after the hour each time: 2 × (2 h + 1 h) = 6 h.
    .workspace("ws-longgap01", { autoStopMinutes: 60, lastConnected: ago(2) })
    // A 2-hour disconnect under a 3-hour timeout stays one session; the user stopped the desktop 15 minutes after
    // the last disconnect: 8:00–14:15 → 7 h, not ceil(6 h) + 3 h = 9.
    .workspace("ws-threehr01", { autoStopMinutes: 180, lastConnected: ago(2) })
    // AlwaysOn desktops publish zeros around the clock: under AutoStop they would run the full timeout.
    .workspace("ws-always001", { runningMode: "ALWAYS_ON", lastConnected: ago(2) })
    // No datapoints at all, a connection 2 days ago: stopped (no_data), nothing billed from a timeout.
    .workspace("ws-nopoints1", { autoStopMinutes: 60, lastConnected: ago(2) });
  for (
    const add of [
      connected("ws-early0001", [[8, 10.5, 1], [10.5, 10.5 + 20 / 60, 0]]),
      connected("ws-atonce001", [[8, 10.5, 1]]),
      connected("ws-shortgap1", [[8, 10, 1], [10, 10.5, 0], [10.5, 12, 1], [12, 13, 0]]),
      connected("ws-longgap01", [[8, 10, 1], [10, 11, 0], [12, 14, 1], [14, 15, 0]]),
      connected("ws-threehr01", [[8, 10, 1], [10, 10.25, 0], [12, 14, 1], [14, 14.25, 0]]),
      connected("ws-always001", [[0, 8, 0], [8, 10.5, 1], [10.5, 48, 0]]),
      connected("ws-nopoints1", []),
    ]
  ) s = add(s);
  const h = await connect(s.build());
  try {
    const { body } = await h.call("analyze_workspace_utilization", { lookback_days: 7 });
    assert.deepEqual(body.errors, []);
    const w = byId(body);
    assert.equal(w.get("ws-early0001")!.billable_hours, 3, "an early stop ends the billable time");
    assert.equal(w.get("ws-atonce001")!.billable_hours, 3, "no zero sample after the disconnect: stopped at once");
    assert.equal(w.get("ws-shortgap1")!.sessions, 1);
    assert.equal(w.get("ws-shortgap1")!.billable_hours, 5);
    assert.equal(w.get("ws-longgap01")!.sessions, 2);
    assert.equal(w.get("ws-longgap01")!.billable_hours, 6);
    assert.equal(w.get("ws-threehr01")!.sessions, 1);
    assert.equal(w.get("ws-threehr01")!.billable_hours, 7, "billed to the last zero sample, not + 3 h");
    assert.equal(w.get("ws-always001")!.billable_hours, 4, "AlwaysOn: ceil(2.5 h) + the 60-minute timeout");
    assert.equal(w.get("ws-nopoints1")!.classification, "no_data");
    assert.equal(w.get("ws-nopoints1")!.billable_hours, 0);
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

Deno.test("2,000 desktops: ⌈N/25⌉ listing pages, ⌈AutoStop/500⌉ + ⌈AlwaysOn/250⌉ GetMetricData, ⌈N/25⌉ connection-status calls, nothing per desktop", async () => {
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
    // AutoStop desktops are read whole (one slot: their zero samples show when they stopped), AlwaysOn ones
    // positive-only (two slots).
    assert.equal(h.sim.count("monitoring", "GetMetricData"), Math.ceil(n / 2 / 500) + Math.ceil(n / 2 / 250));
    assert.equal(h.sim.count("workspaces", "DescribeWorkspacesConnectionStatus"), Math.ceil(n / 25));
    assert.equal(h.sim.calls.length, 1 + 80 + 6 + 80, "no other call, nothing per desktop");
    assert.deepEqual(body.counts, { unused: n / 2, idle: 0, active: n / 2, no_data: 0, unknown: 0 });
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

Deno.test("progress: metric batches report a real total (the final batch count), never done-of-done while more come", async () => {
  const s = scenario();
  for (let d = 1; d <= 4; d++) {
    s.workspaces(300, { prefix: `p${d}`, directory: `d-10000000${d}`, runningMode: "ALWAYS_ON" });
  }
  // A slow listing: metric batches answer while more desktops are still being listed.
  const sim = new Simulator(s.build());
  sim.inject({ kind: "latency", service: "workspaces", operation: "DescribeWorkspaces", ms: 5 });
  const h = await connect(sim);
  try {
    const seen: { progress: number; total?: number }[] = [];
    await h.client.callTool({ name: "analyze_workspace_utilization", arguments: { lookback_days: 1 } }, undefined, {
      onprogress: (p: { progress: number; total?: number }) => void seen.push({ progress: p.progress, total: p.total }),
    });
    assert.ok(seen.length >= 4, `1,200 desktops take several metric batches (${seen.length})`);
    const final = seen.at(-1)!;
    assert.equal(final.total, final.progress, "the last notification is complete");
    for (const [i, p] of seen.entries()) {
      if (i > 0) assert.ok(p.progress > seen[i - 1].progress, "progress increases");
      if (p.total !== undefined) assert.equal(p.total, final.total, "a total, when given, is the real one");
    }
  } finally {
    await h.close();
  }
});

Deno.test("the same GetMetricData failure in two regions is listed once per region, not once overall", async () => {
  const estate = scenario().workspace("ws-user00001").inRegion("eu-west-1").workspace("ws-user00002").build();
  const sim = new Simulator(estate);
  sim.inject({ kind: "access-denied", service: "monitoring", operation: "GetMetricData" });
  const h = await connect(sim);
  try {
    const { body } = await h.call("analyze_workspace_utilization", { regions: ["us-east-1", "eu-west-1"] });
    const errors = body.errors as { operation: string; region: string; code: string }[];
    assert.deepEqual(errors.map((x) => [x.operation, x.region, x.code]).sort(), [
      ["GetMetricData", "eu-west-1", "AccessDenied"],
      ["GetMetricData", "us-east-1", "AccessDenied"],
    ]);
  } finally {
    await h.close();
  }
});

Deno.test("idle threshold: max(1, floor(lookback / 7)) for lookbacks that are not a multiple of 7", () => {
  const cases: [number, number][] = [[1, 1], [6, 1], [7, 1], [13, 1], [14, 2], [20, 2], [21, 3], [27, 3], [90, 12]];
  for (const [lookback, threshold] of cases) assert.equal(idleThresholdDays(lookback), threshold, `${lookback} days`);
});

Deno.test("billable hours: an AutoStop desktop started but never connected bills nothing (only zero samples)", async () => {
  const zeros = (id: string, runs: [number, number, 0 | 1][]) => (s: ReturnType<typeof scenario>) =>
    s.metric("AWS/WorkSpaces", "UserConnected", { WorkspaceId: id }, series(runs));
  let s = scenario()
    // Started (by the client or an admin) at 8:00 and ran 3 hours disconnected until AutoStop stopped it.
    .workspace("ws-started01", { autoStopMinutes: 60 })
    // The same with a known connection in the window (before these samples were published): still nothing billed.
    .workspace("ws-started02", { autoStopMinutes: 60, lastConnected: ago(3) })
    // An AlwaysOn desktop nobody connects to publishes zeros all day: no session, nothing AutoStop would bill.
    .workspace("ws-alwayson2", { runningMode: "ALWAYS_ON" });
  for (
    const add of [
      zeros("ws-started01", [[8, 11, 0]]),
      zeros("ws-started02", [[8, 11, 0]]),
      zeros("ws-alwayson2", [[0, 48, 0]]),
    ]
  ) s = add(s);
  const h = await connect(s.build());
  try {
    const { body } = await h.call("analyze_workspace_utilization", { lookback_days: 7 });
    assert.deepEqual(body.errors, []);
    const w = byId(body);
    for (const id of ["ws-started01", "ws-started02", "ws-alwayson2"]) {
      assert.equal(w.get(id)!.billable_hours, 0, `${id}: no connected sample, no session, nothing billed`);
      assert.equal(w.get(id)!.sessions, 0, id);
      assert.equal(w.get(id)!.connected_hours, 0, id);
      assert.equal(w.get(id)!.active_days, 0, id);
    }
    assert.equal(w.get("ws-started01")!.classification, "unused", "running is not using");
    assert.equal(w.get("ws-started02")!.classification, "no_data", "a known connection in the window: not unused");
    assert.equal(w.get("ws-alwayson2")!.classification, "unused");
  } finally {
    await h.close();
  }
});

Deno.test("connection status keeps pace with the listing: as many calls in flight as listing chains deliver pages", async () => {
  const directories = LISTING_CHAINS;
  let builder = scenario();
  for (let d = 0; d < directories; d++) {
    const dir = `d-${String(9_100_000_000 + d)}`;
    builder = builder.directory(dir).workspaces(100, { prefix: `w${d}x`, directory: dir });
  }
  const sim = new Simulator(builder.build());
  sim.inject({ kind: "latency", service: "workspaces", operation: "DescribeWorkspaces", ms: 10 });
  sim.inject({ kind: "latency", service: "workspaces", operation: "DescribeWorkspacesConnectionStatus", ms: 30 });
  const peak = peakInFlight(sim, "DescribeWorkspacesConnectionStatus");
  const h = await connect(sim);
  try {
    const { body } = await h.call("analyze_workspace_utilization", { lookback_days: 7 });
    assert.equal(body.total, directories * 100);
    assert.equal(h.sim.count("workspaces", "DescribeWorkspacesConnectionStatus"), directories * 4);
    // Each chain's page is one status call; fewer in flight and the status calls fall behind the listing.
    assert.equal(peak(), LISTING_CHAINS);
  } finally {
    await h.close();
  }
});
