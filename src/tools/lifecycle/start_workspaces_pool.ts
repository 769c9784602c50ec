/** start_workspaces_pool: starts a stopped WorkSpaces Pool (StartWorkspacesPool). */
import { z } from "zod";
import { POOLS, runWrite, type Target, WriteOutcome, type WriteSpec } from "../../safety/mod.ts";
import { IDS } from "../_lib/patterns.ts";
import type { ToolDef } from "../registry.ts";
import { POOL_EOS, PoolId } from "./_pool_fleet.ts";
import { GATE_INPUT, singleCall, WAIT_INPUT, writeAnnotations } from "./_write.ts";

const Input = z.object({ pool_id: PoolId, ...GATE_INPUT, ...WAIT_INPUT });

// "You cannot start a pool unless it has a running mode of AutoStop and a state of STOPPED."
function decide(t: Target) {
  if (t.state === "RUNNING" || t.state === "STARTING") {
    return { verdict: "already_done" as const, expected_state: "RUNNING", message: `already ${t.state}` };
  }
  if (t.state !== "STOPPED") {
    return {
      verdict: "wrong_state" as const,
      expected_state: null,
      message: `${t.state}: only a STOPPED pool can be started`,
    };
  }
  if (t.running_mode === "ALWAYS_ON") {
    return {
      verdict: "warn_api_may_reject" as const,
      expected_state: null,
      message: "ALWAYS_ON pool: AWS documents starting only AutoStop pools; not sent",
    };
  }
  return { verdict: "will_change" as const, expected_state: "RUNNING", message: "STOPPED → STARTING → RUNNING" };
}

const SPEC: WriteSpec = {
  tool: "start_workspaces_pool",
  family: POOLS,
  idPattern: IDS.pool,
  noun: "pool",
  detail: (ids) => ids.length ? `start pool ${ids[0]}` : "start no pool",
  capped: false,
  chunk: 1,
  decide,
  execute: (aws, region, [id], _p, signal) =>
    singleCall(() => aws.call("workspaces", "StartWorkspacesPool", { PoolId: id }, { region, signal })),
  planNotes: () => [POOL_EOS],
};

/** start_workspaces_pool: starts a pool. */
export const startWorkspacesPool: ToolDef<typeof Input, typeof WriteOutcome> = {
  name: "start_workspaces_pool",
  title: "Start a WorkSpaces Pool",
  toolset: "lifecycle",
  tier: 2,
  actions: ["workspaces:DescribeTags", "workspaces:DescribeWorkspacesPools", "workspaces:StartWorkspacesPool"],
  annotations: writeAnnotations(false, true),
  description: "Start a STOPPED AutoStop WorkSpaces Pool. Without confirm: the live plan and a plan_token; " +
    "confirm=true executes after the gates. wait_seconds polls until RUNNING.",
  input: Input,
  output: WriteOutcome,
  run: (ctx, a) => runWrite(ctx, SPEC, { ...a, targets: [a.pool_id], params: {} }),
};
