import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";

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
    // Also where the Python server puts them.
    assert.deepEqual((body.sections as Section[])[0].resources[0].attributes.tags, { CostCenter: "42" });
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
