/**
 * analyze_workspace_utilization: filters and paging, failures, retries, region fan-out and
 * input checks.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";

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
type Err = {
  service: string;
  api: string;
  operation: string;
  region: string;
  code: string;
  message: string;
  hint: string;
};

function byId(body: Record<string, unknown>): Map<string, Usage> {
  return new Map((body.workspaces as Usage[]).map((w) => [w.workspace_id, w]));
}

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
    assert.equal(errors[0].api, "cloudwatch");
    assert.equal(errors[0].service, "Amazon CloudWatch");
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
    // The hourly read (throttled once, retried), then the 5-minute read of the listed desktop.
    assert.equal(h.sim.count("monitoring", "GetMetricData"), 3, "one throttled, one retried, one 5-minute");
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
