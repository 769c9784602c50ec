/** stop_application_fleet: stops a WorkSpaces Applications fleet (StopFleet); live sessions end. */
import { z } from "zod";
import { FLEETS, runWrite, type Target, WriteOutcome, type WriteSpec } from "../../safety/mod.ts";
import { IDS } from "../_lib/patterns.ts";
import type { ToolDef } from "../registry.ts";
import { FleetName, sessionNotes } from "./_pool_fleet.ts";
import { GATE_INPUT, singleCall, WAIT_INPUT, writeAnnotations } from "./_write.ts";

const Input = z.object({ fleet_name: FleetName, ...GATE_INPUT, ...WAIT_INPUT });

function decide(t: Target) {
  if (t.state === "STOPPED" || t.state === "STOPPING") {
    return { verdict: "already_done" as const, expected_state: "STOPPED", message: `already ${t.state}` };
  }
  if (t.state === "RUNNING" || t.state === "STARTING") {
    return { verdict: "will_change" as const, expected_state: "STOPPED", message: `${t.state} → STOPPING → STOPPED` };
  }
  return {
    verdict: "wrong_state" as const,
    expected_state: null,
    message: `${t.state}: the fleet cannot be stopped now`,
  };
}

const SPEC: WriteSpec = {
  tool: "stop_application_fleet",
  family: FLEETS,
  idPattern: IDS.fleet,
  noun: "fleet",
  detail: (ids) => ids.length ? `stop fleet ${ids[0]}` : "stop no fleet",
  capped: false,
  chunk: 1,
  decide,
  execute: (aws, region, [name], _p, signal) =>
    singleCall(() => aws.call("appstream", "StopFleet", { Name: name }, { region, signal })),
  planNotes: sessionNotes,
};

/** stop_application_fleet: stops a fleet. */
export const stopApplicationFleet: ToolDef<typeof Input, typeof WriteOutcome> = {
  name: "stop_application_fleet",
  title: "Stop a WorkSpaces Applications fleet",
  toolset: "lifecycle",
  tier: 2,
  actions: ["appstream:DescribeFleets", "appstream:ListTagsForResource", "appstream:StopFleet"],
  annotations: writeAnnotations(false, true),
  description: "Stop a RUNNING or STARTING WorkSpaces Applications (AppStream 2.0) fleet; the plan shows the " +
    "in-use sessions that end. Without confirm: the live plan and a plan_token; confirm=true executes after the " +
    "gates. wait_seconds polls until STOPPED.",
  input: Input,
  output: WriteOutcome,
  run: (ctx, a) => runWrite(ctx, SPEC, { ...a, targets: [a.fleet_name], params: {} }),
};
