import assert from "node:assert/strict";
import { connect } from "../../support/harness.ts";
import { demoEstate, Simulator } from "../../../src/sim/mod.ts";

type Section = Record<string, unknown>;

Deno.test("the health report on the demo estate has every section, headline figures and markdown", async () => {
  const h = await connect(demoEstate());
  try {
    const { body, result } = await h.call("generate_euc_health_report", {});
    assert.ok(!result.isError, JSON.stringify(body).slice(0, 500));
    const sections = body.sections as Record<string, string>;
    for (const k of Object.keys(sections)) assert.notEqual(sections[k], "not_available", k);
    assert.ok((body.total_resources as number) > 20);
    assert.ok((body.audit_warnings as number) > 0);
    assert.ok(typeof body.monthly_spend === "number" && body.monthly_spend > 0);
    assert.ok(typeof body.forecast_next_30d === "number");
    const md = body.markdown as string;
    for (const heading of ["# EUC health report", "## Executive summary", "## Inventory", "## Cost", "## Savings"]) {
      assert.ok(md.includes(heading), `markdown has ${heading}`);
    }
    const alarms = body.alarms as Section[];
    const autoscaling = alarms.filter((a) => a.likely_autoscaling === true).length;
    assert.equal(body.alarms_firing, alarms.length - autoscaling, "auto-scaling alarms are not counted as firing");
    assert.ok((body.utilization as { recommendations: unknown[] }).recommendations.length <= 10, "size guard");
  } finally {
    await h.close();
  }
});

Deno.test("without Cost Explorer access the health report keeps every other section and says what is missing", async () => {
  const sim = new Simulator(demoEstate());
  sim.inject({ kind: "access-denied", service: "ce" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("generate_euc_health_report", {});
    assert.ok(!result.isError);
    const sections = body.sections as Record<string, string>;
    assert.equal(sections.cost, "failed");
    assert.equal(sections.forecast, "failed");
    assert.equal(sections.inventory, "ok");
    assert.equal(body.monthly_spend, null);
    assert.ok((body.total_resources as number) > 20, "inventory still answered");
    assert.ok((body.audit_warnings as number) > 0, "security still answered");
    const errors = body.errors as { service: string; operation: string; code: string; hint: string }[];
    const ce = errors.find((e) => e.operation === "GetCostAndUsage");
    assert.ok(ce, JSON.stringify(errors));
    assert.equal(ce.code, "AccessDenied");
    assert.match(ce.hint, /ce:GetCostAndUsage/);
    assert.match(ce.hint, /tier1/);
    assert.match(body.markdown as string, /## Not collected/);
  } finally {
    await h.close();
  }
});

Deno.test("expired credentials everywhere: the health report is an isError result, not a report of blanks", async () => {
  const sim = new Simulator(demoEstate());
  sim.inject({ kind: "expired-token" });
  const h = await connect(sim, ["--region", "us-east-1", "--profile", "euc-admin"]);
  try {
    const { body, result } = await h.call("generate_euc_health_report", {});
    assert.equal(result.isError, true);
    const error = body.error as { code: string; message: string; hint: string };
    assert.equal(error.code, "ExpiredCredentials");
    assert.match(error.message, /No section of the health report could be collected/);
    assert.match(error.hint, /aws sso login --profile euc-admin/);
    assert.match(body.summary as string, /^ExpiredCredentials: No section/);
  } finally {
    await h.close();
  }
});

Deno.test("when the running-mode section fails the markdown never says no changes are recommended", async () => {
  const sim = new Simulator(demoEstate());
  sim.inject({ kind: "access-denied", service: "workspaces", operation: "DescribeWorkspaces" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("generate_euc_health_report", {});
    assert.ok(!result.isError, JSON.stringify(body).slice(0, 300));
    const sections = body.sections as Record<string, string>;
    assert.notEqual(sections.running_mode, "ok");
    const md = body.markdown as string;
    assert.ok(!md.includes("No running-mode changes recommended."), md);
    assert.match(md, /Running-mode recommendations could not be collected|some reads failed/);
    // The Python server's inventory fields beside ours.
    const inv = body.inventory as { total: number | null; services: unknown[]; totals: unknown[] };
    assert.deepEqual(inv.services, inv.totals);
    assert.equal(inv.total, body.total_resources);
  } finally {
    await h.close();
  }
});
