/**
 * Human confirmation through MCP form elicitation: a server-composed message from the live plan
 * (never model text), a confirm checkbox and, for destructive tools, the typed phrase. Only an
 * accepted, ticked (and correctly typed) answer counts; decline, cancel, timeout, a malformed
 * answer or any error change nothing. Kept behind this one adapter: the 2026-07-28 protocol
 * replaces server→client requests.
 */
import type { ToolContext } from "../tools/registry.ts";
import type { WriteSpec } from "./gates.ts";
import type { Confirmation, TargetResult } from "./outcome.ts";

/** Asks the person; returns how the consent ended. */
export async function askHuman(
  ctx: ToolContext,
  spec: WriteSpec,
  region: string,
  results: TargetResult[],
  expiresAt: string,
  timeoutMs: number,
): Promise<Confirmation> {
  const changing = results.filter((r) => r.verdict === "will_change");
  const lines = changing.slice(0, 20).map((r) =>
    `• ${r.target_id}: ${r.current_state ?? "?"} → ${r.expected_state ?? "?"}${
      r.snapshot_time ? ` (snapshot ${r.snapshot_time})` : ""
    }${r.active_sessions ? ` (${r.active_sessions} active session(s) end)` : ""}`
  );
  if (changing.length > 20) lines.push(`• … and ${changing.length - 20} more`);
  const skipped = results.length - changing.length;
  const message = [
    `${spec.tool} in ${region}: ${changing.length} ${spec.noun}(s) will change${
      skipped ? `, ${skipped} skipped` : ""
    }.`,
    ...lines,
    ...(spec.impact ? [spec.impact] : []),
    `Plan valid until ${expiresAt}.`,
  ].join("\n");
  const properties: Record<string, unknown> = {
    confirm: { type: "boolean", title: "Apply this change", default: false },
  };
  if (spec.phrase) {
    properties.phrase = {
      type: "string",
      title: `Type ${spec.phrase} to confirm`,
      minLength: spec.phrase.length,
      maxLength: spec.phrase.length + 8,
    };
  }
  try {
    const answer = await ctx.elicit({
      mode: "form",
      message,
      requestedSchema: {
        type: "object",
        properties: properties as never,
        required: spec.phrase ? ["confirm", "phrase"] : ["confirm"],
      },
    }, timeoutMs);
    if (answer.action === "decline") return "elicitation_declined";
    if (answer.action === "cancel") return "elicitation_cancelled";
    if (answer.action !== "accept") return "elicitation_unavailable";
    const content = answer.content ?? {};
    if (content.confirm !== true) return "elicitation_declined";
    if (spec.phrase && (typeof content.phrase !== "string" || content.phrase.trim() !== spec.phrase)) {
      return "elicitation_declined";
    }
    return "elicitation_accepted";
  } catch {
    return "elicitation_unavailable";
  }
}
