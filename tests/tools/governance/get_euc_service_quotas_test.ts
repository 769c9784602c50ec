/** get_euc_service_quotas through MCP, on simulator scenarios. */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";

type Finding = { severity: string; title: string; detail: string; recommendation: string; resource_id: string | null };
type Err = {
  service: string;
  api: string;
  operation: string;
  region: string;
  code: string;
  message: string;
  hint: string;
};
type Quota = {
  region: string;
  service: string;
  service_code: string;
  quota_code: string;
  quota_name: string;
  value: number;
  adjustable: boolean;
  usage: number | null;
  utilization_pct: number | null;
  usage_metric: string | null;
};

function quota(body: Record<string, unknown>, name: string, code?: string, region = "us-east-1"): Quota | undefined {
  return (body.quotas as Quota[]).find((q) =>
    q.quota_name === name && q.region === region && (code === undefined || q.service_code === code)
  );
}

/** 9 desktops against a limit of 10 (90%), 2 of 3 user-pool users (66.7%), 2 of 2 portals, not adjustable (100%). */
function nearLimits() {
  return scenario()
    .workspaces(9)
    .appUser("a@example.com").appUser("b@example.com")
    .portal("p1").portal("p2")
    .serviceQuota("workspaces", "WorkSpaces", { value: 10 })
    .serviceQuota("appstream2", "Users in the user pool", { value: 3 })
    .serviceQuota("workspaces-web", "Number of Web Portals", { value: 2, adjustable: false });
}

