import assert from "node:assert/strict";
import { connect, scenario } from "../support/harness.ts";

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

Deno.test("bad input is refused before any AWS call", async () => {
  const h = await connect(scenario().workspace("ws-ok0000001").build());
  try {
    const bad = await h.call("generate_inventory_report", { services: "mainframes" });
    assert.equal(bad.result.isError, true);
    assert.equal((bad.body.error as { code: string }).code, "InvalidInput");
    assert.match((bad.body.error as { hint: string }).hint, /personal, pools, applications/);
    const region = await h.call("get_euc_inventory_summary", { region: "moon-base-1x" });
    assert.equal(region.result.isError, true);
    const cap = await h.call("generate_inventory_report", { max_resources_per_service: 0 });
    assert.equal(cap.result.isError, true);
    const typo = await h.call("generate_inventory_report", { max_resource_per_service: 5 });
    assert.equal(typo.result.isError, true, "a misspelt parameter is refused, not ignored");
    assert.match(JSON.stringify(typo.body), /max_resource_per_service/);
    const token = await h.call("generate_inventory_report", { next_token: "garbage!" });
    assert.equal(token.result.isError, true);
    assert.equal(h.sim.calls.length, 0, "no AWS call was made");
  } finally {
    await h.close();
  }
});

Deno.test("legacy names are accepted in the services filter", async () => {
  const h = await connect(scenario().workspace("ws-ok0000001").fleet("f1").portal("p1").build());
  try {
    const { body } = await h.call("generate_inventory_report", { services: "AppStream 2.0, workspaces web" });
    const types = (body.sections as Section[]).map((s) => s.resource_type).sort();
    assert.deepEqual(types, ["Fleet", "Portal", "Stack"]);
    assert.equal(h.sim.count("workspaces", "DescribeWorkspaces"), 0, "unrequested services are not listed");
  } finally {
    await h.close();
  }
});

Deno.test("the report caps sections with complete totals and pages with next_token", async () => {
  const h = await connect(scenario().workspaces(60).build());
  try {
    const first = await h.call("generate_inventory_report", { services: "personal", max_resources_per_service: 25 });
    const s1 = (first.body.sections as Section[])[0];
    assert.equal(s1.total_count, 60);
    assert.equal(s1.truncated, true);
    assert.equal(s1.resources.length, 25);
    assert.ok(first.body.next_token);
    const second = await h.call("generate_inventory_report", {
      services: "personal",
      max_resources_per_service: 25,
      next_token: first.body.next_token,
    });
    const third = await h.call("generate_inventory_report", {
      services: "personal",
      max_resources_per_service: 25,
      next_token: second.body.next_token,
    });
    const s3 = (third.body.sections as Section[])[0];
    assert.equal(s3.resources.length, 10);
    assert.equal(third.body.next_token, null);
    const ids = [first, second, third].flatMap((r) => (r.body.sections as Section[])[0].resources.map((x) => x.id));
    assert.equal(new Set(ids).size, 60, "pages do not overlap");
  } finally {
    await h.close();
  }
});

Deno.test("bundle names come from chunked lookups for the listed desktops only", async () => {
  let b = scenario();
  for (let i = 0; i < 30; i++) {
    const bundle = `wsb-${String(i).padStart(9, "0")}`;
    b = b.bundle(bundle, { name: `Bundle ${i}` }).workspace(`ws-bundle${String(i).padStart(4, "0")}`, { bundle });
  }
  const h = await connect(b.build());
  try {
    const all = await h.call("generate_inventory_report", { services: "personal", max_resources_per_service: 100 });
    assert.equal(h.sim.count("workspaces", "DescribeWorkspaceBundles"), 2, "30 bundle ids → 2 calls of at most 25");
    const rows = (all.body.sections as Section[])[0].resources;
    assert.ok(
      rows.every((r) =>
        typeof r.attributes.bundle_name === "string" && String(r.attributes.bundle_name).startsWith("Bundle ")
      ),
    );
    const before = h.sim.count("workspaces", "DescribeWorkspaceBundles");
    await h.call("generate_inventory_report", { services: "personal", max_resources_per_service: 5 });
    assert.equal(h.sim.count("workspaces", "DescribeWorkspaceBundles") - before, 1, "5 desktops listed → 1 lookup");
  } finally {
    await h.close();
  }
});

Deno.test("tags are fetched only when asked, and only for the resources returned", async () => {
  const h = await connect(scenario().workspaces(40, { tags: { CostCenter: "42" } }).build());
  try {
    await h.call("generate_inventory_report", { services: "personal", max_resources_per_service: 10 });
    assert.equal(h.sim.count("workspaces", "DescribeTags"), 0);
    const { body } = await h.call("generate_inventory_report", {
      services: "personal",
      max_resources_per_service: 10,
      include_tags: true,
    });
    assert.equal(h.sim.count("workspaces", "DescribeTags"), 10);
    assert.deepEqual((body.sections as Section[])[0].resources[0].tags, { CostCenter: "42" });
  } finally {
    await h.close();
  }
});

