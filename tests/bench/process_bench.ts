/**
 * The server as MCP clients run it (`deno run <production flags> main.ts` over stdio, AWS calls
 * to the simulator on loopback with 50 ms latency): cold start to `initialize`, idle memory after
 * `initialize` and after the first `tools/list`, idle memory once V8's memory reducer has run (it
 * first runs about 30 s after start), and peak memory of the server process while it inventories
 * 10,000 desktops. Linux (reads /proc).
 */
import { scaleEstate, Simulator } from "../../src/sim/mod.ts";
import { spawnServer } from "../e2e/rpc.ts";

const INIT = { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "0" } };
const results: string[] = [];

/** Resident memory of a process in MB, via `ps` (Deno refuses /proc reads without --allow-all). */
async function rssMb(pid: number): Promise<number | undefined> {
  try {
    const out = await new Deno.Command("ps", {
      args: ["-o", "rss=", "-p", String(pid)],
      stdout: "piped",
      stderr: "null",
    })
      .output();
    const kb = Number(new TextDecoder().decode(out.stdout).trim());
    return Number.isFinite(kb) && kb > 0 ? Math.round(kb / 1024) : undefined;
  } catch {
    return undefined;
  }
}

Deno.bench({
  name: "cold start: spawn → initialize answered (every tool registered)",
  n: 5,
  warmup: 1,
  async fn(b) {
    b.start();
    const rpc = spawnServer(["--region", "us-east-1"]);
    await rpc.request("initialize", INIT);
    b.end();
    await rpc.close();
  },
});

const sim = new Simulator(scaleEstate({ desktops: 10_000, pools: 4, fleets: 10, portals: 3, seed: 7 }), {
  latencyMs: 50,
});
const served = await sim.serve();

Deno.bench({
  name: "server process: get_euc_inventory_summary @ 10,000 desktops (50 ms latency), peak memory",
  n: 1,
  warmup: 0,
  async fn(b) {
    const rpc = spawnServer(["--region", "us-east-1", "--endpoint-url", served.url]);
    await rpc.request("initialize", INIT);
    await rpc.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await new Promise((r) => setTimeout(r, 500));
    const idle = await rssMb(rpc.pid);
    await rpc.request("tools/list", {});
    await new Promise((r) => setTimeout(r, 500));
    const listed = await rssMb(rpc.pid);
    const before = sim.calls.length;
    let peak = idle ?? 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, (await rssMb(rpc.pid)) ?? 0);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    b.start();
    const res = await rpc.request("tools/call", { name: "get_euc_inventory_summary", arguments: {} });
    b.end();
    sampling = false;
    await sampler;
    const calls = sim.calls.length - before;
    if ((res.result as { isError?: boolean }).isError) throw new Error("tool failed");
    await rpc.close();
    results.push(
      `idle RSS after initialize: ${idle ?? "n/a"} MB; after the first tools/list: ${
        listed ?? "n/a"
      } MB; peak RSS during the 10,000-desktop summary (sampled every 100 ms): ${
        peak || "n/a"
      } MB; AWS calls: ${calls}`,
    );
  },
});

let settledRan = false;
Deno.bench({
  name: "server process: idle RSS after tools/list until V8's memory reducer has run (40 s)",
  n: 1,
  warmup: 0,
  async fn(b) {
    if (settledRan) return; // Deno.bench may call a function more than once; this reading takes 40 s
    settledRan = true;
    const rpc = spawnServer(["--region", "us-east-1"]);
    await rpc.request("initialize", INIT);
    await rpc.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await rpc.request("tools/list", {});
    b.start();
    const samples: number[] = [];
    for (let s = 1; s <= 40; s++) {
      await new Promise((r) => setTimeout(r, 1000));
      samples.push((await rssMb(rpc.pid)) ?? NaN);
    }
    b.end();
    await rpc.close();
    const last = samples.at(-1)!;
    // The first second from which every reading stays within 1 MB of the last.
    const settledAt = samples.findLastIndex((v) => !(v <= last + 1)) + 2;
    results.push(
      `idle RSS after the first tools/list, sampled every second for 40 s: ${samples[0]} MB at 1 s, ${
        Math.max(...samples)
      } MB at most, ${last} MB at 40 s (within 1 MB of that from ${settledAt} s on)`,
    );
  },
});

addEventListener("unload", () => {
  served.close();
  Deno.stderr.writeSync(new TextEncoder().encode("\n" + results.join("\n") + "\n"));
});
