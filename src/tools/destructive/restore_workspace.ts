/** restore_workspace: restores one WorkSpace's volumes from its last snapshots (RestoreWorkspace). */
import { z } from "zod";
import { DESKTOPS, runWrite, type Target, WriteOutcome, type WriteSpec } from "../../safety/mod.ts";
import { IDS } from "../_lib/patterns.ts";
import type { ToolDef } from "../registry.ts";
import { GATE_INPUT, singleCall, WAIT_INPUT, writeAnnotations } from "../lifecycle/_write.ts";
import { ACK_INPUT, IMPACT } from "./_destructive.ts";

const Input = z.object({
  workspace_id: z.string().max(100).describe("WorkSpace id (ws-…)"),
  ...ACK_INPUT,
  ...GATE_INPUT,
  ...WAIT_INPUT,
});
const RESTORABLE = ["AVAILABLE", "ERROR", "UNHEALTHY", "STOPPED"];

// AVAILABLE, ERROR, UNHEALTHY or STOPPED, and snapshots of both volumes taken while healthy.
function decide(t: Target) {
  if (!RESTORABLE.includes(t.state ?? "")) {
    return {
      verdict: "wrong_state" as const,
      expected_state: null,
      message: `${t.state}: only AVAILABLE, ERROR, UNHEALTHY or STOPPED desktops can be restored`,
    };
  }
  if (t.snapshots_read === false) {
    return {
      verdict: "unreadable" as const,
      expected_state: null,
      message: "snapshots could not be read; not restored",
    };
  }
  if (!t.restore_snapshot) {
    return {
      verdict: "wrong_state" as const,
      expected_state: null,
      message: "no restore snapshot (it became unhealthy before its first snapshots?)",
    };
  }
  return {
    verdict: "will_change" as const,
    expected_state: "AVAILABLE",
    message: `${t.state} → RESTORING → AVAILABLE (from snapshot ${t.restore_snapshot})`,
  };
}

const SPEC: WriteSpec = {
  tool: "restore_workspace",
  family: DESKTOPS,
  idPattern: IDS.workspace,
  noun: "WorkSpace",
  detail: (ids) => ids.length ? `restore workspace ${ids[0]}` : "restore no workspace",
  phrase: "RESTORE",
  impact: IMPACT.restore,
  capped: false,
  chunk: 1,
  snapshots: true,
  decide,
  execute: (aws, region, [id], _p, signal) =>
    singleCall(() => aws.call("workspaces", "RestoreWorkspace", { WorkspaceId: id }, { region, signal })),
};

/** restore_workspace: restores one desktop. */
export const restoreWorkspace: ToolDef<typeof Input, typeof WriteOutcome> = {
  name: "restore_workspace",
  title: "Restore a WorkSpace",
  toolset: "destructive",
  tier: 3,
  actions: [
    "workspaces:DescribeTags",
    "workspaces:DescribeWorkspaceSnapshots",
    "workspaces:DescribeWorkspaces",
    "workspaces:RestoreWorkspace",
  ],
  annotations: writeAnnotations(true, false),
  description: "Restore one WorkSpaces Personal desktop's root and user volumes from its last snapshots (data " +
    'after the quoted snapshot time is lost). To execute: confirm=true, acknowledge="RESTORE" and the ' +
    "plan_token of a dry run of this desktop.",
  input: Input,
  output: WriteOutcome,
  run: (ctx, a) => runWrite(ctx, SPEC, { ...a, targets: [a.workspace_id], params: {} }),
};
