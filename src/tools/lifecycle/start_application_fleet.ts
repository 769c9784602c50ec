/** start_application_fleet: starts a stopped WorkSpaces Applications fleet (StartFleet). */
import { z } from "zod";
import { FLEETS, runWrite, type Target, WriteOutcome, type WriteSpec } from "../../safety/mod.ts";
import { IDS } from "../_lib/patterns.ts";
import type { ToolDef } from "../registry.ts";
import { FleetName } from "./_pool_fleet.ts";
import { GATE_INPUT, singleCall, WAIT_INPUT, writeAnnotations } from "./_write.ts";

const Input = z.object({ fleet_name: FleetName, ...GATE_INPUT, ...WAIT_INPUT });

// The API states no rule; STOPPED starts, STOPPING must finish first.
function decide(t: Target) {
  if (t.state === "RUNNING" || t.state === "STARTING") {
    return { verdict: "already_done" as const, expected_state: "RUNNING", message: `already ${t.state}` };
  }
  if (t.state === "STOPPED") {
    return {
      verdict: "will_change" as const,
      expected_state: "RUNNING",
      message: "STOPPED → STARTING → RUNNING (instances are billed once running)",
    };
  }
  return {
    verdict: "wrong_state" as const,
    expected_state: null,
    message: `${t.state}: wait until the fleet is STOPPED`,
  };
}

const SPEC: WriteSpec = {
  tool: "start_application_fleet",
  family: FLEETS,
  idPattern: IDS.fleet,
  noun: "fleet",
  detail: (ids) => ids.length ? `start fleet ${ids[0]}` : "start no fleet",
  capped: false,
  chunk: 1,
  decide,
  execute: (aws, region, [name], _p, signal) =>
    singleCall(() => aws.call("appstream", "StartFleet", { Name: name }, { region, signal })),
};

/** start_application_fleet: starts a fleet. */
export const startApplicationFleet: ToolDef<typeof Input, typeof WriteOutcome> = {
  name: "start_application_fleet",
  title: "Start a WorkSpaces Applications fleet",
  toolset: "lifecycle",
  tier: 2,
  actions: ["appstream:DescribeFleets", "appstream:ListTagsForResource", "appstream:StartFleet"],
  annotations: writeAnnotations(false, true),
  description: "Start a STOPPED WorkSpaces Applications (AppStream 2.0) fleet. Without confirm: the live plan and " +
    "a plan_token; confirm=true executes after the gates. wait_seconds polls until RUNNING.",
  input: Input,
  output: WriteOutcome,
  run: (ctx, a) => runWrite(ctx, SPEC, { ...a, targets: [a.fleet_name], params: {} }),
};
