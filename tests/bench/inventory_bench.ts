/**
 * Inventory benchmarks on the simulator with 50 ms injected latency per AWS call: wall time,
 * AWS calls by operation against the minimum the APIs allow, and memory. `deno task bench`.
 */
import { connect } from "../support/harness.ts";
import { scaleEstate, Simulator } from "../../src/sim/mod.ts";

const LATENCY_MS = 50;
const SIZES = [100, 1_000, 10_000];
const lines: string[] = [];

function report(line: string): void {
  lines.push(line);
}

for (const desktops of SIZES) {
  const estate = scaleEstate({ desktops, pools: 4, fleets: 10, portals: 3, seed: 7 });
  const sim = new Simulator(estate, { latencyMs: LATENCY_MS });
  const h = await connect(sim);
  for (
    const [tool, args] of [
      ["get_euc_inventory_summary", {}],
      ["generate_inventory_report", { max_resources_per_service: 100 }],
    ] as const
  ) {
    Deno.bench({
      name: `${tool} @ ${desktops} desktops (${LATENCY_MS} ms latency)`,
      group: tool,
      n: desktops >= 10_000 ? 1 : 3,
      warmup: 0,
      async fn(b) {
        const before = sim.calls.length;
        b.start();
        // refresh: each iteration lists afresh (the listing cache would answer the later ones).
        const { result } = await h.call(tool, { ...args, refresh: true });
        b.end();
        if (result.isError) throw new Error(`${tool} failed`);
        const calls = sim.calls.slice(before);
        const byOp = new Map<string, number>();
        for (const c of calls) byOp.set(c.operation, (byOp.get(c.operation) ?? 0) + 1);
        const minPages = Math.ceil(desktops / 25);
        const rss = Math.round(Deno.memoryUsage().rss / 1e6);
        report(
          `${tool} @ ${desktops}: ${calls.length} calls (DescribeWorkspaces ${
            byOp.get("DescribeWorkspaces")
          } vs minimum ${minPages}; ` +
            `${
              [...byOp].filter(([op]) => op !== "DescribeWorkspaces").map(([op, n]) => `${op} ${n}`).join(", ")
            }), rss ${rss} MB`,
        );
      },
    });
  }
  addEventListener("unload", () => void h.close());
}

addEventListener("unload", () => {
  Deno.stderr.writeSync(
    new TextEncoder().encode("\nAWS calls per run (last iteration of each):\n" + [...new Set(lines)].join("\n") + "\n"),
  );
});
