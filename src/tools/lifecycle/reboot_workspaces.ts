/** reboot_workspaces: reboots AVAILABLE or UNHEALTHY WorkSpaces (RebootWorkspaces, 25 per call). */
import { z } from "zod";
import { DESKTOPS, runWrite, type Target, WriteOutcome, type WriteSpec } from "../../safety/mod.ts";
import { IDS } from "../_lib/patterns.ts";
import type { ToolDef } from "../registry.ts";
import { batchCall, GATE_INPUT, listed, WAIT_INPUT, WorkspaceIds, writeAnnotations } from "./_write.ts";

const Input = z.object({ workspace_ids: WorkspaceIds, ...GATE_INPUT, ...WAIT_INPUT });

// AVAILABLE, UNHEALTHY, or REBOOTING (the latter only when stuck over 20 minutes: the API shows no time in state).
function decide(t: Target) {
  if (t.state === "AVAILABLE" || t.state === "UNHEALTHY") {
    return {
      verdict: "will_change" as const,
      expected_state: "AVAILABLE",
      message: `${t.state} → REBOOTING → AVAILABLE`,
    };
  }
  if (t.state === "REBOOTING") {
    return {
      verdict: "warn_api_may_reject" as const,
      expected_state: null,
      message:
        "already REBOOTING: AWS accepts a reboot only when stuck for over 20 minutes, which the API does not show; not sent",
    };
  }
  const hint = t.state === "STOPPED" ? " (use start_workspaces)" : "";
  return {
    verdict: "wrong_state" as const,
    expected_state: null,
    message: `${t.state}: only AVAILABLE or UNHEALTHY desktops can be rebooted${hint}`,
  };
}

const SPEC: WriteSpec = {
  tool: "reboot_workspaces",
  family: DESKTOPS,
  idPattern: IDS.workspace,
  noun: "WorkSpace",
  detail: (ids) => `reboot ${listed(ids)}`,
  capped: true,
  chunk: 25,
  decide,
  execute: (aws, region, ids, _p, signal) => batchCall(aws, "RebootWorkspaces", ids, region, signal),
  planNotes: () => ["A reboot disconnects the user; unsaved work is lost."],
};

/** reboot_workspaces: reboots WorkSpaces. */
export const rebootWorkspaces: ToolDef<typeof Input, typeof WriteOutcome> = {
  name: "reboot_workspaces",
  title: "Reboot WorkSpaces",
  toolset: "lifecycle",
  tier: 2,
  actions: ["workspaces:DescribeTags", "workspaces:DescribeWorkspaces", "workspaces:RebootWorkspaces"],
  annotations: writeAnnotations(false, false),
  description: "Reboot WorkSpaces Personal desktops that are AVAILABLE or UNHEALTHY. Without confirm: the live " +
    "plan and a plan_token; confirm=true executes in chunks of 25 after the gates. AWS returns before the reboot " +
    "finishes; wait_seconds polls until AVAILABLE again.",
  input: Input,
  output: WriteOutcome,
  run: (ctx, a) => runWrite(ctx, SPEC, { targets: a.workspace_ids, params: {}, ...a }),
};
