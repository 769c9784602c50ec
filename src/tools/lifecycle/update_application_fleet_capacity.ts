/**
 * update_application_fleet_capacity: sets a fleet's desired instances, or desired sessions for a
 * multi-session fleet (UpdateFleet ComputeCapacity). Elastic fleets have no capacity: refused in the plan.
 */
import { z } from "zod";
import { type BoundParams, FLEETS, runWrite, type Target, WriteOutcome, type WriteSpec } from "../../safety/mod.ts";
import { IDS } from "../_lib/patterns.ts";
import type { ToolDef } from "../registry.ts";
import { FleetName } from "./_pool_fleet.ts";
import { GATE_INPUT, singleCall, writeAnnotations } from "./_write.ts";

const Input = z.object({
  fleet_name: FleetName,
  desired_instances: z.number().int().max(10_000).optional().describe(
    "Single-session fleets: new desired instances",
  ),
  desired_sessions: z.number().int().max(10_000).optional().describe(
    "Multi-session fleets: new desired user sessions",
  ),
  ...GATE_INPUT,
});

// ComputeCapacity "is not allowed for Elastic fleets"; DesiredSessions only (and required) for multi-session
// fleets; never both; a STARTING or STOPPING fleet cannot be updated.
function decide(t: Target, p: BoundParams) {
  const multi = (t.max_sessions_per_instance ?? 1) > 1;
  if (t.fleet_type === "ELASTIC") {
    return {
      verdict: "unsupported" as const,
      expected_state: null,
      message: "Elastic fleets have no capacity to set (AWS scales them)",
    };
  }
  if (multi && p.desired_sessions === undefined) {
    return {
      verdict: "unsupported" as const,
      expected_state: null,
      message:
        `multi-session fleet (${t.max_sessions_per_instance} sessions per instance): pass desired_sessions, not desired_instances`,
    };
  }
  if (!multi && p.desired_sessions !== undefined) {
    return {
      verdict: "unsupported" as const,
      expected_state: null,
      message: "single-session fleet: pass desired_instances, not desired_sessions",
    };
  }
  if (t.state === "STARTING" || t.state === "STOPPING") {
    return {
      verdict: "wrong_state" as const,
      expected_state: null,
      message: `${t.state}: wait until the fleet is RUNNING or STOPPED`,
    };
  }
  const n = Number(multi ? p.desired_sessions : p.desired_instances);
  const unit = multi ? "desired sessions" : "desired instances";
  if (t.desired === n) {
    return { verdict: "already_done" as const, expected_state: String(n), message: `${unit} already ${n}` };
  }
  return { verdict: "will_change" as const, expected_state: String(n), message: `${unit} ${t.desired ?? "?"} → ${n}` };
}

const SPEC: WriteSpec = {
  tool: "update_application_fleet_capacity",
  family: FLEETS,
  idPattern: IDS.fleet,
  noun: "fleet",
  detail: (ids, p) =>
    ids.length
      ? `set fleet ${ids[0]} ${
        p.desired_sessions !== undefined
          ? `desired sessions to ${p.desired_sessions}`
          : `desired instances to ${p.desired_instances}`
      }`
      : "change no fleet",
  capped: false,
  chunk: 1,
  decide,
  execute: (aws, region, [name], p, signal) =>
    singleCall(() =>
      aws.call("appstream", "UpdateFleet", {
        Name: name,
        ComputeCapacity: p.desired_sessions !== undefined
          ? { DesiredSessions: Number(p.desired_sessions) }
          : { DesiredInstances: Number(p.desired_instances) },
      }, { region, signal })
    ),
  reached: (t, expected) => t.found && String(t.desired) === expected,
  planNotes: () => ["An Application Auto Scaling policy's minimum/maximum capacity may override the value."],
};

/** update_application_fleet_capacity: sets a fleet's capacity. */
export const updateApplicationFleetCapacity: ToolDef<typeof Input, typeof WriteOutcome> = {
  name: "update_application_fleet_capacity",
  title: "Update a WorkSpaces Applications fleet's capacity",
  toolset: "lifecycle",
  tier: 2,
  actions: ["appstream:DescribeFleets", "appstream:ListTagsForResource", "appstream:UpdateFleet"],
  annotations: writeAnnotations(false, true),
  description: "Set a WorkSpaces Applications (AppStream 2.0) fleet's desired instances (single-session) or " +
    "desired_sessions (multi-session fleets); Elastic fleets are refused in the plan. Without confirm: the live " +
    "plan and a plan_token; confirm=true executes after the gates.",
  input: Input,
  output: WriteOutcome,
  run: (ctx, a) => {
    const both = a.desired_instances !== undefined && a.desired_sessions !== undefined;
    const neither = a.desired_instances === undefined && a.desired_sessions === undefined;
    const value = a.desired_sessions ?? a.desired_instances ?? 0;
    const invalid = both
      ? "Invalid capacity: pass desired_instances or desired_sessions, not both."
      : neither
      ? "Invalid capacity: desired_instances (or desired_sessions for a multi-session fleet) is required."
      : value < 0
      ? `Invalid capacity: ${a.desired_sessions !== undefined ? "desired_sessions" : "desired_instances"} must be >= 0.`
      : undefined;
    const params: Record<string, number> = a.desired_sessions !== undefined
      ? { desired_sessions: a.desired_sessions }
      : { desired_instances: a.desired_instances ?? 0 };
    return runWrite(ctx, SPEC, { ...a, targets: [a.fleet_name], params, invalid });
  },
};
