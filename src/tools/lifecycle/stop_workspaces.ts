/** stop_workspaces: stops running AutoStop/Manual WorkSpaces (StopWorkspaces, 25 per call). */
import { z } from "zod";
import { DESKTOPS, runWrite, type Target, WriteOutcome, type WriteSpec } from "../../safety/mod.ts";
import { IDS } from "../_lib/patterns.ts";
import type { ToolDef } from "../registry.ts";
import { batchCall, GATE_INPUT, listed, WAIT_INPUT, WorkspaceIds, writeAnnotations } from "./_write.ts";

const Input = z.object({ workspace_ids: WorkspaceIds, ...GATE_INPUT, ...WAIT_INPUT });
const STOPPABLE = ["AVAILABLE", "IMPAIRED", "UNHEALTHY", "ERROR"];
// AutoStop desktops of these bundles do not hibernate: unsaved work is lost on stop.
const NO_HIBERNATE =
  /GRAPHICS|GRAPHICSPRO|GENERALPURPOSE_4XLARGE|GENERALPURPOSE_8XLARGE|GRAPHICS_G4DN|GRAPHICSPRO_G4DN/;

// AutoStop or Manual running mode, and AVAILABLE, IMPAIRED, UNHEALTHY or ERROR.
function decide(t: Target) {
  if (t.state === "STOPPED") {
    return { verdict: "already_done" as const, expected_state: "STOPPED", message: "already STOPPED" };
  }
  if (t.running_mode === "ALWAYS_ON") {
    return {
      verdict: "wrong_running_mode" as const,
      expected_state: null,
      message: "ALWAYS_ON desktops cannot be stopped; switch it to AUTO_STOP with modify_workspace_running_mode first",
    };
  }
  if (STOPPABLE.includes(t.state ?? "")) {
    return { verdict: "will_change" as const, expected_state: "STOPPED", message: `${t.state} → STOPPING → STOPPED` };
  }
  return {
    verdict: "wrong_state" as const,
    expected_state: null,
    message: `${t.state}: only AVAILABLE, IMPAIRED, UNHEALTHY or ERROR desktops can be stopped`,
  };
}

const SPEC: WriteSpec = {
  tool: "stop_workspaces",
  family: DESKTOPS,
  idPattern: IDS.workspace,
  noun: "WorkSpace",
  detail: (ids) => `stop ${listed(ids)}`,
  capped: true,
  chunk: 25,
  decide,
  execute: (aws, region, ids, _p, signal) => batchCall(aws, "StopWorkspaces", ids, region, signal),
  planNotes: (targets) => {
    const cold = targets.filter((t) => NO_HIBERNATE.test(t.compute_type ?? "") && t.state === "AVAILABLE");
    return cold.length
      ? [`${cold.map((t) => t.id).join(", ")}: graphics/4xl/8xl desktops do not hibernate — unsaved work is lost.`]
      : [];
  },
};

/** stop_workspaces: stops running AutoStop/Manual WorkSpaces. */
export const stopWorkspaces: ToolDef<typeof Input, typeof WriteOutcome> = {
  name: "stop_workspaces",
  title: "Stop WorkSpaces",
  toolset: "lifecycle",
  tier: 2,
  actions: ["workspaces:DescribeTags", "workspaces:DescribeWorkspaces", "workspaces:StopWorkspaces"],
  annotations: writeAnnotations(false, true),
  description: "Stop WorkSpaces Personal desktops in AutoStop or Manual running mode (AVAILABLE, IMPAIRED, " +
    "UNHEALTHY or ERROR). Without confirm: the live plan and a plan_token; confirm=true executes in chunks of 25 " +
    "after the gates. ALWAYS_ON desktops are refused in the plan. wait_seconds polls until STOPPED.",
  input: Input,
  output: WriteOutcome,
  run: (ctx, a) => runWrite(ctx, SPEC, { targets: a.workspace_ids, params: {}, ...a }),
};
