import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";

type Row = {
  service_id: string;
  resource_type: string;
  region: string;
  count: number;
  by_state: Record<string, number>;
};
type Section = {
  service_id: string;
  resource_type: string;
  region: string;
  total_count: number;
  truncated: boolean;
  resources: {
    id: string;
    name: string | null;
    state: string | null;
    region: string;
    attributes: Record<string, unknown>;
    tags?: Record<string, string>;
  }[];
};
type Err = { service: string; operation: string; region: string; code: string; message: string; hint: string };

function find(rows: Row[], type: string, region = "us-east-1") {
  return rows.find((r) => r.resource_type === type && r.region === region);
}

Deno.test("the summary counts each service by state, so 'what is running' has an answer", async () => {
  const estate = scenario()
    .workspace("ws-avail0001", { state: "AVAILABLE" })
    .workspace("ws-avail0002", { state: "AVAILABLE" })
    .workspace("ws-stopped01", { state: "STOPPED", runningMode: "AUTO_STOP" })
    .workspace("ws-error0001", { state: "ERROR" })
    .pool("wspool-abc123456", { state: "RUNNING" })
    .fleet("marketing", { state: "RUNNING" })
    .fleet("finance", { state: "STOPPED" })
    .stack("marketing-stack", { fleets: ["marketing"] })
    .portal("portal-1", { status: "Active" })
    .managedInstance("wsinst-1234567890", { provisionState: "ALLOCATED" })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("get_euc_inventory_summary");
    const rows = body.services as Row[];
    assert.deepEqual(find(rows, "WorkSpace")?.by_state, { AVAILABLE: 2, STOPPED: 1, ERROR: 1 });
    assert.equal(find(rows, "WorkSpacesPool")?.count, 1);
    assert.deepEqual(find(rows, "Fleet")?.by_state, { RUNNING: 1, STOPPED: 1 });
    assert.equal(find(rows, "Stack")?.count, 1);
    assert.equal(find(rows, "Portal")?.count, 1);
    assert.equal(find(rows, "ManagedInstance")?.count, 1);
    assert.equal(body.total_resources, 10);
    assert.deepEqual(body.errors, []);
    assert.equal(
      (rows.find((r) => r.resource_type === "WorkSpace") as unknown as { service: string }).service,
      "Amazon WorkSpaces Personal",
    );
  } finally {
    await h.close();
  }
});

Deno.test("regions fan out: each region is listed and every item says its region", async () => {
  const estate = scenario()
    .workspace("ws-east00001")
    .inRegion("eu-west-1").workspace("ws-west00001").workspace("ws-west00002").fleet("eu-fleet")
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("get_euc_inventory_summary", { regions: ["us-east-1", "eu-west-1"] });
    const rows = body.services as Row[];
    assert.equal(find(rows, "WorkSpace", "us-east-1")?.count, 1);
    assert.equal(find(rows, "WorkSpace", "eu-west-1")?.count, 2);
    assert.equal(find(rows, "Fleet", "eu-west-1")?.count, 1);
    const totals = body.totals as Row[];
    assert.equal(totals.find((t) => t.resource_type === "WorkSpace")?.count, 3);
    const report = await h.call("generate_inventory_report", {
      regions: ["us-east-1", "eu-west-1"],
      services: "personal",
    });
    const regions = (report.body.sections as Section[]).flatMap((s) => s.resources.map((r) => `${r.id}@${r.region}`))
      .sort();
    assert.deepEqual(regions, ["ws-east00001@us-east-1", "ws-west00001@eu-west-1", "ws-west00002@eu-west-1"]);
    assert.ok(h.sim.calls.some((c) => c.region === "eu-west-1") && h.sim.calls.some((c) => c.region === "us-east-1"));
  } finally {
    await h.close();
  }
});

Deno.test("--regions is the default fan-out list", async () => {
  const estate = scenario().workspace("ws-east00001").inRegion("ap-southeast-2").workspace("ws-syd000001").build();
  const h = await connect(estate, ["--region", "us-east-1", "--regions", "us-east-1,ap-southeast-2"]);
  try {
    const { body } = await h.call("get_euc_inventory_summary");
    assert.deepEqual(body.regions, ["us-east-1", "ap-southeast-2"]);
    assert.equal(find(body.services as Row[], "WorkSpace", "ap-southeast-2")?.count, 1);
  } finally {
    await h.close();
  }
});

Deno.test("one service denied: the others still answer and the error names the IAM action and tier", async () => {
  const h = await connect(scenario().workspace("ws-ok0000001").fleet("f1").build());
  h.sim.inject({ kind: "access-denied", service: "appstream", operation: "DescribeFleets" });
  try {
    const { body, result } = await h.call("get_euc_inventory_summary");
    assert.ok(!result.isError);
    const rows = body.services as Row[];
    assert.equal(find(rows, "WorkSpace")?.count, 1);
    assert.equal(find(rows, "Fleet"), undefined, "a failed service is absent, never shown as zero");
    const errors = body.errors as Err[];
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, "AccessDenied");
    assert.equal(errors[0].operation, "DescribeFleets");
    assert.equal(errors[0].region, "us-east-1");
    assert.match(errors[0].hint, /appstream:DescribeFleets/);
    assert.match(errors[0].hint, /tier0-diagnostics/);
  } finally {
    await h.close();
  }
});

