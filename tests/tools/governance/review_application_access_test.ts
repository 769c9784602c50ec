/** review_application_access through MCP, on simulator scenarios. */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";

type Finding = { severity: string; title: string; detail: string; recommendation: string; resource_id: string | null };
type Err = { service: string; operation: string; region: string; code: string; message: string; hint: string };
type User = { user_name: string; enabled: boolean; status: string; stacks: string[] | null };

function about(findings: Finding[], pattern: RegExp): Finding[] {
  return findings.filter((f) => pattern.test(f.title));
}

function estate() {
  return scenario()
    .fleet("f1")
    .stack("sales", { fleets: ["f1"] })
    .stack("kiosk")
    .appUser("ok@example.com", { stacks: ["sales"] })
    .appUser("gone@example.com", { enabled: false, stacks: ["sales"] })
    .appUser("hacked@example.com", { status: "COMPROMISED", stacks: ["sales"] })
    .appUser("new@example.com", { status: "FORCE_CHANGE_PASSWORD", stacks: ["sales"] })
    .appUser("idle@example.com")
    .appUser("off@example.com", { enabled: false });
}

Deno.test("who can use which stack: users, their stacks and the assignment map", async () => {
  const h = await connect(estate().build());
  try {
    const { body } = await h.call("review_application_access");
    assert.equal(body.region, "us-east-1");
    assert.equal(body.user_count, 6);
    assert.equal(body.stack_count, 2);
    const users = body.users as User[];
    assert.deepEqual(users.find((u) => u.user_name === "ok@example.com")?.stacks, ["sales"]);
    assert.deepEqual(users.find((u) => u.user_name === "idle@example.com")?.stacks, []);
    assert.equal(users.find((u) => u.user_name === "gone@example.com")?.enabled, false);
    assert.deepEqual((body.stack_assignments as Record<string, string[]>).sales.sort(), [
      "gone@example.com",
      "hacked@example.com",
      "new@example.com",
      "ok@example.com",
    ]);
    assert.deepEqual(body.stack_assignment_counts, { sales: 4, kiosk: 0 });
    assert.deepEqual(body.stacks_without_assignments, ["kiosk"]);
    assert.ok((body.notes as string[]).some((n) => /SAML/.test(n) && /cannot be enumerated/.test(n)));
    assert.ok(h.sim.calls.every((c) =>
      c.operation !== "DescribeUsers" || (c.params as Record<string, unknown>)
          .AuthenticationType === "USERPOOL"
    ));
  } finally {
    await h.close();
  }
});

Deno.test("disabled-but-assigned, compromised, pending, stackless users and empty stacks are flagged", async () => {
  const h = await connect(estate().build());
  try {
    const { body } = await h.call("review_application_access");
    const f = body.findings as Finding[];
    const disabled = about(f, /disabled user still assigned/)[0];
    assert.equal(disabled.severity, "warning");
    assert.match(disabled.detail, /gone@example\.com \(sales\)/);
    assert.doesNotMatch(disabled.detail, /off@example/, "a disabled user with no stacks is fine");
    assert.equal(disabled.resource_id, "gone@example.com");
    assert.equal(about(f, /COMPROMISED/)[0].severity, "warning");
    const pending = about(f, /never completed sign-in/)[0];
    assert.equal(pending.severity, "info");
    assert.match(pending.detail, /new@example\.com \(FORCE_CHANGE_PASSWORD\)/);
    const stackless = about(f, /enabled user with no stack/)[0];
    assert.equal(stackless.severity, "info");
    assert.match(stackless.detail, /idle@example\.com/);
    assert.doesNotMatch(stackless.detail, /off@example/);
    assert.equal(about(f, /stack with no user-pool assignments/)[0].resource_id, "kiosk");
    assert.equal(f.filter((x) => /ok@example/.test(x.detail)).length, 0, "an enabled, assigned user is fine");
    assert.deepEqual(body.finding_counts, { critical: 0, warning: 2, info: 3 });
  } finally {
    await h.close();
  }
});

