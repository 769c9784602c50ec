/**
 * The issue-10 table: each read tool at N desktops with the server in its own process (production
 * flags, stdio) and the simulator over HTTP in this process at 50 ms per AWS call. Per tool and N:
 * wall time, the server's peak RSS (the kernel's high-water mark VmHWM where /proc has it, else sampled
 * every 100 ms with ps) and CPU (user + system from /proc, else ps at 1 s), this process's CPU
 * meanwhile (the simulator's share of the machine), AWS calls
 * against the API minimum of the listing (DescribeWorkspaces pages = ⌈N/25⌉; other operations are
 * counted as made), and GetMetricData datapoints returned. Plus the one-directory shape at 10,000
 * and the peer's pattern (one GetMetricData per desktop, sequential) beside our utilization read at
 * N = 100 and 1,000. `deno task bench` (about 6 minutes on 2 cores); EUC_BENCH_QUICK=1 leaves out N = 30,000.
 * Printed to stderr as markdown.
 */
import process from "node:process";
import { Aws } from "../../src/aws/clients.ts";
import { type Estate, hash32, scaleEstate, Simulator, type UsageProfile } from "../../src/sim/mod.ts";
import { spawnServer } from "../e2e/rpc.ts";
import { datapointsSince } from "../support/datapoints.ts";

const LATENCY_MS = 50;
const SIZES = [1_000, 10_000, ...(Deno.env.get("EUC_BENCH_QUICK") ? [] : [30_000])];
const TOOLS: readonly [string, Record<string, unknown>][] = [
  ["analyze_workspace_utilization", { lookback_days: 14 }],
  ["recommend_running_mode", { lookback_days: 14 }],
  ["list_unused_resources", { lookback_days: 14 }],
  ["recommend_bundle_rightsizing", {}],
  ["generate_euc_health_report", {}],
  ["get_euc_inventory_summary", {}],
];
const INIT = { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "0" } };
const rows: string[][] = [];
const peerRows: string[][] = [];

function profile(id: string, alwaysOn: boolean): UsageProfile {
  const h = hash32(id) % 100;
  if (alwaysOn) return h < 50 ? { hoursPerDay: 0 } : { hoursPerDay: 7, days: "weekdays", breakMinutes: 45 };
  if (h < 20) return { hoursPerDay: 0 };
  if (h < 45) return { hoursPerDay: 2, days: [1, 4, 8] };
  return { hoursPerDay: 8, days: "weekdays", breakMinutes: h % 2 ? 30 : 90 };
}

function estateOf(desktops: number, directories?: number): Estate {
  const estate = scaleEstate({
    desktops,
    pools: 4,
    fleets: 10,
    portals: 3,
    seed: 7,
    directoriesPerRegion: directories,
  });
  for (const name of estate.regions()) {
    const r = estate.region(name);
    for (const [id, w] of r.workspaces) {
      r.usage.set(id, profile(id, w.WorkspaceProperties?.RunningMode === "ALWAYS_ON"));
    }
  }
  return estate;
}

async function ps(pid: number, field: "rss" | "time"): Promise<number | undefined> {
  try {
    const out = await new Deno.Command("ps", { args: ["-o", `${field}=`, "-p", String(pid)], stdout: "piped" })
      .output();
    const text = new TextDecoder().decode(out.stdout).trim();
    if (field === "rss") return Math.round(Number(text) / 1024) || undefined;
    const [h, m, s] = text.replace(/^\d+-/, "").split(":").map(Number);
    return h * 3600 + m * 60 + s;
  } catch {
    return undefined;
  }
}

/**
 * A file of /proc/<pid>, read by `cat`: Deno refuses /proc reads to anything short of --allow-all,
 * and the bench may run programs. Undefined without /proc.
 */
async function procFile(pid: number, name: "status" | "stat"): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("cat", { args: [`/proc/${pid}/${name}`], stdout: "piped", stderr: "null" })
      .output();
    return out.success ? new TextDecoder().decode(out.stdout) : undefined;
  } catch {
    return undefined;
  }
}

