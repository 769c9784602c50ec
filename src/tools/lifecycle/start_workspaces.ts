/** start_workspaces: Starts stopped AutoStop/Manual WorkSpaces (StartWorkspaces, 25 per call). */
import { z } from "zod";
import { DESKTOPS, runWrite, type Target, WriteOutcome, type WriteSpec } from "../../safety/mod.ts";
import { IDS } from "../_lib/patterns.ts";
import type { ToolDef } from "../registry.ts";
import { batchCall, GATE_INPUT, listed, WAIT_INPUT, WorkspaceIds, writeAnnotations } from "./_write.ts";

const Input = z.object({ workspace_ids: WorkspaceIds, ...GATE_INPUT, ...WAIT_INPUT });

// "You cannot start a WorkSpace unless it has a running mode of AutoStop or Manual and a state of STOPPED."
function decide(t: Target) {
  if (t.state === "AVAILABLE") {
    return { verdict: "already_done" as const, expected_state: "AVAILABLE", message: "already AVAILABLE" };
  }
  if (t.running_mode === "ALWAYS_ON") {
    return {
      verdict: "wrong_running_mode" as const,
      expected_state: null,
      message: "ALWAYS_ON desktops cannot be started (they run all the time)",
    };
  }
  if (t.state === "STOPPED") {
    return {
      verdict: "will_change" as const,
      expected_state: "AVAILABLE",
      message: "STOPPED → STARTING → AVAILABLE (resume typically under 90 s)",
    };
  }
  return {
    verdict: "wrong_state" as const,
    expected_state: null,
    message: `${t.state}: only STOPPED desktops can be started`,
  };
}

const SPEC: WriteSpec = {
  tool: "start_workspaces",
  family: DESKTOPS,
  idPattern: IDS.workspace,
  noun: "WorkSpace",
  detail: (ids) => `start ${listed(ids)}`,
  capped: true,
  chunk: 25,
  decide,
  execute: (aws, region, ids, _p, signal) => batchCall(aws, "StartWorkspaces", ids, region, signal),
};

/** start_workspaces: starts stopped AutoStop/Manual WorkSpaces. */
export const startWorkspaces: ToolDef<typeof Input, typeof WriteOutcome> = {
  name: "start_workspaces",
  title: "Start WorkSpaces",
  toolset: "lifecycle",
  tier: 2,
  actions: ["workspaces:DescribeTags", "workspaces:DescribeWorkspaces", "workspaces:StartWorkspaces"],
  annotations: writeAnnotations(false, true),
  description: "Start stopped WorkSpaces Personal desktops (AutoStop or Manual running mode). Without confirm it " +
    "returns the live plan per desktop (current → expected state, verdict) and a plan_token; with confirm=true it " +
    "executes in chunks of 25 after the gates (cap, token with --require-plan-token, human confirmation when the " +
    "client supports elicitation, protected tag). wait_seconds polls until AVAILABLE.",
  input: Input,
  output: WriteOutcome,
  run: (ctx, a) => runWrite(ctx, SPEC, { targets: a.workspace_ids, params: {}, ...a }),
};
