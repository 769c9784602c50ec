/**
 * The server as a client launches it: `deno run <production flags> main.ts` over stdio, AWS calls
 * sent with --endpoint-url to the simulator served on loopback, fake static keys in the env.
 * Every stdout line must be JSON-RPC.
 */
import assert from "node:assert/strict";
import { scenario, Simulator } from "../../src/sim/mod.ts";
import { CONFIG, DENO_DIR, MAIN, PROD_FLAGS } from "./prod_flags.ts";

const FAKE_ENV = {
  AWS_ACCESS_KEY_ID: "AKIAE2ETESTKEY000000",
  AWS_SECRET_ACCESS_KEY: "e2e-secret-value-must-never-appear",
  HOME: "/nonexistent-home",
  NO_COLOR: "1",
};

interface Rpc {
  send(msg: unknown): Promise<void>;
  request(method: string, params?: unknown): Promise<Record<string, unknown>>;
  stdoutLines: string[];
  stderr(): Promise<string>;
  close(): Promise<number>;
}

function spawnServer(args: string[]): Rpc {
  const child = new Deno.Command("deno", {
    args: ["run", "--config", CONFIG, ...PROD_FLAGS, MAIN, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    clearEnv: true,
    env: { ...FAKE_ENV, DENO_DIR, DENO_NO_UPDATE_CHECK: "1" },
  }).spawn();
  const writer = child.stdin.getWriter();
  const stdoutLines: string[] = [];
  const waiters = new Map<number, (msg: Record<string, unknown>) => void>();
  let ended = false;
  const reading = (async () => {
    let buf = "";
    const decoder = new TextDecoder();
    for await (const chunk of child.stdout) {
      buf += decoder.decode(chunk, { stream: true });
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        stdoutLines.push(line);
        try {
          const msg = JSON.parse(line);
          if (typeof msg.id === "number") waiters.get(msg.id)?.(msg);
        } catch {
          // recorded in stdoutLines; the test asserts every line is JSON-RPC
        }
      }
    }
    if (buf) stdoutLines.push(buf);
    ended = true;
    // The server is gone: fail every pending request instead of hanging the suite.
    for (const resolve of waiters.values()) resolve({ error: { message: "server exited before answering" } });
  })();
  const stderrText = new Response(child.stderr).text();
  let nextId = 1;
  const send = async (msg: unknown) => await writer.write(new TextEncoder().encode(JSON.stringify(msg) + "\n"));
  return {
    send,
    stdoutLines,
    async request(method, params) {
      const id = nextId++;
      if (ended) throw new Error(`server exited; stderr: ${await stderrText}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
        waiters.set(id, resolve);
        timer = setTimeout(() => reject(new Error(`no answer to ${method} within 60 s`)), 60_000);
      });
      await send({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) });
      try {
        const msg = await answer;
        if (msg.error) throw new Error(`${method} failed: ${JSON.stringify(msg.error)}; stderr: ${await stderrText}`);
        return msg;
      } finally {
        clearTimeout(timer);
        waiters.delete(id);
      }
    },
    stderr: () => stderrText,
    async close() {
      await writer.close();
      const status = await child.status;
      await reading;
      await stderrText;
      return status.code;
    },
  };
}

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
  const out = await new Deno.Command("deno", {
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
    const out = await new Deno.Command("deno", {
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
  const help = await run("--help");
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--max-bulk-targets/);
});
