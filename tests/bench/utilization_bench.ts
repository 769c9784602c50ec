/**
 * Utilization benchmarks on the simulator with 50 ms injected latency per AWS call, at 100, 1,000
 * and 10,000 desktops with usage profiles: wall time, AWS calls by operation against the minimum
 * the APIs allow, and peak memory (in-process, simulator included; plus the server process alone
 * at 10,000). `deno task bench`; the table is printed to stderr at the end.
 */
import { connect } from "../support/harness.ts";
import { type Estate, hash32, scaleEstate, Simulator, type UsageProfile } from "../../src/sim/mod.ts";
import process from "node:process";
import { spawnServer } from "../e2e/rpc.ts";
import { datapointsSince } from "../support/datapoints.ts";

const LATENCY_MS = 50;
const SIZES = [100, 1_000, 10_000];
const LOOKBACK_DAYS = 14;
/** GetMetricData limits: query slots per request and datapoints per response page. */
const SLOTS = 500;
const POINTS = 100_800;
const GENERAL_PURPOSE = new Set(["VALUE", "STANDARD", "PERFORMANCE", "POWER", "POWERPRO"]);

/** The last measurement of each tool and size (Deno.bench may run a function more than once). */
const rows = new Map<string, string[]>();
const processRows = new Map<string, string[]>();

/** A realistic mix: idle AlwaysOn desktops, busy and light AutoStop ones, a few overloaded or idle CPUs. */
function profile(id: string, alwaysOn: boolean): UsageProfile {
  const h = hash32(id) % 100;
  const load = h % 20 === 0
    ? { cpu: { average: 92, peak: 99 }, memory: { average: 80, peak: 95 } }
    : h % 10 === 5
    ? { cpu: { average: 5, peak: 12 }, memory: { average: 20, peak: 30 } }
    : {};
  if (alwaysOn) {
    if (h < 50) return { hoursPerDay: 0, ...load };
    if (h < 70) return { hoursPerDay: 2, days: [3, 10], ...load };
    return { hoursPerDay: 7, days: "weekdays", breakMinutes: 45, ...load };
  }
  if (h < 20) return { hoursPerDay: 0, ...load };
  if (h < 45) return { hoursPerDay: 2, days: [1, 4, 8], ...load };
  if (h < 90) return { hoursPerDay: 8, days: "weekdays", breakMinutes: h % 2 ? 30 : 90, ...load };
  return { hoursPerDay: 11, days: "daily", ...load };
}

function withUsage(estate: Estate): Estate {
  for (const name of estate.regions()) {
    const r = estate.region(name);
    for (const [id, w] of r.workspaces) {
      r.usage.set(id, profile(id, w.WorkspaceProperties?.RunningMode === "ALWAYS_ON"));
    }
  }
  return estate;
}

interface Shape {
  desktops: number;
  eligible: number;
  directories: number;
  /** Desktops that carry tags (what a tag:GetResources sweep returns, 100 a page). */
  tagged: number;
}

/** The fewest calls the APIs allow for each tool, by operation. */
function minimum(tool: string, s: Shape, byOp: Map<string, number>, points: number): Map<string, number> {
  const pages = Math.ceil(s.desktops / 25);
  const m = new Map<string, number>();
  const gmd = (slots: number) => Math.max(Math.ceil(slots / SLOTS), Math.ceil(points / POINTS));
  if (tool === "recommend_bundle_rightsizing") {
    m.set("DescribeWorkspaces", pages);
    m.set("GetMetricData", gmd(2 * s.eligible));
    m.set("GetProducts", byOp.get("GetProducts") ?? 0); // cached per process: first run only
    return m;
  }
  m.set("DescribeWorkspaces", pages);
  m.set("DescribeWorkspacesConnectionStatus", pages);
  m.set("GetMetricData", gmd(2 * s.desktops));
  if (tool === "recommend_running_mode") {
    // The opt-out tags: one DescribeTags per candidate for a few, else one tag:GetResources sweep of the
    // tagged desktops at 100 a page.
    m.set("DescribeTags", byOp.get("DescribeTags") ?? 0);
    m.set("GetResources", byOp.get("GetResources") ? Math.ceil(s.tagged / 100) : 0);
    m.set("GetProducts", byOp.get("GetProducts") ?? 0);
  }
  if (tool === "list_unused_resources") {
    m.set("DescribeWorkspacesPools", 1);
    m.set("DescribeFleets", 1);
    m.set("GetMetricData", gmd(2 * s.desktops) + 1);
  }
  return m;
}

async function peakDuring<T>(fn: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = Deno.memoryUsage().rss;
  const timer = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 20);
  try {
    const value = await fn();
    peak = Math.max(peak, Deno.memoryUsage().rss);
    return { value, peakMb: Math.round(peak / 1e6) };
  } finally {
    clearInterval(timer);
  }
}

const TOOLS = [
  "analyze_workspace_utilization",
  "recommend_running_mode",
  "recommend_bundle_rightsizing",
  "list_unused_resources",
] as const;

