/** Shared inputs and notes of the pool and fleet tools. */
import { z } from "zod";
import type { Target } from "../../safety/mod.ts";

/** A WorkSpaces Pool id. */
export const PoolId = z.string().max(100).describe("WorkSpaces Pool id (wspool-…)");
/** A WorkSpaces Applications fleet name. */
export const FleetName = z.string().max(200).describe("WorkSpaces Applications (AppStream 2.0) fleet name");

/** Pools reach end of support on 31 Dec 2027 (API reference). */
export const POOL_EOS = "WorkSpaces Pools reach end of support on 31 December 2027.";

/** "N active user session(s) on X end" notes for stops. */
export function sessionNotes(targets: Target[]): string[] {
  return targets.filter((t) => (t.active_sessions ?? 0) > 0 && t.state !== "STOPPED").map((t) =>
    `${t.id}: ${t.active_sessions} active user session(s) will be disconnected.`
  );
}
