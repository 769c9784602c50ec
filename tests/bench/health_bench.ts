/**
 * Health report benchmark on the simulator with 50 ms injected latency per AWS call: wall time, AWS
 * calls by operation and memory at 100, 1,000 and 10,000 desktops. `deno task bench`.
 */
import { connect } from "../support/harness.ts";
import { scaleEstate, Simulator } from "../../src/sim/mod.ts";

const LATENCY_MS = 50;
const SIZES = [100, 1_000, 10_000];
const lines: string[] = [];

for (const desktops of SIZES) {
  const estate = scaleEstate({ desktops, pools: 4, fleets: 10, portals: 3, seed: 7 });
  const sim = new Simulator(estate, { latencyMs: LATENCY_MS });
  const h = await connect(sim);
  Deno.bench({
    name: `generate_euc_health_report @ ${desktops} desktops (${LATENCY_MS} ms latency)`,
    group: "generate_euc_health_report",
    n: desktops >= 10_000 ? 1 : 3,
    warmup: 0,
    async fn(b) {
      const before = sim.calls.length;
      let peak = Deno.memoryUsage().rss;
      const timer = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 100);
      b.start();
      const { result } = await h.call("generate_euc_health_report", { refresh: true });
      b.end();
      clearInterval(timer);
      if (result.isError) throw new Error("generate_euc_health_report failed");
      const calls = sim.calls.slice(before);
      const byOp = new Map<string, number>();
      for (const c of calls) byOp.set(c.operation, (byOp.get(c.operation) ?? 0) + 1);
      lines.push(
        `generate_euc_health_report @ ${desktops}: ${calls.length} calls (${
          [...byOp].sort((a, b) => b[1] - a[1]).map(([op, n]) => `${op} ${n}`).join(", ")
        }), peak rss ${Math.round(peak / 1e6)} MB`,
      );
    },
  });
  addEventListener("unload", () => void h.close());
}

addEventListener("unload", () => {
  Deno.stderr.writeSync(
    new TextEncoder().encode("\nAWS calls per run (last iteration of each):\n" + [...new Set(lines)].join("\n") + "\n"),
  );
});
