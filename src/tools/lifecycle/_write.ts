/** What the write tools share: input fragments, annotations, and the batch executor of WorkSpaces. */
import { z } from "zod";
import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { Aws } from "../../aws/clients.ts";
import type { ChunkResult } from "../../safety/mod.ts";
import { RegionInput } from "../_lib/schemas.ts";

/** Annotations: writes are never read-only; AWS is outside the server. */
export function writeAnnotations(destructive: boolean, idempotent: boolean): Required<Omit<ToolAnnotations, "title">> {
  return { readOnlyHint: false, destructiveHint: destructive, idempotentHint: idempotent, openWorldHint: true };
}

/** The gate inputs every write tool takes. */
export const GATE_INPUT = {
  confirm: z.boolean().default(false).describe("true: execute; default: dry run (plan + plan_token)"),
  plan_token: z.string().max(2048).optional().describe("From a dry run of exactly this call"),
  region: RegionInput,
};

/** Optional verification wait. */
export const WAIT_INPUT = {
  wait_seconds: z.number().int().min(0).max(900).default(0).describe("Verify: poll this long for the end state"),
};

/** A list of WorkSpace ids (patterns are checked by the gates, with the peer's refusal texts). */
export const WorkspaceIds = z.array(z.string().max(100)).max(1000).describe("WorkSpace ids (ws-…)");

/** Sends one Start/Stop/Reboot/Rebuild/Terminate chunk and maps FailedRequests per target. */
export async function batchCall(
  aws: Aws,
  op: "StartWorkspaces" | "StopWorkspaces" | "RebootWorkspaces" | "RebuildWorkspaces" | "TerminateWorkspaces",
  ids: string[],
  region: string,
  signal: AbortSignal,
): Promise<ChunkResult> {
  const list = ids.map((WorkspaceId) => ({ WorkspaceId }));
  const o = { region, signal };
  const out = op === "StartWorkspaces"
    ? await aws.call("workspaces", op, { StartWorkspaceRequests: list }, o)
    : op === "StopWorkspaces"
    ? await aws.call("workspaces", op, { StopWorkspaceRequests: list }, o)
    : op === "RebootWorkspaces"
    ? await aws.call("workspaces", op, { RebootWorkspaceRequests: list }, o)
    : op === "RebuildWorkspaces"
    ? await aws.call("workspaces", op, { RebuildWorkspaceRequests: list }, o)
    : await aws.call("workspaces", op, { TerminateWorkspaceRequests: list }, o);
  const failed = new Map<string, { code: string; message: string }>();
  for (const f of out.FailedRequests ?? []) {
    if (f.WorkspaceId) failed.set(f.WorkspaceId, { code: f.ErrorCode ?? "Unknown", message: f.ErrorMessage ?? "" });
  }
  return { failed, requestId: out.$metadata?.requestId ?? null };
}

/** Runs a single-resource call and returns its request id. */
export async function singleCall(call: () => Promise<{ $metadata?: { requestId?: string } }>): Promise<ChunkResult> {
  const out = await call();
  return { failed: new Map(), requestId: out.$metadata?.requestId ?? null };
}

/** "2 workspace(s): ws-1, ws-2" (at most 10 ids named). */
export function listed(ids: readonly string[], noun = "workspace(s)"): string {
  const shown = ids.slice(0, 10).join(", ") + (ids.length > 10 ? `, … (${ids.length - 10} more)` : "");
  return `${ids.length} ${noun}${ids.length ? `: ${shown}` : ""}`;
}
