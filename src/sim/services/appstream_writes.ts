/**
 * WorkSpaces Applications (AppStream 2.0) write operations (awsJson1_1): StartFleet, StopFleet and
 * UpdateFleet's ComputeCapacity with AWS's rules (no ComputeCapacity for Elastic fleets;
 * DesiredSessions only, and required, for multi-session fleets; never both).
 */
import type { Fleet } from "@aws-sdk/client-appstream";
import { type OpContext, type OperationTable, reqString, SimError } from "./common.ts";
import { schedule, takeFailure } from "./transitions.ts";

function fleet(ctx: OpContext): Fleet {
  const name = reqString(ctx.input, "Name");
  const injected = takeFailure(ctx.region, name);
  if (injected) throw new SimError(injected.code, injected.message);
  const f = ctx.region.fleets.get(name);
  if (!f) throw new SimError("ResourceNotFoundException", `The fleet ${name} does not exist.`);
  return f;
}

function move(ctx: OpContext, f: Fleet, via: "STARTING" | "STOPPING", to: "RUNNING" | "STOPPED"): void {
  f.State = via;
  schedule(ctx.region, f.Name!, () => {
    if (f.State !== via) return;
    f.State = to;
    const c = f.ComputeCapacityStatus;
    if (!c) return;
    c.Running = to === "RUNNING" ? c.Desired : 0;
    if (to === "STOPPED") c.InUse = 0;
    c.Available = Math.max(0, (c.Running ?? 0) - (c.InUse ?? 0));
  });
}

function startFleet(ctx: OpContext): Record<string, never> {
  const f = fleet(ctx);
  if (f.State === "STOPPING") throw new SimError("ConcurrentModificationException", "The fleet is stopping.");
  if (f.State === "STOPPED") move(ctx, f, "STARTING", "RUNNING");
  return {};
}

function stopFleet(ctx: OpContext): Record<string, never> {
  const f = fleet(ctx);
  if (f.State === "STARTING" || f.State === "RUNNING") move(ctx, f, "STOPPING", "STOPPED");
  return {};
}

function updateFleet(ctx: OpContext): { Fleet: Fleet } {
  const f = fleet(ctx);
  const cc = ctx.input.ComputeCapacity as { DesiredInstances?: unknown; DesiredSessions?: unknown } | undefined;
  if (cc) {
    const bad = (m: string) => new SimError("InvalidParameterCombinationException", m);
    if (f.FleetType === "ELASTIC") throw bad("ComputeCapacity is not allowed for Elastic fleets.");
    const multi = (f.MaxSessionsPerInstance ?? 1) > 1;
    if (cc.DesiredInstances !== undefined && cc.DesiredSessions !== undefined) {
      throw bad("You can't define both DesiredSessions and DesiredInstances.");
    }
    if (multi && cc.DesiredSessions === undefined) throw bad("DesiredSessions is required for a multi-session fleet.");
    if (!multi && cc.DesiredSessions !== undefined) {
      throw bad("DesiredSessions is not allowed for single-session fleets.");
    }
    if (f.State === "STARTING" || f.State === "STOPPING") {
      throw new SimError("ConcurrentModificationException", `The fleet is ${f.State}.`);
    }
    const c = f.ComputeCapacityStatus ??= { Desired: 0 };
    if (multi) {
      const sessions = Number(cc.DesiredSessions);
      c.DesiredUserSessions = sessions;
      c.Desired = Math.ceil(sessions / (f.MaxSessionsPerInstance ?? 1));
    } else {
      c.Desired = Number(cc.DesiredInstances);
    }
    if (f.State === "RUNNING") {
      c.Running = c.Desired;
      c.Available = Math.max(0, c.Running - (c.InUse ?? 0));
    }
  }
  return { Fleet: f };
}

/** The write operations, spread into the AppStream operations table. */
export const appstreamWrites: OperationTable = {
  StartFleet: startFleet,
  StopFleet: stopFleet,
  UpdateFleet: updateFleet,
};
