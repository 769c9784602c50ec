/** The write gates as an administrator meets them, through a real MCP client on the simulator. */
import assert from "node:assert/strict";
import { DEMO, demoEstate } from "../../../src/sim/mod.ts";
import { failNextWrite } from "../../../src/sim/services/transitions.ts";
import { TOKEN_CLOCK } from "../../../src/safety/mod.ts";
import { SAMPLE_ARGS } from "../../support/sample_args.ts";
import { ALL_WRITES, connectWrites, planThenRun, scenario } from "./_support.ts";

const WRITE_TOOLS = [
  "start_workspaces",
  "stop_workspaces",
  "reboot_workspaces",
  "modify_workspace_running_mode",
  "start_workspaces_pool",
  "stop_workspaces_pool",
  "update_workspaces_pool_capacity",
  "start_application_fleet",
  "stop_application_fleet",
  "update_application_fleet_capacity",
  "terminate_workspaces",
  "rebuild_workspaces",
  "restore_workspace",
];

Deno.test("write tools are registered only with the flags: 30 / 40 / 43", async () => {
  for (
    const [flags, n] of [[[], 30], [["--enable-writes"], 40], [
      ["--enable-writes", "--enable-destructive"],
      43,
    ]] as const
  ) {
    const h = await connectWrites(scenario().build(), { flags: ["--region", "us-east-1", ...flags] });
    const names = (await h.client.listTools()).tools.map((t: { name: string }) => t.name);
    assert.equal(names.length, n, `flags ${flags.join(" ")}`);
    assert.equal(names.filter((x: string) => WRITE_TOOLS.includes(x)).length, n - 30);
    await h.close();
  }
});

Deno.test("every write tool's dry run on the demo estate makes zero mutating calls and returns a token", async () => {
  const h = await connectWrites(demoEstate());
  for (const tool of WRITE_TOOLS) {
    const body = await h.call(tool, SAMPLE_ARGS[tool]);
    assert.equal(body.dry_run, true, tool);
    assert.equal(typeof body.plan_token, "string", tool);
    assert.match(String(body.plan), /^Would /, tool);
  }
  assert.deepEqual(h.mutations(), []);
  await h.close();
});

Deno.test("desktop verdicts follow the documented state rules for every state", async () => {
  const states = [
    "AVAILABLE",
    "STOPPED",
    "IMPAIRED",
    "UNHEALTHY",
    "ERROR",
    "REBOOTING",
    "SUSPENDED",
    "PENDING",
    "MAINTENANCE",
  ];
  const sc = scenario();
  states.forEach((s, i) => sc.workspace(`ws-st${i}000000`, { state: s as never, runningMode: "AUTO_STOP" }));
  sc.workspace("ws-alwayson01", { state: "AVAILABLE", runningMode: "ALWAYS_ON" });
  sc.workspace("ws-nosnap001", { state: "AVAILABLE", snapshots: { restore: [], rebuild: [] } });
  const h = await connectWrites(sc.build());
  const ids = [...states.map((_, i) => `ws-st${i}000000`), "ws-alwayson01", "ws-nosnap001", "ws-missing01"];
  const verdicts = async (tool: string) => {
    const b = await h.call(tool, { workspace_ids: ids });
    return Object.fromEntries(b.results.map((r) => [r.target_id, r.verdict]));
  };
  const v = (m: Record<string, string>, state: string) => m[`ws-st${states.indexOf(state)}000000`];
  const start = await verdicts("start_workspaces");
  assert.equal(v(start, "STOPPED"), "will_change");
  assert.equal(v(start, "AVAILABLE"), "already_done");
  assert.equal(v(start, "ERROR"), "wrong_state");
  assert.equal(start["ws-missing01"], "not_found");
  const stop = await verdicts("stop_workspaces");
  for (const s of ["AVAILABLE", "IMPAIRED", "UNHEALTHY", "ERROR"]) assert.equal(v(stop, s), "will_change", s);
  assert.equal(v(stop, "STOPPED"), "already_done");
  assert.equal(v(stop, "SUSPENDED"), "wrong_state");
  assert.equal(stop["ws-alwayson01"], "wrong_running_mode");
  assert.equal(start["ws-alwayson01"], "already_done");
  const reboot = await verdicts("reboot_workspaces");
  assert.equal(v(reboot, "UNHEALTHY"), "will_change");
  assert.equal(v(reboot, "REBOOTING"), "warn_api_may_reject");
  assert.equal(v(reboot, "STOPPED"), "wrong_state");
  assert.equal(v(reboot, "IMPAIRED"), "wrong_state");
  const term = await verdicts("terminate_workspaces");
  assert.equal(v(term, "SUSPENDED"), "wrong_state");
  assert.equal(v(term, "ERROR"), "will_change");
  const rebuild = await verdicts("rebuild_workspaces");
  assert.equal(v(rebuild, "REBOOTING"), "will_change");
  assert.equal(v(rebuild, "SUSPENDED"), "wrong_state");
  assert.equal(rebuild["ws-nosnap001"], "wrong_state");
  const restore = await h.call("restore_workspace", { workspace_id: "ws-nosnap001" });
  assert.equal(restore.results[0].verdict, "wrong_state");
  assert.match((restore.notes as string[]).join(" "), /no restore snapshot found/);
  const mode = await h.call("modify_workspace_running_mode", {
    workspace_id: "ws-alwayson01",
    running_mode: "always_on",
  });
  assert.equal(mode.results[0].verdict, "already_done");
  const manual = await h.call("modify_workspace_running_mode", {
    workspace_id: "ws-alwayson01",
    running_mode: "MANUAL",
  });
  assert.equal(manual.refusal, "invalid_input");
  assert.match(String(manual.plan), /Invalid running mode 'MANUAL'; use \['ALWAYS_ON', 'AUTO_STOP'\]/);
  assert.deepEqual(h.mutations(), []);
  await h.close();
});

