/**
 * The server as a client launches it: `deno run <production flags> main.ts` over stdio, AWS calls
 * sent with --endpoint-url to the simulator served on loopback, fake static keys in the env.
 * Every stdout line must be JSON-RPC.
 */
import assert from "node:assert/strict";
import { scenario, Simulator } from "../../src/sim/mod.ts";
import { CONFIG, MAIN, PROD_FLAGS } from "./prod_flags.ts";
import { CHILD_BASE_ENV, FAKE_ENV, spawnServer } from "./rpc.ts";

Deno.test("stdio under the production flags: initialize, list and call inventory tools; stdout is only JSON-RPC", async () => {
  const sim = new Simulator(
    scenario().workspace("ws-e2e000001", { state: "AVAILABLE" }).workspace("ws-e2e000002", { state: "STOPPED" }).fleet(
      "e2e-fleet",
    ).build(),
  );
  const served = await sim.serve();
  const rpc = spawnServer(["--region", "us-east-1", "--endpoint-url", served.url]);
  try {
    const started = performance.now();
    const init = await rpc.request("initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "e2e", version: "0" },
    });
    const coldStartMs = performance.now() - started;
    const result = init.result as { serverInfo: { name: string }; instructions: string };
    assert.equal(result.serverInfo.name, "workspaces-euc-mcp");
    assert.match(result.instructions, /AppStream 2\.0/);
    await rpc.send({ jsonrpc: "2.0", method: "notifications/initialized" });

    const list = await rpc.request("tools/list");
    const names = (list.result as { tools: { name: string }[] }).tools.map((t) => t.name);
    assert.ok(names.includes("get_euc_inventory_summary"));

    const summary = await rpc.request("tools/call", { name: "get_euc_inventory_summary", arguments: {} });
    const sc = (summary.result as {
      structuredContent: {
        services: { resource_type: string; by_state: Record<string, number> }[];
        errors: unknown[];
      };
    })
      .structuredContent;
    assert.deepEqual(sc.errors, []);
    assert.deepEqual(sc.services.find((s) => s.resource_type === "WorkSpace")?.by_state, { AVAILABLE: 1, STOPPED: 1 });

    const csv = await rpc.request("tools/call", { name: "export_inventory_report_csv", arguments: {} });
    assert.equal((csv.result as { isError?: boolean }).isError, undefined);

    assert.ok(sim.calls.length >= 6, "the calls went through the loopback endpoint to the simulator");
    const code = await rpc.close();
    assert.equal(code, 0, "the server exits cleanly when stdin closes");
    for (const line of rpc.stdoutLines.filter((l) => l.trim())) {
      const msg = JSON.parse(line);
      assert.equal(msg.jsonrpc, "2.0", `stdout line is not JSON-RPC: ${line.slice(0, 80)}`);
    }
    const stderr = await rpc.stderr();
    const all = rpc.stdoutLines.join("\n") + stderr;
    assert.ok(!all.includes(FAKE_ENV.AWS_SECRET_ACCESS_KEY), "the secret key never appears in any output");
    assert.ok(!all.includes(FAKE_ENV.AWS_ACCESS_KEY_ID), "the access key id never appears in any output");
    assert.ok(!/NotCapable/.test(stderr), `no permission errors: ${stderr.slice(0, 300)}`);
    Deno.stderr.writeSync(new TextEncoder().encode(`cold start to initialize: ${coldStartMs.toFixed(0)} ms\n`));
  } finally {
    await served.close();
  }
});

Deno.test("a bad launch flag exits 2 with one line on stderr and nothing on stdout", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", CONFIG, ...PROD_FLAGS, MAIN, "--enable-destructive"],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  assert.equal(out.code, 2);
  assert.equal(out.stdout.length, 0);
  const err = new TextDecoder().decode(out.stderr).trim();
  assert.equal(err.split("\n").length, 1);
  assert.match(err, /--enable-destructive requires --enable-writes/);
});

Deno.test("one-shot CLI: tools lists names, call prints JSON (exit 0), an error result exits 1", async () => {
  const run = async (...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--config", CONFIG, ...PROD_FLAGS, MAIN, ...args],
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).output();
    return {
      code: out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
    };
  };
  const tools = await run("tools", "--demo");
  assert.equal(tools.code, 0);
  assert.deepEqual(tools.stdout.trim().split("\n").slice(0, 3), [
    "get_euc_inventory_summary",
    "generate_inventory_report",
    "export_inventory_report_csv",
  ]);
  const call = await run("call", "get_euc_inventory_summary", "{}", "--demo");
  assert.equal(call.code, 0, call.stderr);
  const body = JSON.parse(call.stdout);
  assert.equal(body.simulated, true);
  assert.ok(body.total_resources > 10);
  const bad = await run("call", "generate_inventory_report", '{"services":"mainframes"}', "--demo");
  assert.equal(bad.code, 1);
  assert.equal(JSON.parse(bad.stdout).error.code, "InvalidInput");
  const unknown = await run("call", "no_such_tool", "{}", "--demo");
  assert.equal(unknown.code, 2);
  const noRegion = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", CONFIG, ...PROD_FLAGS, MAIN, "call", "get_euc_inventory_summary", "{}"],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
    clearEnv: true,
    env: { ...FAKE_ENV, ...CHILD_BASE_ENV },
  }).output();
  assert.equal(noRegion.code, 1, "no region anywhere: the tool fails cleanly");
  const noRegionBody = JSON.parse(new TextDecoder().decode(noRegion.stdout));
  assert.equal(noRegionBody.error.code, "InvalidInput");
  assert.match(noRegionBody.error.hint, /--region/);
  const version = await run("--version");
  assert.match(version.stdout.trim(), /^workspaces-euc-mcp \d+\.\d+\.\d+$/);
  const toolsets = await run("--list-toolsets");
  assert.match(toolsets.stdout, /^inventory\s+enabled/m);
  assert.match(toolsets.stdout, /^lifecycle\s+disabled/m);
  const help = await run("--help");
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--max-bulk-targets/);
});

Deno.test("the Python server's launch options work under the production flags: SSO flags, FASTMCP_LOG_LEVEL, large caps", async () => {
  const run = async (env: Record<string, string>, ...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--config", CONFIG, ...PROD_FLAGS, MAIN, ...args],
      env,
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).output();
    return {
      code: out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
    };
  };
  const sso = await run({}, "tools", "--demo", "--sso-auto-login", "--max-bulk-targets", "5000");
  assert.equal(sso.code, 0, sso.stderr);
  assert.match(sso.stderr, /note: SSO auto-login is not available.*aws sso login --profile/);
  assert.equal((await run({}, "tools", "--demo", "--no-sso-auto-login")).code, 0);
  const debug = await run({ FASTMCP_LOG_LEVEL: "DEBUG", WORKSPACES_EUC_SSO_AUTO_LOGIN: "1" }, "tools", "--demo");
  assert.equal(debug.code, 0, debug.stderr);
  assert.match(debug.stderr, /"level":"debug"/);
  assert.match(debug.stderr, /note: SSO auto-login/);
});
