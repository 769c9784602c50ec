/** AWS SDK v3 clients pointed at a simulator, for the simulator's own tests (tests/sim/). */
import { demoEstate, Simulator } from "../../src/sim/mod.ts";

export const CREDENTIALS = { accessKeyId: "AKIDSIM", secretAccessKey: "sim" };

/** Client options that send every request to the simulator. */
export function config(sim: Simulator, region = "us-east-1") {
  return { region, credentials: CREDENTIALS, requestHandler: sim.handler };
}

/** A simulator over the demo estate. */
export function demo(): Simulator {
  return new Simulator(demoEstate());
}

/** The error a promise rejects with. */
export async function failure(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error("expected the call to fail");
}