/** The process's peak resident set so far (VmHWM), in MB; undefined without /proc. */
async function highWaterMb(pid: number): Promise<number | undefined> {
  const kb = (await procFile(pid, "status"))?.match(/^VmHWM:\s+(\d+) kB/m)?.[1];
  return kb ? Math.round(Number(kb) / 1024) : undefined;
}

/**
 * The process's CPU time so far (user + system) in seconds: from /proc at the kernel's clock tick
 * (1/100 s on Linux), else from ps at 1 s resolution.
 */
async function cpuSeconds(pid: number): Promise<{ s: number; exact: boolean } | undefined> {
  const stat = await procFile(pid, "stat");
  const fields = stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
  if (fields && fields.length > 12) return { s: (Number(fields[11]) + Number(fields[12])) / 100, exact: true };
  const s = await ps(pid, "time");
  return s === undefined ? undefined : { s, exact: false };
}

/** One tool call in a fresh server process: wall, peak RSS, CPU, calls by operation, datapoints. */
async function measure(sim: Simulator, url: string, tool: string, args: object) {
  const rpc = spawnServer(["--region", "us-east-1", "--endpoint-url", url]);
  await rpc.request("initialize", INIT);
  await rpc.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  let peak = (await ps(rpc.pid, "rss")) ?? 0;
  // Where /proc has the high-water mark, no sampler runs: a `ps` every 100 ms costs CPU beside the server.
  let sampling = (await highWaterMb(rpc.pid)) === undefined;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, (await ps(rpc.pid, "rss")) ?? 0);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const cpu0 = await cpuSeconds(rpc.pid);
  // This process's CPU over the call: the simulator (and the bench's own JSON-RPC reading) beside the server.
  const simCpu0 = process.cpuUsage();
  const before = sim.calls.length;
  const started = performance.now();
  // 30,000 desktops may take longer than the 60 s a test waits.
  const res = await rpc.request("tools/call", { name: tool, arguments: args }, 600_000);
  const ms = performance.now() - started;
  const simUsage = process.cpuUsage(simCpu0);
  const simCpu = (simUsage.user + simUsage.system) / 1e6;
  const cpu1 = await cpuSeconds(rpc.pid);
  const cpu = cpu0 && cpu1 ? { s: cpu1.s - cpu0.s, exact: cpu1.exact } : undefined;
  sampling = false;
  await sampler;
  // The high-water mark sees the spikes a 100 ms sampler misses (Linux; elsewhere the sampled peak stands).
  peak = Math.max(peak, (await highWaterMb(rpc.pid)) ?? 0);
  await rpc.close();
  if ((res.result as { isError?: boolean }).isError) throw new Error(`${tool} failed`);
  const byOp = new Map<string, number>();
  for (const c of sim.calls.slice(before)) byOp.set(c.operation, (byOp.get(c.operation) ?? 0) + 1);
  return { ms, peak, cpu, simCpu, byOp, points: datapointsSince(sim, before) };
}

function row(label: string, desktops: number, shape: string, m: Awaited<ReturnType<typeof measure>>): string[] {
  const total = [...m.byOp.values()].reduce((a, b) => a + b, 0);
  const listing = m.byOp.get("DescribeWorkspaces") ?? 0;
  const min = total - listing + Math.ceil(desktops / 25);
  const ops = [...m.byOp].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([op, n]) => `${op} ${n}`).join(", ");
  return [
    label,
    desktops.toLocaleString("en-US"),
    shape,
    `${(m.ms / 1000).toFixed(2)} s`,
    `${m.peak} MB`,
    m.cpu ? (m.cpu.exact ? `${m.cpu.s.toFixed(2)} s` : `~${m.cpu.s} s`) : "n/a",
    `${m.simCpu.toFixed(2)} s`,
    `${total} / ${min}`,
    m.points.toLocaleString("en-US"),
    ops,
  ];
}

/** The simulator over HTTP; each GetMetricData call record carries its datapoint count. */
async function serve(desktops: number, directories?: number) {
  const sim = new Simulator(estateOf(desktops, directories), { latencyMs: LATENCY_MS });
  const served = await sim.serve();
  return { sim, served };
}

