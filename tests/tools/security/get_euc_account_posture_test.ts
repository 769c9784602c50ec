import assert from "node:assert/strict";
import { Simulator } from "../../../src/sim/mod.ts";
import { connect, scenario } from "../../support/harness.ts";

type Finding = {
  severity: "critical" | "warning" | "info";
  title: string;
  detail: string;
  recommendation: string;
  resource_id: string | null;
  region?: string;
  check?: string;
};
type Err = { service: string; operation: string; region: string; code: string; message: string; hint: string };

Deno.test("account posture: BYOL settings, the 5 newest modifications, and a failed latest change is a warning", async () => {
  const mods = [400, 300, 200, 100, 50, 20].map((daysAgo) => ({ state: "COMPLETED" as const, daysAgo }));
  const estate = scenario()
    .directory("d-9067aaaaaa")
    .workspacesAccount({
      dedicatedTenancy: true,
      managementCidr: "10.192.0.0/16",
      modifications: [...mods, { state: "FAILED", daysAgo: 2, errorCode: "InvalidCidr", errorMessage: "Overlaps." }],
    })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("get_euc_account_posture");
    assert.equal(body.dedicated_tenancy_support, "ENABLED");
    assert.equal(body.dedicated_tenancy_management_cidr, "10.192.0.0/16");
    const recent = body.recent_account_modifications as { state: string; started: string; error: string | null }[];
    assert.equal(recent.length, 5);
    assert.equal(body.total_account_modifications, 7);
    assert.equal(recent[0].state, "FAILED");
    assert.equal(recent[0].error, "InvalidCidr: Overlaps.");
    assert.ok(recent[0].started > recent[1].started, "newest first");
    const findings = body.findings as Finding[];
    assert.equal(findings[0].severity, "warning");
    assert.match(findings[0].title, /latest BYOL/);
  } finally {
    await h.close();
  }
});

Deno.test("account posture: no BYOL and no failed change means no BYOL finding", async () => {
  const h = await connect(
    scenario().directory("d-9067aaaaaa").clientProperties("d-9067aaaaaa", { reconnect: false }).build(),
  );
  try {
    const { body } = await h.call("get_euc_account_posture");
    assert.equal(body.dedicated_tenancy_support, "DISABLED");
    assert.equal(body.dedicated_tenancy_management_cidr, null);
    assert.deepEqual(body.recent_account_modifications, []);
    assert.deepEqual(body.findings, []);
  } finally {
    await h.close();
  }
});

Deno.test("account posture: client properties are read 25 directories per call, and aliases are listed", async () => {
  let s = scenario();
  const ids = Array.from({ length: 30 }, (_, i) => `d-9067${String(i).padStart(6, "0")}`);
  for (const id of ids) s = s.directory(id).clientProperties(id, { reconnect: false });
  s = s.clientProperties(ids[7], { reconnect: true })
    .connectionAlias("wsca-abc123456", { connectionString: "desktops.example.com", directories: [ids[0]] });
  const h = await connect(s.build());
  try {
    const { body } = await h.call("get_euc_account_posture");
    const props = body.client_properties_by_directory as Record<string, { ReconnectEnabled: string }>;
    assert.equal(Object.keys(props).length, 30);
    assert.equal(h.sim.count("workspaces", "DescribeClientProperties"), 2);
    const sizes = h.sim.calls.filter((c) => c.operation === "DescribeClientProperties")
      .map((c) => (c.params as { ResourceIds: string[] }).ResourceIds.length).sort((a, b) => a - b);
    assert.deepEqual(sizes, [5, 25]);
    const reconnect = (body.findings as Finding[]).filter((f) => /reconnect/i.test(f.title));
    assert.equal(reconnect.length, 1);
    assert.equal(reconnect[0].resource_id, ids[7]);
    assert.deepEqual(body.connection_aliases, [{
      alias_id: "wsca-abc123456",
      connection_string: "desktops.example.com",
      state: "CREATED",
      associated_directories: [ids[0]],
    }]);
  } finally {
    await h.close();
  }
});

Deno.test("account posture: DescribeClientProperties denied leaves the rest; throttling once still answers", async () => {
  const sim = new Simulator(scenario().directory("d-9067aaaaaa").workspacesAccount({ dedicatedTenancy: true }).build());
  sim.inject({ kind: "access-denied", service: "workspaces", operation: "DescribeClientProperties" });
  sim.inject({ kind: "throttle", service: "workspaces", operation: "DescribeAccount", times: 1 });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("get_euc_account_posture");
    assert.ok(!result.isError);
    assert.equal(body.dedicated_tenancy_support, "ENABLED", "the throttled call was retried");
    assert.deepEqual(body.client_properties_by_directory, {});
    const errors = body.errors as Err[];
    assert.equal(errors.length, 1);
    assert.equal(errors[0].operation, "DescribeClientProperties");
    assert.match(errors[0].hint, /workspaces:DescribeClientProperties.*tier0-diagnostics/);
  } finally {
    await h.close();
  }
});

Deno.test("account posture: a bad region is refused before any AWS call", async () => {
  const h = await connect(scenario().directory("d-9067aaaaaa").build());
  try {
    const { result } = await h.call("get_euc_account_posture", { region: "not a region" });
    assert.equal(result.isError, true);
    const extra = await h.call("get_euc_account_posture", { regions: ["us-east-1"] });
    assert.equal(extra.result.isError, true, "this tool takes one region");
    assert.equal(h.sim.calls.length, 0);
  } finally {
    await h.close();
  }
});
