/** stop_workspaces_pool: stops a running WorkSpaces Pool (StopWorkspacesPool); live sessions end. */
import { z } from "zod";
import { POOLS, runWrite, type Target, WriteOutcome, type WriteSpec } from "../../safety/mod.ts";
import { IDS } from "../_lib/patterns.ts";
import type { ToolDef } from "../registry.ts";
import { POOL_EOS, PoolId, sessionNotes } from "./_pool_fleet.ts";
import { GATE_INPUT, singleCall, WAIT_INPUT, writeAnnotations } from "./_write.ts";

const Input = z.object({ pool_id: PoolId, ...GATE_INPUT, ...WAIT_INPUT });

// The API page lists desktop states pools never have; pool states are used instead.
function decide(t: Target) {
  if (t.state === "STOPPED" || t.state === "STOPPING") {
    return { verdict: "already_done" as const, expected_state: "STOPPED", message: `already ${t.state}` };
  }
  if (t.state !== "RUNNING") {
    return {
      verdict: "wrong_state" as const,
      expected_state: null,
      message: `${t.state}: only a RUNNING pool can be stopped`,
    };
  }
  if (t.running_mode === "ALWAYS_ON") {
    return {
      verdict: "warn_api_may_reject" as const,
      expected_state: null,
      message: "ALWAYS_ON pool: AWS documents stopping only AutoStop pools; not sent",
    };
  }
  return { verdict: "will_change" as const, expected_state: "STOPPED", message: "RUNNING → STOPPING → STOPPED" };
}

const SPEC: WriteSpec = {
  tool: "stop_workspaces_pool",
  family: POOLS,
  idPattern: IDS.pool,
  noun: "pool",
  detail: (ids) => ids.length ? `stop pool ${ids[0]}` : "stop no pool",
  capped: false,
  chunk: 1,
  decide,
  execute: (aws, region, [id], _p, signal) =>
    singleCall(() => aws.call("workspaces", "StopWorkspacesPool", { PoolId: id }, { region, signal })),
  planNotes: (targets) => [...sessionNotes(targets), POOL_EOS],
};

/** stop_workspaces_pool: stops a pool. */
export const stopWorkspacesPool: ToolDef<typeof Input, typeof WriteOutcome> = {
  name: "stop_workspaces_pool",
  title: "Stop a WorkSpaces Pool",
  toolset: "lifecycle",
  tier: 2,
  actions: ["workspaces:DescribeTags", "workspaces:DescribeWorkspacesPools", "workspaces:StopWorkspacesPool"],
  annotations: writeAnnotations(false, true),
  description: "Stop a RUNNING AutoStop WorkSpaces Pool; the plan shows the active user sessions that end. " +
    "Without confirm: the live plan and a plan_token; confirm=true executes after the gates. wait_seconds polls " +
    "until STOPPED.",
  input: Input,
  output: WriteOutcome,
  run: (ctx, a) => runWrite(ctx, SPEC, { ...a, targets: [a.pool_id], params: {} }),
};