Deno.test("volume encryption flags are explicit booleans (absent means not encrypted)", async () => {
  const h = await connect(
    scenario().workspace("ws-enc000001", { rootEncrypted: true, userEncrypted: true }).workspace("ws-plain00001", {
      rootEncrypted: false,
      userEncrypted: false,
    }).build(),
  );
  try {
    const { body } = await h.call("generate_inventory_report", { services: "personal" });
    const byId = new Map((body.sections as Section[])[0].resources.map((r) => [r.id, r.attributes]));
    assert.equal(byId.get("ws-enc000001")?.root_volume_encrypted, true);
    assert.equal(byId.get("ws-plain00001")?.root_volume_encrypted, false);
    assert.equal(byId.get("ws-plain00001")?.user_volume_encrypted, false);
  } finally {
    await h.close();
  }
});

Deno.test("pools show CapacityStatus, stacks their fleets, Core instances their EC2 details", async () => {
  const estate = scenario()
    .pool("wspool-full00001", { desired: 10, actual: 10, active: 10, available: 0 })
    .fleet("marketing")
    .stack("marketing-stack", { fleets: ["marketing"] })
    .managedInstance("wsinst-abcdef0123", {
      ec2InstanceId: "i-0123456789abcdef0",
      instanceType: "m6i.large",
      ec2State: "running",
    })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("generate_inventory_report", {});
    const sections = body.sections as Section[];
    const pool = sections.find((s) => s.resource_type === "WorkSpacesPool")!.resources[0];
    assert.equal(pool.attributes.desired_user_sessions, 10);
    assert.equal(pool.attributes.available_user_sessions, 0);
    const stack = sections.find((s) => s.resource_type === "Stack")!.resources[0];
    assert.deepEqual(stack.attributes.associated_fleets, ["marketing"]);
    const inst = sections.find((s) => s.resource_type === "ManagedInstance")!.resources[0];
    assert.equal(inst.attributes.ec2_instance_id, "i-0123456789abcdef0");
    assert.equal(inst.attributes.ec2_instance_type, "m6i.large");
    assert.equal(inst.attributes.ec2_state, "running");
  } finally {
    await h.close();
  }
});

Deno.test("CSV export: embedded text/csv resource, also readable as a session resource, no file", async () => {
  const h = await connect(
    scenario().workspace("ws-csv000001", { user: "=cmd|' /C calc'!A0" }).workspace("ws-csv000002", {
      user: "jane, doe",
    }).build(),
  );
  try {
    const { body, result } = await h.call("export_inventory_report_csv", {});
    assert.equal(body.rows, 2);
    assert.equal(body.embedded, true);
    assert.match(String(body.resource_uri), /^euc:\/\/reports\/.+\.csv$/);
    const block = (result.content as { type: string; resource?: { uri: string; mimeType: string; text: string } }[])
      .find((c) => c.type === "resource");
    assert.equal(block?.resource?.mimeType, "text/csv");
    const csv = block!.resource!.text;
    const header = csv.split("\r\n")[0].split(",");
    assert.deepEqual(header.slice(0, 6), ["service", "resource_type", "region", "id", "name", "state"]);
    assert.ok(header.includes("root_volume_encrypted"));
    assert.match(csv, /"jane, doe"/, "commas are quoted");
    assert.match(csv, /'=cmd/, "formula injection is neutralised");
    const read = await h.client.readResource({ uri: String(body.resource_uri) });
    assert.equal((read.contents[0] as { text: string }).text, csv);
    const listed = await h.client.listResources();
    assert.ok(listed.resources.some((r: { uri: string }) => r.uri === body.resource_uri));
  } finally {
    await h.close();
  }
});

Deno.test("a large CSV is linked, not embedded, so the result stays within budget", async () => {
  const h = await connect(scenario().workspaces(600).build());
  try {
    const { body, result } = await h.call("export_inventory_report_csv", {});
    assert.equal(body.rows, 600);
    assert.equal(body.embedded, false);
    const link = (result.content as { type: string; uri?: string }[]).find((c) => c.type === "resource_link");
    assert.equal(link?.uri, body.resource_uri);
    const read = await h.client.readResource({ uri: String(body.resource_uri) });
    assert.equal((read.contents[0] as { text: string }).text.trim().split("\r\n").length, 601);
    assert.ok(JSON.stringify(result).length < 80_000);
  } finally {
    await h.close();
  }
});

Deno.test("a large report stays within the result budget and says it was trimmed", async () => {
  const h = await connect(scenario().workspaces(2000).build());
  try {
    const { body, result } = await h.call("generate_inventory_report", {
      services: "personal",
      max_resources_per_service: 2000,
    });
    const section = (body.sections as Section[])[0];
    assert.equal(section.total_count, 2000);
    assert.ok(section.resources.length < 2000);
    assert.equal(section.truncated, true);
    assert.ok(JSON.stringify(result.structuredContent).length <= 80_000);
    assert.ok((body.notes as string[]).some((n) => /budget/.test(n)));
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
  const sim = (await import("../../src/sim/mod.ts")).Simulator;
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
