/** The answer of every write tool: the peer's WriteOutcome fields plus plan token, verdicts and verification. */
import { z } from "zod";
import { Errors, Notes } from "../tools/_lib/schemas.ts";

/** A target's verdict in the live plan. */
export const VERDICTS = [
  "will_change",
  "already_done",
  "wrong_state",
  "wrong_running_mode",
  "protected",
  "not_found",
  "duplicate",
  "unsupported",
  "warn_api_may_reject",
  "unreadable",
  "state_changed_since_plan",
] as const;
/** One of VERDICTS. */
export type Verdict = typeof VERDICTS[number];

/** How the human's consent was obtained for this call. */
export const CONFIRMATIONS = [
  "none",
  "elicitation_accepted",
  "elicitation_declined",
  "elicitation_cancelled",
  "elicitation_unavailable",
  "token",
  "confirm_flag",
] as const;
/** One of CONFIRMATIONS. */
export type Confirmation = typeof CONFIRMATIONS[number];

/** Why an execution request was refused (null: not refused). */
export const REFUSALS = ["invalid_input", "blast_radius", "acknowledgement", "plan_token", "not_confirmed"] as const;

/** One target's plan and result. */
export const TargetResult = z.object({
  target_id: z.string(),
  status: z.enum(["ok", "error", "skipped"]),
  message: z.string(),
  verdict: z.enum(VERDICTS).describe("The live plan's verdict by AWS's documented state rules"),
  current_state: z.string().nullable(),
  expected_state: z.string().nullable().describe("State after the change (ABSENT: the id is no longer returned)"),
  observed_state: z.string().nullable().describe("State read back when wait_seconds > 0"),
  verified: z.boolean().nullable().describe("True when the observed state is the expected one; null when not waited"),
  error_code: z.string().nullable().describe("AWS ErrorCode (FailedRequests) or exception name"),
  aws_request_id: z.string().nullable(),
  protected: z.boolean().describe("Tagged euc-mcp:protected=true: never mutated"),
  snapshot_time: z.string().nullable().optional().describe("Newest rebuild/restore snapshot (data after it is lost)"),
  active_sessions: z.number().nullable().optional().describe("Live user sessions that a stop or a lower capacity ends"),
});
/** One target's plan and result. */
export type TargetResult = z.infer<typeof TargetResult>;

/** The output of every write tool. */
export const WriteOutcome = z.object({
  action: z.string(),
  region: z.string().nullable(),
  dry_run: z.boolean().describe("True: nothing was sent to AWS (a plan, a refusal or invalid input)"),
  confirmed: z.boolean(),
  requested_targets: z.array(z.string()).describe("Deduplicated, in the order given"),
  max_bulk_targets: z.number(),
  blast_radius_ok: z.boolean(),
  plan: z.string(),
  acknowledgement_required: z.string().nullable(),
  refusal: z.enum(REFUSALS).nullable(),
  confirmation: z.enum(CONFIRMATIONS),
  plan_token: z.string().nullable().describe(
    "Pass back with confirm=true to execute exactly this plan (10 minutes, single use)",
  ),
  plan_expires_at: z.string().nullable(),
  results: z.array(TargetResult),
  errors: Errors,
  notes: Notes,
});
/** The output of every write tool. */
export type WriteOutcome = z.infer<typeof WriteOutcome>;