/** Deno.bench may call a function more than once; each measurement here runs once. */
const once = (fn: () => Promise<void>) => {
  let ran = false;
  return async () => {
    if (ran) return;
    ran = true;
    await fn();
  };
};

for (const desktops of SIZES) {
  Deno.bench({
    name: `every read tool @ ${desktops} desktops, server process`,
    n: 1,
    warmup: 0,
    fn: once(async () => {
      const { sim, served } = await serve(desktops);
      try {
        for (const [tool, args] of TOOLS) {
          rows.push(row(tool, desktops, "default", await measure(sim, served.url, tool, args)));
        }
      } finally {
        served.close();
      }
    }),
  });
}

Deno.bench({
  name: "one directory of 10,000 desktops against four, server process",
  n: 1,
  warmup: 0,
  fn: once(async () => {
    for (const directories of [4, 1]) {
      const { sim, served } = await serve(10_000, directories);
      try {
        for (
          const [tool, args] of [
            ["analyze_workspace_utilization", { lookback_days: 14 }],
            ["get_euc_inventory_summary", {}],
            ["generate_inventory_report", { max_resources_per_service: 100 }],
          ] as const
        ) {
          const shape = `${directories} director${directories === 1 ? "y" : "ies"}`;
          rows.push(row(tool, 10_000, shape, await measure(sim, served.url, tool, args)));
        }
      } finally {
        served.close();
      }
    }
  }),
});

/** The peer's pattern: one GetMetricData request per desktop (UserConnected, 14 days, hourly), in sequence. */
async function peer(url: string, ids: string[]): Promise<number> {
  const aws = new Aws({
    endpointUrl: url,
    credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "x" },
    region: "us-east-1",
    userAgent: "bench",
  });
  const end = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
  const start = new Date(end.getTime() - 14 * 86_400_000);
  const started = performance.now();
  for (const id of ids) {
    await aws.call("cloudwatch", "GetMetricData", {
      MetricDataQueries: [{
        Id: "m",
        MetricStat: {
          Metric: {
            Namespace: "AWS/WorkSpaces",
            MetricName: "UserConnected",
            Dimensions: [{ Name: "WorkspaceId", Value: id }],
          },
          Period: 3600,
          Stat: "Maximum",
        },
      }],
      StartTime: start,
      EndTime: end,
    }, { region: "us-east-1" });
  }
  return performance.now() - started;
}

Deno.bench({
  name: "peer pattern (one GetMetricData per desktop, sequential) against analyze_workspace_utilization",
  n: 1,
  warmup: 0,
  fn: once(async () => {
    for (const desktops of [100, 1_000]) {
      const { sim, served } = await serve(desktops);
      try {
        const ours = await measure(sim, served.url, "analyze_workspace_utilization", { lookback_days: 14 });
        const ids = [...sim.estate.region("us-east-1").workspaces.keys()];
        const theirs = await peer(served.url, ids);
        peerRows.push([
          desktops.toLocaleString("en-US"),
          `${(theirs / 1000).toFixed(2)} s`,
          `${(ours.ms / 1000).toFixed(2)} s`,
          (ours.ms / theirs).toFixed(3),
        ]);
      } finally {
        served.close();
      }
    }
  }),
});

function markdown(head: string[], body: string[][]): string {
  const lines = [head, ...body].map((r) => `| ${r.join(" | ")} |`);
  lines.splice(1, 0, `|${head.map(() => "---").join("|")}|`);
  return lines.join("\n");
}

addEventListener("unload", () => {
  const out = markdown(
    [
      "tool",
      "desktops",
      "shape",
      "wall",
      "server peak RSS",
      "server CPU",
      "simulator CPU",
      "AWS calls / minimum",
      "datapoints",
      "top operations",
    ],
    rows,
  ) + "\n\nPeer pattern beside ours:\n" +
    markdown(["desktops", "peer (1 GetMetricData per desktop, sequential)", "ours", "ratio ours/peer"], peerRows);
  Deno.stderr.writeSync(new TextEncoder().encode("\n" + out + "\n"));
});
