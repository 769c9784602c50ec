/** The cost tests' shared account and helpers. */
import { scenario } from "../../support/harness.ts";
import type { Estate, Simulator } from "../../../src/sim/mod.ts";

/** A tool's JSON answer. */
export type Body = Record<string, unknown>;
/** The shape of an isError answer's error. */
export type Err = { code: string; message: string; hint: string; operation?: string };
/** The error of an isError answer. */
export const err = (body: Body) => body.error as Err;

/** An account with Personal (AlwaysOn and AutoStop), Pools, Core, Applications fleets and a portal. */
export function account(): Estate {
  return scenario("us-east-1")
    .workspace("ws-aon00001", { runningMode: "ALWAYS_ON", computeType: "POWER" })
    .workspace("ws-aus00001", { runningMode: "AUTO_STOP" })
    .pool("wspool-ab12cd34e", { desired: 5 })
    .managedInstance("wsinst-a1b2c3d4e5")
    .fleet("apps", { fleetType: "ON_DEMAND", desired: 2 })
    .portal("3f1c2a9e-7b4d-4e8a-9c6f-1d2e3a4b5c6d")
    .build();
}

/** The Cost Explorer requests the simulator saw (GetCostAndUsage unless `op` names another). */
export function ceCalls(h: { sim: Simulator }, op = "GetCostAndUsage") {
  return h.sim.calls.filter((c) => c.service === "ce" && c.operation === op);
}
