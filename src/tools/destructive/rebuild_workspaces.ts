/** rebuild_workspaces: rebuilds WorkSpaces from bundle and user-volume snapshot (RebuildWorkspaces, 1 per call). */
import { z } from "zod";
import { DESKTOPS, runWrite, type Target, WriteOutcome, type WriteSpec } from "../../safety/mod.ts";
import { IDS } from "../_lib/patterns.ts";
import type { ToolDef } from "../registry.ts";
import { batchCall, GATE_INPUT, listed, WAIT_INPUT, WorkspaceIds, writeAnnotations } from "../lifecycle/_write.ts";
import { ACK_INPUT, IMPACT } from "./_destructive.ts";

const Input = z.object({ workspace_ids: WorkspaceIds, ...ACK_INPUT, ...GATE_INPUT, ...WAIT_INPUT });
const REBUILDABLE = ["AVAILABLE", "ERROR", "UNHEALTHY", "STOPPED", "REBOOTING"];

// AVAILABLE, ERROR, UNHEALTHY, STOPPED or REBOOTING, and a user-volume snapshot to rebuild from.
function decide(t: Target) {
  if (!REBUILDABLE.includes(t.state ?? "")) {
    return {
      verdict: "wrong_state" as const,
      expected_state: null,
      message: `${t.state}: only AVAILABLE, ERROR, UNHEALTHY, STOPPED or REBOOTING desktops can be rebuilt`,
    };
  }
  if (t.snapshots_read === false) {
    return {
      verdict: "unreadable" as const,
      expected_state: null,
      message: "snapshots could not be read; not rebuilt",
    };
  }
  if (!t.rebuild_snapshot) {
    return {
      verdict: "wrong_state" as const,
      expected_state: null,
      message: "no user-volume snapshot to rebuild from",
    };
  }
  return {
    verdict: "will_change" as const,
    expected_state: "AVAILABLE",
    message: `${t.state} → REBUILDING → AVAILABLE (from snapshot ${t.rebuild_snapshot})`,
  };
}

const SPEC: WriteSpec = {
  tool: "rebuild_workspaces",
  family: DESKTOPS,
  idPattern: IDS.workspace,
  noun: "WorkSpace",
  detail: (ids) => `rebuild ${listed(ids)}`,
  phrase: "REBUILD",
  impact: IMPACT.rebuild,
  capped: true,
  // The API takes exactly one RebuildWorkspaceRequest per call.
  chunk: 1,
  snapshots: true,
  decide,
  execute: (aws, region, ids, _p, signal) => batchCall(aws, "RebuildWorkspaces", ids, region, signal),
};

/** rebuild_workspaces: rebuilds desktops. */
export const rebuildWorkspaces: ToolDef<typeof Input, typeof WriteOutcome> = {
  name: "rebuild_workspaces",
  title: "Rebuild WorkSpaces",
  toolset: "destructive",
  tier: 3,
  actions: [
    "workspaces:DescribeTags",
    "workspaces:DescribeWorkspaceSnapshots",
    "workspaces:DescribeWorkspaces",
    "workspaces:RebuildWorkspaces",
  ],
  annotations: writeAnnotations(true, false),
  description: "Rebuild WorkSpaces Personal desktops: root volume from the bundle, user volume from the last " +
    "snapshot (data after it is lost; new private IP). The plan quotes each snapshot time. To execute: " +
    'confirm=true, acknowledge="REBUILD" and the plan_token of a dry run of exactly these ids; one API call per desktop.',
  input: Input,
  output: WriteOutcome,
  run: (ctx, a) => runWrite(ctx, SPEC, { ...a, targets: a.workspace_ids, params: {} }),
};
