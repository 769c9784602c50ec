/**
 * The write path as a client launches it: `deno run <production flags> main.ts --enable-writes
 * --enable-destructive` over stdio, AWS through --endpoint-url to the simulator on loopback: a dry
 * run, then the confirmed execution with its plan token; one audit line on stderr, no secret.
 */
import assert from "node:assert/strict";
import { scenario, Simulator } from "../../../src/sim/mod.ts";
import { FAKE_ENV, spawnServer } from "../../e2e/rpc.ts";

type Body = { dry_run: boolean; plan_token: string | null; results: { status: string; verdict: string }[] };

Deno.test("stdio under the production flags: terminate dry run, then confirmed execution with the token", async () => {
  const sim = new Simulator(scenario().workspace("ws-stdio0001", { state: "AVAILABLE" }).build());
  const served = await sim.serve();
  const rpc = spawnServer([
    "--region",
    "us-east-1",
    "--endpoint-url",
    served.url,
    "--enable-writes",
    "--enable-destructive",
  ]);
  try {
    await rpc.request("initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "e2e-writes", version: "0" },
    });
    await rpc.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    const call = async (args: Record<string, unknown>) =>
      ((await rpc.request("tools/call", { name: "terminate_workspaces", arguments: args })).result as {
        structuredContent: Body;
      }).structuredContent;
    const plan = await call({ workspace_ids: ["ws-stdio0001"] });
    assert.equal(plan.dry_run, true);
    assert.equal(plan.results[0].verdict, "will_change");
    assert.equal(sim.count("workspaces", "TerminateWorkspaces"), 0);
    const run = await call({
      workspace_ids: ["ws-stdio0001"],
      confirm: true,
      acknowledge: "TERMINATE",
      plan_token: plan.plan_token,
    });
    assert.equal(run.dry_run, false);
    assert.equal(run.results[0].status, "ok");
    assert.equal(sim.count("workspaces", "TerminateWorkspaces"), 1);
    assert.equal(await rpc.close(), 0);
    const stderr = await rpc.stderr();
    const audits = stderr.split("\n").filter((l) => l.includes('"euc-mcp.mutation"'));
    assert.equal(audits.length, 1);
    assert.ok(!stderr.includes(String(plan.plan_token)), "the token never reaches the log");
    assert.ok(!stderr.includes(FAKE_ENV.AWS_SECRET_ACCESS_KEY));
  } finally {
    await served.close();
  }
});
