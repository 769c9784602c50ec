/**
 * The audit line: one JSON object on stderr per executed mutation, joinable to CloudTrail by the AWS
 * request ids. Never a token, key, credential or tag value: only ids, verdicts, codes and the
 * token's public id. Logged at warn so that --log-level warn keeps it.
 */
import type { ToolContext } from "../tools/registry.ts";

/** The fields of one audit line. */
export interface AuditEntry {
  tool: string;
  region: string;
  requested: string[];
  executed: string[];
  skipped: { id: string; verdict: string }[];
  failed: { id: string; error_code: string | null }[];
  confirmation: string;
  plan_id: string | null;
  aws_request_ids: string[];
}

/** The audit event name, also the log line's `msg`. */
export const AUDIT_EVENT = "euc-mcp.mutation";

/** Writes the audit line for one executed mutation. */
export function audit(ctx: ToolContext, e: AuditEntry): void {
  ctx.log.warn(AUDIT_EVENT, {
    event: AUDIT_EVENT,
    ...e,
    client: ctx.client ? { name: ctx.client.name, version: ctx.client.version } : null,
  });
}
