/** update_workspaces_pool_capacity: sets a pool's desired user sessions (UpdateWorkspacesPool Capacity). */
import { z } from "zod";
import { type BoundParams, POOLS, runWrite, type Target, WriteOutcome, type WriteSpec } from "../../safety/mod.ts";
import { IDS } from "../_lib/patterns.ts";
import type { ToolDef } from "../registry.ts";
import { POOL_EOS, PoolId } from "./_pool_fleet.ts";
import { GATE_INPUT, singleCall, writeAnnotations } from "./_write.ts";

const Input = z.object({
  pool_id: PoolId,
  desired_user_sessions: z.number().int().max(10_000).describe("New desired user sessions (0–10,000)"),
  ...GATE_INPUT,
});

function decide(t: Target, p: BoundParams) {
  const n = Number(p.desired_user_sessions);
  if (t.state === "CREATING" || t.state === "DELETING") {
    return { verdict: "wrong_state" as const, expected_state: null, message: `${t.state}: the pool cannot be updated` };
  }
  if (t.state === "UPDATING") {
    return {
      verdict: "warn_api_may_reject" as const,
      expected_state: null,
      message: "UPDATING: AWS answers OperationInProgress; not sent",
    };
  }
  if (t.desired === n) {
    return {
      verdict: "already_done" as const,
      expected_state: String(n),
      message: `desired user sessions already ${n}`,
    };
  }
  const below = (t.active_sessions ?? 0) > n ? ` — below the ${t.active_sessions} active session(s)` : "";
  return {
    verdict: "will_change" as const,
    expected_state: String(n),
    message: `desired user sessions ${t.desired ?? "?"} → ${n} (${n - (t.desired ?? 0) >= 0 ? "+" : ""}${
      n - (t.desired ?? 0)
    })${below}`,
  };
}

const SPEC: WriteSpec = {
  tool: "update_workspaces_pool_capacity",
  family: POOLS,
  idPattern: IDS.pool,
  noun: "pool",
  detail: (ids, p) =>
    ids.length ? `set pool ${ids[0]} desired user sessions to ${p.desired_user_sessions}` : "change no pool",
  capped: false,
  chunk: 1,
  decide,
  execute: (aws, region, [id], p, signal) =>
    singleCall(() =>
      aws.call("workspaces", "UpdateWorkspacesPool", {
        PoolId: id,
        Capacity: { DesiredUserSessions: Number(p.desired_user_sessions) },
      }, { region, signal })
    ),
  reached: (t, expected) => t.found && String(t.desired) === expected,
  planNotes:
    () => ["If an Application Auto Scaling target manages this pool, scaling may override the value.", POOL_EOS],
};

/** update_workspaces_pool_capacity: sets a pool's capacity. */
export const updateWorkspacesPoolCapacity: ToolDef<typeof Input, typeof WriteOutcome> = {
  name: "update_workspaces_pool_capacity",
  title: "Update a WorkSpaces Pool's capacity",
  toolset: "lifecycle",
  tier: 2,
  actions: ["workspaces:DescribeTags", "workspaces:DescribeWorkspacesPools", "workspaces:UpdateWorkspacesPool"],
  annotations: writeAnnotations(false, true),
  description: "Set a WorkSpaces Pool's desired user sessions (0–10,000). The plan shows current → new, the " +
    "delta and the active sessions. Without confirm: the live plan and a plan_token; confirm=true executes after the gates.",
  input: Input,
  output: WriteOutcome,
  run: (ctx, a) =>
    runWrite(ctx, SPEC, {
      ...a,
      targets: [a.pool_id],
      params: { desired_user_sessions: a.desired_user_sessions },
      invalid: a.desired_user_sessions < 0 ? "Invalid capacity: desired_user_sessions must be >= 0." : undefined,
    }),
};