Deno.test("quotas near their limit are flagged, sorted by utilization, with the way to raise them", async () => {
  const h = await connect(nearLimits().build());
  try {
    const { body } = await h.call("get_euc_service_quotas");
    const ws = quota(body, "WorkSpaces")!;
    assert.equal(ws.usage, 9);
    assert.equal(ws.utilization_pct, 90);
    assert.equal(ws.service, "Amazon WorkSpaces Personal");
    assert.match(ws.usage_metric!, /^AWS\/Usage\/ResourceCount \{/);
    assert.equal(quota(body, "Users in the user pool")!.utilization_pct, 66.7, "rounded to 0.1");
    const rows = body.quotas as Quota[];
    const pcts = rows.map((q) => q.utilization_pct ?? -1);
    assert.deepEqual(pcts, [...pcts].sort((a, b) => b - a), "highest utilization first");
    assert.equal(rows[0].quota_name, "Number of Web Portals");
    const f = body.findings as Finding[];
    assert.equal(f.length, 2, "66.7% is below the default 80%");
    const portals = f.find((x) => /Portals/.test(x.title))!;
    assert.equal(portals.severity, "critical", "at 100% new portals are refused");
    assert.match(portals.title, /NOT adjustable/);
    assert.match(portals.recommendation, /NOT adjustable/);
    const desktops = f.find((x) => /WorkSpaces \(/.test(x.title))!;
    assert.equal(desktops.severity, "warning");
    assert.match(desktops.title, /90%/);
    assert.match(desktops.recommendation, /request-service-quota-increase --service-code workspaces --quota-code L-/);
    assert.doesNotMatch(desktops.title, /NOT adjustable/);
    assert.deepEqual(body.finding_counts, { critical: 1, warning: 1, info: 0 });
  } finally {
    await h.close();
  }
});

Deno.test("approaching_pct moves the threshold", async () => {
  const h = await connect(nearLimits().build());
  try {
    const high = await h.call("get_euc_service_quotas", { approaching_pct: 95 });
    assert.deepEqual((high.body.findings as Finding[]).map((f) => /Portals/.test(f.title)), [true]);
    const low = await h.call("get_euc_service_quotas", { approaching_pct: 60 });
    assert.equal((low.body.findings as Finding[]).length, 3);
  } finally {
    await h.close();
  }
});

Deno.test("all quotas' usage is read in one batched GetMetricData per region, never one per quota", async () => {
  const h = await connect(nearLimits().inRegion("eu-west-1").workspaces(2).build());
  try {
    const { body } = await h.call("get_euc_service_quotas", { regions: ["us-east-1", "eu-west-1"] });
    assert.equal(h.sim.count("monitoring", "GetMetricData"), 2);
    assert.equal(h.sim.count("servicequotas", "ListServiceQuotas"), 8, "4 service codes × 2 regions");
    const queries = h.sim.calls.filter((c) => c.operation === "GetMetricData")
      .map((c) =>
        (c.params as { MetricDataQueries: { MetricStat: { Period: number; Stat: string } }[] }).MetricDataQueries
      );
    assert.ok(queries.every((q) => q.length > 5), "every measurable quota in one request");
    assert.ok(queries.flat().every((q) => q.MetricStat.Period === 86400 && q.MetricStat.Stat === "Maximum"));
    assert.equal(quota(body, "WorkSpaces", "workspaces", "eu-west-1")?.usage, 2, "each item says its region");
    assert.ok((body.quotas as Quota[]).every((q) => q.region === "us-east-1" || q.region === "eu-west-1"));
  } finally {
    await h.close();
  }
});

Deno.test("zero limits are hidden unless asked for; quotas without a usage metric show null usage", async () => {
  const h = await connect(scenario().build());
  try {
    const { body } = await h.call("get_euc_service_quotas", { service: "workspaces" });
    assert.equal(quota(body, "GraphicsPro.g4dn WorkSpaces"), undefined);
    assert.equal(body.hidden_zero_limit, 1);
    assert.ok((body.notes as string[]).some((n) => /limit of 0 hidden/.test(n)));
    const ip = quota(body, "IP access control groups")!;
    assert.equal(ip.usage, null);
    assert.equal(ip.utilization_pct, null);
    const all = await h.call("get_euc_service_quotas", { service: "workspaces", include_zero_limit: true });
    const gpu = quota(all.body, "GraphicsPro.g4dn WorkSpaces")!;
    assert.equal(gpu.value, 0);
    assert.equal(gpu.utilization_pct, null);
    assert.equal(all.body.hidden_zero_limit, 0);
  } finally {
    await h.close();
  }
});

Deno.test("service accepts current names and legacy aliases and asks only for that service code", async () => {
  const h = await connect(scenario().build());
  try {
    for (
      const [service, code] of [
        ["AppStream 2.0", "appstream2"],
        ["applications", "appstream2"],
        ["workspaces web", "workspaces-web"],
        ["Secure Browser", "workspaces-web"],
        ["pools", "workspaces"],
        ["core", "workspaces-instances"],
      ]
    ) {
      const before = h.sim.calls.length;
      const { body } = await h.call("get_euc_service_quotas", { service });
      assert.equal(body.service, code, service);
      const asked = h.sim.calls.slice(before).filter((c) => c.operation === "ListServiceQuotas")
        .map((c) => (c.params as { ServiceCode: string }).ServiceCode);
      assert.deepEqual(asked, [code], service);
    }
    const { body } = await h.call("get_euc_service_quotas", { service: "applications, core" });
    assert.equal(body.service, "appstream2,workspaces-instances");
  } finally {
    await h.close();
  }
});

Deno.test("a service Service Quotas does not know in a region is a note, not an error", async () => {
  const h = await connect(scenario().noServiceQuotas("workspaces-instances").build());
  try {
    const { body } = await h.call("get_euc_service_quotas");
    assert.deepEqual(body.errors, []);
    assert.ok((body.notes as string[]).some((n) => /no quotas for workspaces-instances in us-east-1/.test(n)));
    assert.ok((body.quotas as Quota[]).length > 0);
  } finally {
    await h.close();
  }
});

Deno.test("AccessDenied on GetMetricData keeps the quotas, without usage, and names the action and tier", async () => {
  const sim = new Simulator(nearLimits().build());
  sim.inject({ kind: "access-denied", service: "monitoring", operation: "GetMetricData" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("get_euc_service_quotas");
    assert.ok(!result.isError);
    assert.ok((body.quotas as Quota[]).length > 10);
    assert.ok((body.quotas as Quota[]).every((q) => q.usage === null));
    const err = (body.errors as Err[])[0];
    assert.equal(err.api, "cloudwatch");
    assert.equal(err.service, "Amazon CloudWatch");
    assert.equal(err.operation, "GetMetricData");
    assert.match(err.hint, /cloudwatch:GetMetricData.*tier0-diagnostics\.json \(IAM tier 0/);
  } finally {
    await h.close();
  }
});

Deno.test("AccessDenied on one ListServiceQuotas leaves the other services answered", async () => {
  const sim = new Simulator(nearLimits().build());
  sim.inject({ kind: "access-denied", service: "servicequotas", operation: "ListServiceQuotas", times: 1 });
  const h = await connect(sim);
  try {
    const { body } = await h.call("get_euc_service_quotas");
    const errors = body.errors as Err[];
    assert.equal(errors.length, 1);
    assert.match(errors[0].hint, /servicequotas:ListServiceQuotas/);
    assert.equal(new Set((body.quotas as Quota[]).map((q) => q.service_code)).size, 3);
  } finally {
    await h.close();
  }
});

Deno.test("a throttled ListServiceQuotas is retried and the quotas still come back", async () => {
  const sim = new Simulator(nearLimits().build());
  sim.inject({ kind: "throttle", service: "servicequotas", operation: "ListServiceQuotas", times: 1 });
  const h = await connect(sim);
  try {
    const { body } = await h.call("get_euc_service_quotas", { service: "workspaces" });
    assert.deepEqual(body.errors, []);
    assert.equal(quota(body, "WorkSpaces")?.utilization_pct, 90);
  } finally {
    await h.close();
  }
});

Deno.test("invalid quota input is refused before any AWS call", async () => {
  const h = await connect(scenario().build());
  try {
    for (
      const args of [
        { approaching_pct: 0 },
        { approaching_pct: 101 },
        { service: "route53" },
        { service: "" + "x".repeat(300) },
        { include_zero_limit: "yes" },
      ]
    ) {
      const { body, result } = await h.call("get_euc_service_quotas", args);
      assert.ok(result.isError, JSON.stringify(args));
      if (args.service === "route53") assert.equal((body.error as { code: string }).code, "InvalidInput");
    }
    assert.equal(h.sim.calls.length, 0);
  } finally {
    await h.close();
  }
});

Deno.test("a quota exactly at approaching_pct is flagged; just below it is not; exactly 100% is critical", async () => {
  const h = await connect(nearLimits().build());
  try {
    // WorkSpaces is at exactly 90% (9 of 10).
    const at = await h.call("get_euc_service_quotas", { approaching_pct: 90 });
    assert.ok((at.body.findings as Finding[]).some((f) => /WorkSpaces \(/.test(f.title)), "90% at a 90% threshold");
    const above = await h.call("get_euc_service_quotas", { approaching_pct: 90.1 });
    assert.ok(!(above.body.findings as Finding[]).some((f) => /WorkSpaces \(/.test(f.title)), "90% under 90.1%");
    const portals = (at.body.findings as Finding[]).find((f) => /Portals/.test(f.title))!;
    assert.equal(portals.severity, "critical", "exactly 100% is full");
    assert.equal((at.body.findings as Finding[]).find((f) => /WorkSpaces \(/.test(f.title))!.severity, "warning");
  } finally {
    await h.close();
  }
});