Deno.test("a tidy user pool gives no findings", async () => {
  const h = await connect(scenario().stack("s1").appUser("a@example.com", { stacks: ["s1"] }).build());
  try {
    const { body } = await h.call("review_application_access");
    assert.deepEqual(body.findings, []);
  } finally {
    await h.close();
  }
});

Deno.test("every page of users and associations is read; limit caps lists but not counts", async () => {
  let s = scenario().stack("big");
  for (let i = 0; i < 60; i++) s = s.appUser(`u${String(i).padStart(2, "0")}@example.com`, { stacks: ["big"] });
  const h = await connect(s.build());
  try {
    const { body } = await h.call("review_application_access", { limit: 10 });
    assert.equal(body.user_count, 60);
    assert.equal((body.users as unknown[]).length, 10);
    assert.equal((body.stack_assignments as Record<string, string[]>).big.length, 10);
    assert.deepEqual(body.stack_assignment_counts, { big: 60 });
    assert.equal(body.truncated, true);
    assert.ok(h.sim.count("appstream", "DescribeUsers") >= 3, "60 users take several pages");
    assert.ok(h.sim.count("appstream", "DescribeUserStackAssociations") >= 3);
  } finally {
    await h.close();
  }
});

Deno.test("AccessDenied on the stack associations keeps the users and invents no empty stacks", async () => {
  const sim = new Simulator(estate().build());
  sim.inject({ kind: "access-denied", service: "appstream", operation: "DescribeUserStackAssociations" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("review_application_access");
    assert.ok(!result.isError);
    assert.equal(body.user_count, 6);
    const errors = body.errors as Err[];
    assert.equal(errors.length, 2, "one per stack");
    assert.equal(errors[0].operation, "DescribeUserStackAssociations");
    assert.match(errors[0].hint, /appstream:DescribeUserStackAssociations.*tier 0/);
    assert.deepEqual(body.stacks_without_assignments, []);
    assert.equal(about(body.findings as Finding[], /stack with no user-pool/).length, 0);
    assert.equal(about(body.findings as Finding[], /COMPROMISED/).length, 1, "user findings remain");
    assert.equal(about(body.findings as Finding[], /no stack assigned/).length, 0, "unknown is not 'no stack'");
    assert.ok((body.users as User[]).every((u) => u.stacks === null));
  } finally {
    await h.close();
  }
});

Deno.test("AccessDenied on DescribeUsers still reports the stacks' assignments", async () => {
  const sim = new Simulator(estate().build());
  sim.inject({ kind: "access-denied", service: "appstream", operation: "DescribeUsers" });
  const h = await connect(sim);
  try {
    const { body } = await h.call("review_application_access");
    assert.equal(body.user_count, 0);
    assert.deepEqual(body.stack_assignment_counts, { sales: 4, kiosk: 0 });
    assert.equal((body.errors as Err[])[0].operation, "DescribeUsers");
    assert.ok((body.notes as string[]).some((n) => /Users could not be listed/.test(n)));
  } finally {
    await h.close();
  }
});

Deno.test("a throttled DescribeUsers is retried and the review still answers", async () => {
  const sim = new Simulator(estate().build());
  sim.inject({ kind: "throttle", service: "appstream", operation: "DescribeUsers", times: 1 });
  const h = await connect(sim);
  try {
    const { body } = await h.call("review_application_access");
    assert.equal(body.user_count, 6);
    assert.deepEqual(body.errors, []);
  } finally {
    await h.close();
  }
});

Deno.test("invalid access-review input is refused before any AWS call", async () => {
  const h = await connect(estate().build());
  try {
    for (const args of [{ limit: 0 }, { region: "nowhere" }, { regions: ["us-east-1"] }]) {
      const { result } = await h.call("review_application_access", args);
      assert.ok(result.isError, JSON.stringify(args));
    }
    assert.equal(h.sim.calls.length, 0);
  } finally {
    await h.close();
  }
});