Deno.test("pool and fleet verdicts: states, Elastic and multi-session capacity, active sessions", async () => {
  const h = await connectWrites(
    scenario().pool("wspool-run000001", { state: "RUNNING", desired: 10, active: 4 })
      .pool("wspool-stp000001", { state: "STOPPED" })
      .pool("wspool-upd000001", { state: "UPDATING" })
      .fleet("single", { state: "RUNNING", desired: 2 })
      .fleet("multi", { state: "RUNNING", desired: 2, maxSessionsPerInstance: 5 })
      .fleet("elastic", { fleetType: "ELASTIC" })
      .fleet("parked", { state: "STOPPED" }).build(),
  );
  const one = async (tool: string, args: Record<string, unknown>) => (await h.call(tool, args)).results[0];
  assert.equal((await one("start_workspaces_pool", { pool_id: "wspool-stp000001" })).verdict, "will_change");
  assert.equal((await one("start_workspaces_pool", { pool_id: "wspool-run000001" })).verdict, "already_done");
  const stop = await h.call("stop_workspaces_pool", { pool_id: "wspool-run000001" });
  assert.equal(stop.results[0].verdict, "will_change");
  assert.match((stop.notes as string[]).join(" "), /4 active user session/);
  assert.equal((await one("stop_workspaces_pool", { pool_id: "wspool-upd000001" })).verdict, "wrong_state");
  assert.equal(
    (await one("update_workspaces_pool_capacity", { pool_id: "wspool-upd000001", desired_user_sessions: 3 })).verdict,
    "warn_api_may_reject",
  );
  assert.equal(
    (await one("update_workspaces_pool_capacity", { pool_id: "wspool-run000001", desired_user_sessions: 10 })).verdict,
    "already_done",
  );
  assert.equal((await one("start_application_fleet", { fleet_name: "parked" })).verdict, "will_change");
  assert.equal((await one("stop_application_fleet", { fleet_name: "parked" })).verdict, "already_done");
  assert.equal((await one("start_application_fleet", { fleet_name: "nope" })).verdict, "not_found");
  const cap = "update_application_fleet_capacity";
  assert.equal((await one(cap, { fleet_name: "elastic", desired_instances: 3 })).verdict, "unsupported");
  assert.equal((await one(cap, { fleet_name: "multi", desired_instances: 3 })).verdict, "unsupported");
  assert.equal((await one(cap, { fleet_name: "multi", desired_sessions: 20 })).verdict, "will_change");
  assert.equal((await one(cap, { fleet_name: "single", desired_sessions: 20 })).verdict, "unsupported");
  const neg = await h.call(cap, { fleet_name: "single", desired_instances: -1, confirm: true });
  assert.equal(neg.plan, "Invalid capacity: desired_instances must be >= 0.");
  assert.deepEqual(h.mutations(), []);
  const run = await planThenRun(h, cap, { fleet_name: "multi", desired_sessions: 20 });
  assert.equal(run.results[0].status, "ok");
  assert.deepEqual(h.mutations()[0].params, { Name: "multi", ComputeCapacity: { DesiredSessions: 20 } });
  await h.close();
});

