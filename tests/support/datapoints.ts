/** Counting what the simulator answers: the benchmarks' and call-count tests' datapoint counter. */
import type { Simulator } from "../../src/sim/mod.ts";

/**
 * Counts the datapoints (Values) of every GetMetricData response as it leaves the simulator's
 * request handler, from then on. The counter parses each response body once more, in this process.
 */
export function countDatapoints(sim: Simulator): { points: number } {
  const counter = { points: 0 };
  const handler = sim.handler as { handle: (req: unknown, o?: unknown) => Promise<{ response: unknown }> };
  const original = handler.handle.bind(handler);
  const decoder = new TextDecoder();
  handler.handle = async (req, o) => {
    const out = await original(req, o);
    const headers = (req as { headers?: Record<string, string> }).headers ?? {};
    const target = Object.entries(headers).find(([k]) => k.toLowerCase() === "x-amz-target")?.[1] ?? "";
    if (target.endsWith("GetMetricData")) {
      const body = (out.response as { body?: unknown }).body;
      const text = body instanceof Uint8Array ? decoder.decode(body) : typeof body === "string" ? body : "";
      try {
        for (const r of JSON.parse(text).MetricDataResults ?? []) counter.points += (r.Values ?? []).length;
      } catch {
        // an error answer carries no datapoints
      }
    }
    return out;
  };
  return counter;
}