for (const desktops of SIZES) {
  const estate = withUsage(scaleEstate({ desktops, pools: 4, fleets: 10, seed: 7 }));
  const region = estate.region("us-east-1");
  const shape: Shape = {
    desktops,
    eligible: [...region.workspaces.values()].filter((w) =>
      GENERAL_PURPOSE.has(w.WorkspaceProperties?.ComputeTypeName ?? "")
    ).length,
    directories: region.directories.size,
    tagged: [...region.workspaces.keys()].filter((id) => (region.tags.get(id)?.length ?? 0) > 0).length,
  };
  const sim = new Simulator(estate, { latencyMs: LATENCY_MS });
  const h = await connect(sim);
  for (const tool of TOOLS) {
    Deno.bench({
      name: `${tool} @ ${desktops} desktops (${LATENCY_MS} ms latency)`,
      group: tool,
      n: desktops >= 10_000 ? 1 : 2,
      warmup: 0,
      async fn(b) {
        const before = sim.calls.length;
        const started = performance.now();
        b.start();
        const { value, peakMb } = await peakDuring(() =>
          // refresh: each iteration lists afresh (the listing cache would answer the later ones).
          h.call(tool, {
            refresh: true,
            ...(tool === "recommend_bundle_rightsizing" ? {} : { lookback_days: LOOKBACK_DAYS }),
          })
        );
        b.end();
        const ms = performance.now() - started;
        if (value.result.isError) throw new Error(`${tool} failed: ${JSON.stringify(value.body).slice(0, 300)}`);
        const byOp = new Map<string, number>();
        for (const c of sim.calls.slice(before)) byOp.set(c.operation, (byOp.get(c.operation) ?? 0) + 1);
        const points = datapointsSince(sim, before);
        const min = minimum(tool, shape, byOp, points);
        const total = [...byOp.values()].reduce((a, b) => a + b, 0);
        const minTotal = [...min.values()].reduce((a, b) => a + b, 0);
        const ops = [...new Set([...byOp.keys(), ...min.keys()])].sort()
          .map((op) => `${op} ${byOp.get(op) ?? 0}/${min.get(op) ?? 0}`).join(", ");
        rows.set(`${tool}@${desktops}`, [
          tool,
          String(desktops),
          `${(ms / 1000).toFixed(2)} s`,
          `${total}/${minTotal} (+${(((total - minTotal) / Math.max(1, minTotal)) * 100).toFixed(1)} %)`,
          String(points),
          `${peakMb} MB`,
          ops,
        ]);
      },
    });
  }
  addEventListener("unload", () => void h.close());
}

// The server process alone (production flags, simulator over HTTP on loopback with 50 ms latency):
// wall time, the server's peak RSS, and the CPU each process used (the simulator runs in this one).
const big = new Simulator(withUsage(scaleEstate({ desktops: 10_000, pools: 4, fleets: 10, seed: 7 })), {
  latencyMs: LATENCY_MS,
});
const served = await big.serve();

async function ps(pid: number, field: "rss" | "cputime"): Promise<number | undefined> {
  try {
    const out = await new Deno.Command("ps", { args: ["-o", `${field}=`, "-p", String(pid)], stdout: "piped" })
      .output();
    const text = new TextDecoder().decode(out.stdout).trim();
    if (field === "rss") return Math.round(Number(text) / 1024) || undefined;
    const [h, m, sec] = text.split(":").map(Number);
    return h * 3600 + m * 60 + sec;
  } catch {
    return undefined;
  }
}

const INIT = { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "0" } };

for (const tool of TOOLS) {
  Deno.bench({
    name: `server process: ${tool} @ 10,000 desktops (50 ms latency), peak RSS`,
    group: "process",
    n: 1,
    warmup: 0,
    async fn(b) {
      const rpc = spawnServer(["--region", "us-east-1", "--endpoint-url", served.url]);
      await rpc.request("initialize", INIT);
      await rpc.send({ jsonrpc: "2.0", method: "notifications/initialized" });
      const idle = (await ps(rpc.pid, "rss")) ?? 0;
      let peak = idle;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, (await ps(rpc.pid, "rss")) ?? 0);
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      const serverCpu0 = (await ps(rpc.pid, "cputime")) ?? 0;
      const simCpu0 = process.cpuUsage();
      const started = performance.now();
      b.start();
      const res = await rpc.request("tools/call", {
        name: tool,
        arguments: tool === "recommend_bundle_rightsizing" ? {} : { lookback_days: LOOKBACK_DAYS },
      });
      b.end();
      const ms = performance.now() - started;
      const simCpu = process.cpuUsage(simCpu0);
      const serverCpu = ((await ps(rpc.pid, "cputime")) ?? 0) - serverCpu0;
      sampling = false;
      await sampler;
      await rpc.close();
      if ((res.result as { isError?: boolean }).isError) throw new Error(`${tool} failed`);
      processRows.set(tool, [
        tool,
        `${(ms / 1000).toFixed(2)} s`,
        `${idle} MB`,
        `${peak} MB`,
        `${((simCpu.user + simCpu.system) / 1e6).toFixed(1)} s`,
        `~${serverCpu} s`,
      ]);
    },
  });
}

function markdown(head: string[], body: Iterable<string[]>): string {
  const lines = [head, ...body].map((r) => `| ${r.join(" | ")} |`);
  lines.splice(1, 0, `|${head.map(() => "---").join("|")}|`);
  return lines.join("\n");
}

addEventListener("unload", () => {
  served.close();
  const inProcess = markdown(
    ["tool", "desktops", "wall", "AWS calls / minimum", "datapoints", "peak RSS", "by operation (made/min)"],
    rows.values(),
  );
  const separate = markdown(
    ["tool @ 10,000", "wall", "server idle RSS", "server peak RSS", "simulator CPU", "server CPU (1 s res.)"],
    processRows.values(),
  );
  Deno.stderr.writeSync(
    new TextEncoder().encode(
      "\nUtilization benchmarks, in process (peak RSS includes the simulator and its estate):\n" + inProcess +
        "\n\nServer process alone, simulator over HTTP in the bench process:\n" + separate + "\n",
    ),
  );
});
