/** terminate_workspaces: permanently deletes WorkSpaces (TerminateWorkspaces, 25 per call). */
import { z } from "zod";
import { DESKTOPS, runWrite, type Target, WriteOutcome, type WriteSpec } from "../../safety/mod.ts";
import { IDS } from "../_lib/patterns.ts";
import type { ToolDef } from "../registry.ts";
import { batchCall, GATE_INPUT, listed, WAIT_INPUT, WorkspaceIds, writeAnnotations } from "../lifecycle/_write.ts";
import { ACK_INPUT, IMPACT } from "./_destructive.ts";

const Input = z.object({ workspace_ids: WorkspaceIds, ...ACK_INPUT, ...GATE_INPUT, ...WAIT_INPUT });

// "any state except SUSPENDED"; success shows as the id no longer being returned.
function decide(t: Target) {
  if (t.state === "SUSPENDED") {
    return {
      verdict: "wrong_state" as const,
      expected_state: null,
      message: "SUSPENDED desktops cannot be terminated",
    };
  }
  if (t.state === "TERMINATING" || t.state === "TERMINATED") {
    return { verdict: "already_done" as const, expected_state: "ABSENT", message: `already ${t.state}` };
  }
  return {
    verdict: "will_change" as const,
    expected_state: "ABSENT",
    message: `${t.state} → TERMINATING → gone (permanent)`,
  };
}

const SPEC: WriteSpec = {
  tool: "terminate_workspaces",
  family: DESKTOPS,
  idPattern: IDS.workspace,
  noun: "WorkSpace",
  detail: (ids) => `terminate ${listed(ids)}`,
  phrase: "TERMINATE",
  impact: IMPACT.terminate,
  capped: true,
  chunk: 25,
  decide,
  execute: (aws, region, ids, _p, signal) => batchCall(aws, "TerminateWorkspaces", ids, region, signal),
  planNotes: () => [
    "A Simple AD or AD Connector directory left without WorkSpaces for 30 consecutive days is deregistered (and then charged as a directory).",
  ],
};

/** terminate_workspaces: terminates desktops. */
export const terminateWorkspaces: ToolDef<typeof Input, typeof WriteOutcome> = {
  name: "terminate_workspaces",
  title: "Terminate WorkSpaces",
  toolset: "destructive",
  tier: 3,
  actions: ["workspaces:DescribeTags", "workspaces:DescribeWorkspaces", "workspaces:TerminateWorkspaces"],
  annotations: writeAnnotations(true, false),
  description: "PERMANENTLY delete WorkSpaces Personal desktops and their user data (any state except " +
    "SUSPENDED). Without confirm: the live plan and a plan_token. To execute: confirm=true, acknowledge=" +
    '"TERMINATE" and the plan_token of a dry run of exactly these ids, within the cap; the client\'s human ' +
    "confirmation when it supports elicitation. wait_seconds polls until the ids are gone.",
  input: Input,
  output: WriteOutcome,
  run: (ctx, a) => runWrite(ctx, SPEC, { ...a, targets: a.workspace_ids, params: {} }),
};