Deno.test("60 ids → 3 StartWorkspaces calls (25+25+10); 3 rebuild ids → 3 calls; duplicates collapsed", async () => {
  const sc = scenario();
  const ids = Array.from({ length: 60 }, (_, i) => `ws-bulk${String(i).padStart(4, "0")}`);
  for (const id of ids) sc.workspace(id, { state: "STOPPED" });
  for (const id of ["ws-rb000001", "ws-rb000002", "ws-rb000003"]) sc.workspace(id, { state: "AVAILABLE" });
  const h = await connectWrites(sc.build(), { flags: [...ALL_WRITES, "--max-bulk-targets", "100"] });
  const out = await h.call("start_workspaces", { workspace_ids: [...ids, ids[0], ids[1]], confirm: true });
  assert.equal((out.requested_targets as string[]).length, 60);
  assert.match((out.notes as string[])[0], /2 duplicate id\(s\) collapsed/);
  const sizes = h.mutations().map((m) =>
    (m.params as { StartWorkspaceRequests: unknown[] }).StartWorkspaceRequests.length
  );
  assert.deepEqual(sizes, [25, 25, 10]);
  assert.equal(out.results.filter((r) => r.status === "ok").length, 60);
  const before = h.sim.calls.length;
  const rb = await planThenRun(h, "rebuild_workspaces", {
    workspace_ids: ["ws-rb000001", "ws-rb000002", "ws-rb000003"],
  }, {
    acknowledge: "REBUILD",
  });
  assert.equal(rb.results.filter((r) => r.status === "ok").length, 3, JSON.stringify(rb).slice(0, 400));
  const rebuilds = h.mutations(before);
  assert.equal(rebuilds.length, 3);
  for (const m of rebuilds) {
    assert.equal((m.params as { RebuildWorkspaceRequests: unknown[] }).RebuildWorkspaceRequests.length, 1);
  }
  await h.close();
});

Deno.test("the cap is checked before the phrase; wrong or lower-case phrases are refused; nothing changes", async () => {
  const sc = scenario();
  for (let i = 0; i < 4; i++) sc.workspace(`ws-cap0000${i}`, { state: "AVAILABLE" });
  const h = await connectWrites(sc.build(), { flags: [...ALL_WRITES, "--max-bulk-targets", "3"] });
  const ids = [0, 1, 2, 3].map((i) => `ws-cap0000${i}`);
  const capped = await h.call("terminate_workspaces", { workspace_ids: ids, confirm: true, acknowledge: "nope" });
  assert.equal(capped.refusal, "blast_radius");
  assert.equal(capped.plan, "Refused: 4 targets exceed the blast-radius cap of 3.");
  assert.equal(capped.blast_radius_ok, false);
  const lifecycle = await h.call("stop_workspaces", { workspace_ids: ids, confirm: true });
  assert.match(String(lifecycle.plan), /Re-run with fewer targets or raise --max-bulk-targets/);
  for (const phrase of ["terminate", "TERMINATE!", "", "REBUILD"]) {
    const plan = await h.call("terminate_workspaces", { workspace_ids: ids.slice(0, 1) });
    const out = await h.call("terminate_workspaces", {
      workspace_ids: ids.slice(0, 1),
      confirm: true,
      acknowledge: phrase,
      plan_token: plan.plan_token,
    });
    assert.equal(out.refusal, "acknowledgement", phrase);
    assert.equal(out.acknowledgement_required, "TERMINATE");
    assert.equal(out.dry_run, false);
  }
  const raw = await h.raw("terminate_workspaces", { workspace_ids: ids.slice(0, 1), confirm: true, acknowledge: "x" });
  assert.equal(raw.isError, undefined, "a refusal is a normal answer, not an error");
  assert.deepEqual(h.mutations(), []);
  const padded = await planThenRun(h, "terminate_workspaces", { workspace_ids: ids.slice(0, 1) }, {
    acknowledge: "  TERMINATE ",
  });
  assert.equal(padded.results[0].status, "ok", "surrounding blanks are tolerated");
  await h.close();
});

