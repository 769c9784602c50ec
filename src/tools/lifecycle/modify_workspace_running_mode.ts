/** modify_workspace_running_mode: switches a WorkSpace between AUTO_STOP and ALWAYS_ON (ModifyWorkspaceProperties). */
import { z } from "zod";
import { DESKTOPS, runWrite, type Target, WriteOutcome, type WriteSpec } from "../../safety/mod.ts";
import type { BoundParams } from "../../safety/mod.ts";
import { IDS } from "../_lib/patterns.ts";
import type { ToolDef } from "../registry.ts";
import { GATE_INPUT, singleCall, WAIT_INPUT, writeAnnotations } from "./_write.ts";

const Input = z.object({
  workspace_id: z.string().max(100).describe("WorkSpace id (ws-…)"),
  running_mode: z.string().max(40).describe("AUTO_STOP or ALWAYS_ON (case-insensitive; MANUAL is Core-only)"),
  ...GATE_INPUT,
  ...WAIT_INPUT,
});
const MODES = ["ALWAYS_ON", "AUTO_STOP"];

// "You can switch between running modes at any time"; Modify needs AVAILABLE or STOPPED.
function decide(t: Target, p: BoundParams) {
  const mode = String(p.running_mode);
  if (t.running_mode === mode) {
    return { verdict: "already_done" as const, expected_state: mode, message: `already ${mode}` };
  }
  if (t.state === "AVAILABLE" || t.state === "STOPPED") {
    return {
      verdict: "will_change" as const,
      expected_state: mode,
      message: `running mode ${t.running_mode} → ${mode} (state stays ${t.state})`,
    };
  }
  return {
    verdict: "warn_api_may_reject" as const,
    expected_state: null,
    message:
      `${t.state}: AWS modifies only AVAILABLE or STOPPED desktops (InvalidResourceState/OperationInProgress); not sent`,
  };
}

const SPEC: WriteSpec = {
  tool: "modify_workspace_running_mode",
  family: DESKTOPS,
  idPattern: IDS.workspace,
  noun: "WorkSpace",
  detail: (ids, p) =>
    ids.length ? `set running mode of ${ids[0]} to ${p.running_mode}` : `set running mode to ${p.running_mode}`,
  capped: false,
  chunk: 1,
  decide,
  execute: (aws, region, [id], p, signal) =>
    singleCall(() =>
      aws.call("workspaces", "ModifyWorkspaceProperties", {
        WorkspaceId: id,
        WorkspaceProperties: { RunningMode: String(p.running_mode) as "AUTO_STOP" },
      }, { region, signal })
    ),
  reached: (t, expected) => t.found && t.running_mode === expected,
  planNotes: (_t, p) => [
    p.running_mode === "ALWAYS_ON"
      ? "Billing: AutoStop → AlwaysOn charges a prorated monthly fee at once."
      : "Billing: AlwaysOn → AutoStop takes effect at the next month (renewal 00:00 UTC on the 1st); consider changing near month end.",
  ],
};

/** modify_workspace_running_mode: switches one desktop's running mode. */
export const modifyWorkspaceRunningMode: ToolDef<typeof Input, typeof WriteOutcome> = {
  name: "modify_workspace_running_mode",
  title: "Modify a WorkSpace's running mode",
  toolset: "lifecycle",
  tier: 2,
  actions: ["workspaces:DescribeTags", "workspaces:DescribeWorkspaces", "workspaces:ModifyWorkspaceProperties"],
  annotations: writeAnnotations(false, true),
  description: "Switch one WorkSpaces Personal desktop between AUTO_STOP and ALWAYS_ON (billing changes: " +
    "AutoStop → AlwaysOn is charged at once, AlwaysOn → AutoStop next month). Without confirm: the live plan and a " +
    "plan_token; confirm=true executes after the gates (AVAILABLE or STOPPED desktops only).",
  input: Input,
  output: WriteOutcome,
  run: (ctx, a) => {
    const mode = a.running_mode.trim().toUpperCase();
    const invalid = MODES.includes(mode)
      ? undefined
      : `Invalid running mode '${a.running_mode}'; use ['ALWAYS_ON', 'AUTO_STOP'].`;
    return runWrite(ctx, SPEC, { ...a, targets: [a.workspace_id], params: { running_mode: mode }, invalid });
  },
};
