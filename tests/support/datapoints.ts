/** Counting what the simulator answers: the benchmarks' and call-count tests' datapoint counter. */
import type { Simulator } from "../../src/sim/mod.ts";

/** Datapoints (Values) the simulator's GetMetricData answers returned, from call index `from` on. */
export function datapointsSince(sim: Simulator, from = 0): number {
  let points = 0;
  for (let i = from; i < sim.calls.length; i++) points += sim.calls[i].points ?? 0;
  return points;
}