Deno.test("missing, expired, altered, reused and other-target tokens are refused with a fresh plan and token", async () => {
  const h = await connectWrites(
    scenario().workspace("ws-tok000001", { state: "AVAILABLE" }).workspace("ws-tok000002", { state: "AVAILABLE" })
      .build(),
  );
  const args = { workspace_ids: ["ws-tok000001"] };
  const run = (token: unknown) =>
    h.call("terminate_workspaces", { ...args, confirm: true, acknowledge: "TERMINATE", plan_token: token });
  const expectRefused = async (token: unknown, why: RegExp, verdict = "will_change") => {
    const out = await run(token);
    assert.equal(out.refusal, "plan_token", String(token));
    assert.match(String(out.plan), why);
    assert.equal(typeof out.plan_token, "string");
    assert.notEqual(out.plan_token, token);
    assert.equal(out.results[0].verdict, verdict, "the fresh plan is in the answer");
  };
  await expectRefused(undefined, /no plan_token/);
  const tok = String((await h.call("terminate_workspaces", args)).plan_token);
  const [v, body, mac] = tok.split(".");
  await expectRefused(`${v}.${body}.${mac.slice(0, -2)}${mac.endsWith("A") ? "BB" : "AA"}`, /signature/);
  const forged = btoa(
    atob(body.replaceAll("-", "+").replaceAll("_", "/") + "==".slice(0, (4 - body.length % 4) % 4))
      .replace("ws-tok000001", "ws-tok000002"),
  ).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  await expectRefused(`${v}.${forged}.${mac}`, /signature/);
  const other = String((await h.call("terminate_workspaces", { workspace_ids: ["ws-tok000002"] })).plan_token);
  await expectRefused(other, /different tool, region, target set/);
  const otherTool = String((await h.call("stop_workspaces", args)).plan_token);
  await expectRefused(otherTool, /different tool/);
  const real = TOKEN_CLOCK.now;
  TOKEN_CLOCK.now = () => real() + 11 * 60_000;
  try {
    await expectRefused(tok, /expired/);
  } finally {
    TOKEN_CLOCK.now = real;
  }
  assert.deepEqual(h.mutations(), []);
  const ok = await run(tok);
  assert.equal(ok.results[0].status, "ok");
  await expectRefused(tok, /already used/, "already_done");
  assert.equal(h.mutations().length, 1);
  await h.close();
});

Deno.test("--require-plan-token extends the token rule to tier-2 writes", async () => {
  const h = await connectWrites(scenario().workspace("ws-req000001", { state: "AVAILABLE" }).build(), {
    flags: [...ALL_WRITES, "--require-plan-token"],
  });
  const bare = await h.call("stop_workspaces", { workspace_ids: ["ws-req000001"], confirm: true });
  assert.equal(bare.refusal, "plan_token");
  assert.deepEqual(h.mutations(), []);
  const ok = await planThenRun(h, "stop_workspaces", { workspace_ids: ["ws-req000001"] });
  assert.equal(ok.results[0].status, "ok");
  assert.equal(ok.confirmation, "token");
  await h.close();
});

Deno.test("the protected tag is skipped in the plan and when added between plan and execution", async () => {
  const estate = scenario().workspace("ws-prot00001", { state: "AVAILABLE", tags: { "euc-mcp:protected": "TRUE" } })
    .workspace("ws-prot00002", { state: "AVAILABLE" }).workspace("ws-prot00003", { state: "AVAILABLE" }).build();
  const h = await connectWrites(estate, {
    elicit: () => {
      // The tag appears while the human is looking at the form.
      estate.region("us-east-1").tags.set("ws-prot00002", [{ Key: "euc-mcp:protected", Value: "true" }]);
      return { action: "accept", content: { confirm: true } };
    },
  });
  const out = await h.call("stop_workspaces", {
    workspace_ids: ["ws-prot00001", "ws-prot00002", "ws-prot00003"],
    confirm: true,
  });
  const by = Object.fromEntries(out.results.map((r) => [r.target_id, r]));
  assert.equal(by["ws-prot00001"].verdict, "protected");
  assert.equal(by["ws-prot00002"].verdict, "protected");
  assert.equal(by["ws-prot00002"].status, "skipped");
  assert.equal(by["ws-prot00003"].status, "ok");
  const sent = h.mutations().flatMap((m) =>
    (m.params as { StopWorkspaceRequests: { WorkspaceId: string }[] }).StopWorkspaceRequests
  );
  assert.deepEqual(sent.map((r) => r.WorkspaceId), ["ws-prot00003"]);
  await h.close();
});