Deno.test("throttling is retried by the SDK and the answer is complete", async () => {
  const h = await connect(scenario().workspaces(30).build());
  h.sim.inject({ kind: "throttle", service: "workspaces", operation: "DescribeWorkspaces", times: 1 });
  try {
    const { body } = await h.call("get_euc_inventory_summary");
    assert.equal(find(body.services as Row[], "WorkSpace")?.count, 30);
    assert.deepEqual(body.errors, []);
    // 2 pages of 25 plus the one throttled attempt
    assert.equal(h.sim.count("workspaces", "DescribeWorkspaces"), 3);
  } finally {
    await h.close();
  }
});

Deno.test("throttling that never stops is reported as Throttled for that service only", async () => {
  const h = await connect(scenario().workspace("ws-ok0000001").portal("p1").build());
  h.sim.inject({ kind: "throttle", service: "workspaces-web" });
  try {
    const { body } = await h.call("get_euc_inventory_summary");
    const errors = body.errors as Err[];
    assert.deepEqual(errors.map((e) => [e.code, e.operation]), [["Throttled", "ListPortals"]]);
    assert.equal(find(body.services as Row[], "WorkSpace")?.count, 1);
  } finally {
    await h.close();
  }
});

Deno.test("expired credentials everywhere: an isError result that says which login to run", async () => {
  const h = await connect(scenario().workspace("ws-ok0000001").build(), [
    "--region",
    "us-east-1",
    "--profile",
    "euc-admin",
  ]);
  h.sim.inject({ kind: "expired-token" });
  try {
    const { body, result } = await h.call("get_euc_inventory_summary");
    assert.equal(result.isError, true);
    const error = body.error as { code: string; hint: string };
    assert.equal(error.code, "ExpiredCredentials");
    assert.match(error.hint, /aws sso login --profile euc-admin/);
    assert.equal((body.errors as Err[]).length, 6);
  } finally {
    await h.close();
  }
});

Deno.test("an unreachable endpoint is EndpointUnreachable, with the rest intact", async () => {
  const h = await connect(scenario().workspace("ws-ok0000001").build());
  h.sim.inject({ kind: "unreachable", service: "workspaces-instances" });
  try {
    const { body } = await h.call("get_euc_inventory_summary");
    assert.deepEqual((body.errors as Err[]).map((e) => e.code), ["EndpointUnreachable"]);
    assert.equal(find(body.services as Row[], "WorkSpace")?.count, 1);
  } finally {
    await h.close();
  }
});

Deno.test("progress notifications arrive while a multi-region summary runs", async () => {
  const estate = scenario().workspace("ws-east00001").inRegion("eu-west-1").workspace("ws-west00001").build();
  const h = await connect(estate);
  try {
    const seen: number[] = [];
    await h.client.callTool(
      { name: "get_euc_inventory_summary", arguments: { regions: ["us-east-1", "eu-west-1"] } },
      undefined,
      {
        onprogress: (p: { progress: number }) => seen.push(p.progress),
      },
    );
    assert.equal(seen.length, 12, "6 collectors × 2 regions");
    assert.equal(seen.at(-1), 12);
  } finally {
    await h.close();
  }
});

Deno.test("cancelling a call stops it", async () => {
  const sim = (await import("../../../src/sim/mod.ts")).Simulator;
  const h = await connect(new sim(scenario().workspaces(100).build(), { latencyMs: 200 }));
  try {
    const ac = new AbortController();
    const pending = h.client.callTool({ name: "get_euc_inventory_summary", arguments: {} }, undefined, {
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(pending);
    const calls = h.sim.calls.length;
    await new Promise((r) => setTimeout(r, 400));
    assert.ok(h.sim.calls.length <= calls + 6, "no new pages are requested after cancellation");
  } finally {
    await h.close();
  }
});

Deno.test("desktops in several directories are listed per directory: each once, few extra calls", async () => {
  const b = scenario().directory("d-1111111111").directory("d-2222222222").directory("d-3333333333");
  for (const [i, dir] of ["d-1111111111", "d-2222222222", "d-3333333333"].entries()) {
    b.workspaces(30, { prefix: `dir${i}`, directory: dir });
  }
  const h = await connect(b.build());
  try {
    const { body } = await h.call("get_euc_inventory_summary");
    assert.equal(find(body.services as Row[], "WorkSpace")?.count, 90);
    assert.equal(h.sim.count("workspaces", "DescribeWorkspaceDirectories"), 1);
    assert.equal(
      h.sim.count("workspaces", "DescribeWorkspaces"),
      6,
      "2 pages per directory (minimum for one chain: 4)",
    );
  } finally {
    await h.close();
  }
});

Deno.test("without permission to list directories, desktops are still all listed in one chain", async () => {
  const b = scenario().directory("d-1111111111").directory("d-2222222222");
  b.workspaces(20, { prefix: "a", directory: "d-1111111111" }).workspaces(20, {
    prefix: "b",
    directory: "d-2222222222",
  });
  const h = await connect(b.build());
  h.sim.inject({ kind: "access-denied", operation: "DescribeWorkspaceDirectories" });
  try {
    const { body } = await h.call("get_euc_inventory_summary");
    assert.equal(find(body.services as Row[], "WorkSpace")?.count, 40);
    assert.deepEqual(body.errors, []);
    assert.equal(h.sim.count("workspaces", "DescribeWorkspaces"), 2);
  } finally {
    await h.close();
  }
});