Deno.test("FailedRequests map per target with AWS's ErrorCode; AccessDenied names the tier-2 action", async () => {
  const estate = scenario().workspace("ws-fail00001", { state: "AVAILABLE" }).workspace("ws-fail00002", {
    state: "AVAILABLE",
  })
    .build();
  const h = await connectWrites(estate);
  failNextWrite(estate.region("us-east-1"), "ws-fail00001", "ResourceLimitExceeded.Core", "Quota hit.");
  const out = await h.call("stop_workspaces", { workspace_ids: ["ws-fail00001", "ws-fail00002"], confirm: true });
  const by = Object.fromEntries(out.results.map((r) => [r.target_id, r]));
  assert.equal(by["ws-fail00001"].status, "error");
  assert.equal(by["ws-fail00001"].error_code, "ResourceLimitExceeded.Core");
  assert.match(by["ws-fail00001"].message, /Quota hit/);
  assert.equal(by["ws-fail00002"].status, "ok");
  assert.ok(by["ws-fail00002"].aws_request_id);
  h.sim.inject({ kind: "access-denied", operation: "StartWorkspaces" });
  await new Promise((r) => setTimeout(r, 80));
  const denied = await h.call("start_workspaces", { workspace_ids: ["ws-fail00002"], confirm: true });
  assert.equal(denied.results[0].status, "error");
  assert.equal(denied.results[0].error_code, "AccessDeniedException");
  const err = (denied.errors as { code: string; hint: string }[])[0];
  assert.equal(err.code, "AccessDenied");
  assert.match(err.hint, /workspaces:StartWorkspaces: it is in iam\/tier2-lifecycle\.json \(IAM tier 2/);
  await h.close();
});

Deno.test("a throttled chunk does not stop the other chunks", async () => {
  const sc = scenario();
  const ids = Array.from({ length: 30 }, (_, i) => `ws-thr${String(i).padStart(5, "0")}`);
  for (const id of ids) sc.workspace(id, { state: "AVAILABLE" });
  const h = await connectWrites(sc.build(), { flags: [...ALL_WRITES, "--max-bulk-targets", "30"] });
  h.sim.inject({ kind: "throttle", operation: "StopWorkspaces", times: 1 });
  const out = await h.call("stop_workspaces", { workspace_ids: ids, confirm: true });
  assert.equal(out.results.filter((r) => r.status === "error").length, 25);
  assert.equal(out.results.filter((r) => r.status === "ok").length, 5);
  assert.equal((out.errors as { code: string }[])[0].code, "Throttled");
  await h.close();
});

Deno.test("elicitation: accept executes; accept unticked, wrong phrase, decline, cancel, timeout, malformed change nothing", async () => {
  const { GATE_TIMING } = await import("../../../src/safety/mod.ts");
  const cases: [string, () => unknown, string][] = [
    ["accept", () => ({ action: "accept", content: { confirm: true, phrase: "TERMINATE" } }), "elicitation_accepted"],
    [
      "unticked",
      () => ({ action: "accept", content: { confirm: false, phrase: "TERMINATE" } }),
      "elicitation_declined",
    ],
    ["phrase", () => ({ action: "accept", content: { confirm: true, phrase: "terminate" } }), "elicitation_declined"],
    ["decline", () => ({ action: "decline" }), "elicitation_declined"],
    ["cancel", () => ({ action: "cancel" }), "elicitation_cancelled"],
    ["timeout", () => new Promise(() => {}), "elicitation_unavailable"],
    ["malformed", () => ({ action: "accept", content: { confirm: "yes" } }), "elicitation_unavailable"],
  ];
  GATE_TIMING.elicitTimeoutMs = 150;
  try {
    for (const [label, answer, confirmation] of cases) {
      const h = await connectWrites(scenario().workspace("ws-eli000001", { state: "AVAILABLE" }).build(), {
        elicit: answer as never,
      });
      const out = await planThenRun(h, "terminate_workspaces", { workspace_ids: ["ws-eli000001"] }, {
        acknowledge: "TERMINATE",
      });
      assert.equal(h.asked.length, 1, label);
      const asked = h.asked[0] as { message: string; requestedSchema: { properties: Record<string, unknown> } };
      assert.match(asked.message, /terminate_workspaces in us-east-1: 1 WorkSpace\(s\) will change/);
      assert.match(asked.message, /ws-eli000001: AVAILABLE → ABSENT/);
      assert.ok(asked.requestedSchema.properties.phrase, "destructive forms ask for the phrase");
      assert.equal(out.confirmation, confirmation, label);
      assert.equal(h.mutations().length, label === "accept" ? 1 : 0, label);
      if (label !== "accept") {
        assert.equal(out.refusal, "not_confirmed");
        assert.equal(typeof out.plan_token, "string");
      }
      await h.close();
    }
  } finally {
    GATE_TIMING.elicitTimeoutMs = 300_000;
  }
  // No capability: no elicitation/create is sent; the token + phrase path applies.
  const h = await connectWrites(scenario().workspace("ws-eli000002", { state: "AVAILABLE" }).build());
  const out = await planThenRun(h, "terminate_workspaces", { workspace_ids: ["ws-eli000002"] }, {
    acknowledge: "TERMINATE",
  });
  assert.equal(out.confirmation, "token");
  assert.equal(h.asked.length, 0);
  assert.equal(h.mutations().length, 1);
  await h.close();
});

Deno.test("one audit line per executed mutation, with request ids and client, and no secret", async () => {
  const h = await connectWrites(
    scenario().workspace("ws-aud000001", { state: "AVAILABLE", tags: { Owner: "tag-value-secret" } }).build(),
  );
  const plan = await h.call("terminate_workspaces", { workspace_ids: ["ws-aud000001"] });
  await h.call("terminate_workspaces", { workspace_ids: ["ws-aud000001"], confirm: true, acknowledge: "nope" });
  assert.equal(h.audits().length, 0, "no audit line without a mutation");
  const out = await h.call("terminate_workspaces", {
    workspace_ids: ["ws-aud000001"],
    confirm: true,
    acknowledge: "TERMINATE",
    plan_token: plan.plan_token,
  });
  const audits = h.audits();
  assert.equal(audits.length, 1);
  const a = audits[0];
  assert.equal(a.tool, "terminate_workspaces");
  assert.deepEqual(a.executed, ["ws-aud000001"]);
  assert.equal(a.confirmation, "token");
  assert.deepEqual(a.client, { name: "writes-test", version: "1.2.3" });
  assert.deepEqual(a.aws_request_ids, [out.results[0].aws_request_id]);
  assert.match(String(a.plan_id), /^[0-9a-f]{8}$/);
  const all = h.log.join("\n");
  for (const secret of [String(plan.plan_token), "writes-secret-value", "AKIDWRITESTEST", "tag-value-secret"]) {
    assert.ok(!all.includes(secret), `the log holds ${secret.slice(0, 12)}…`);
  }
  await h.close();
});

Deno.test("wait_seconds verifies the end state; terminate is verified by the id's absence", async () => {
  const h = await connectWrites(
    scenario().workspace("ws-wait00001", { state: "STOPPED" }).workspace("ws-wait00002", { state: "AVAILABLE" })
      .fleet("wait-fleet", { state: "STOPPED" }).build(),
  );
  const start = await h.call("start_workspaces", { workspace_ids: ["ws-wait00001"], confirm: true, wait_seconds: 5 });
  assert.equal(start.results[0].observed_state, "AVAILABLE");
  assert.equal(start.results[0].verified, true);
  const term = await planThenRun(h, "terminate_workspaces", { workspace_ids: ["ws-wait00002"] }, {
    acknowledge: "TERMINATE",
    wait_seconds: 5,
  });
  assert.equal(term.results[0].observed_state, "ABSENT");
  assert.equal(term.results[0].verified, true);
  const fleet = await h.call("start_application_fleet", { fleet_name: "wait-fleet", confirm: true, wait_seconds: 5 });
  assert.equal(fleet.results[0].verified, true);
  await h.close();
});

Deno.test("demo writes change the in-memory estate: a stopped desktop starts", async () => {
  const h = await connectWrites(demoEstate());
  const out = await h.call("start_workspaces", { workspace_ids: [DEMO.idleStopped], confirm: true, wait_seconds: 5 });
  assert.equal(out.results[0].verified, true);
  const ws = h.sim.estate.region("us-east-1").workspaces.get(DEMO.idleStopped);
  assert.equal(ws?.State, "AVAILABLE");
  const prot = await h.call("stop_workspaces", { workspace_ids: [DEMO.protected], confirm: true });
  assert.equal(prot.results[0].verdict, "protected");
  await h.close();
});
