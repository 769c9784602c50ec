/**
 * The gates every write tool passes through, in one call (`runWrite`): validation and dedupe →
 * live plan with verdicts → (confirm) cap → exact phrase → plan token → human confirmation by
 * elicitation → protected-tag and state re-check → chunked execution → optional verification →
 * one audit line. A refusal returns the fresh plan and a fresh token and changes nothing.
 */
import { type Aws, AwsCallError } from "../aws/clients.ts";
import { invalidateListings } from "../aws/listing_cache.ts";
import type { AwsErrorInfo } from "../aws/errors.ts";
import type { ToolContext } from "../tools/registry.ts";
import type { ToolOk } from "../tools/registry.ts";
import { audit } from "./audit.ts";
import { askHuman } from "./consent.ts";
import type { Confirmation, TargetResult, Verdict, WriteOutcome } from "./outcome.ts";
import { chunks, type Family, runPool, type Target } from "./targets.ts";
import { type BoundParams, issueToken, spendToken, TOKEN_PROBLEM_TEXT, verifyToken } from "./token.ts";

/** The destructive tools' acknowledgement phrases (case-sensitive, surrounding blanks tolerated). */
export type Phrase = "TERMINATE" | "REBUILD" | "RESTORE";

/** A target's verdict as a tool's state rule decides it. */
export interface Decision {
  verdict: Verdict;
  expected_state: string | null;
  message: string;
}

/** What one API call of the execution returned: per-target failures and the request id. */
export interface ChunkResult {
  failed: Map<string, { code: string; message: string }>;
  requestId: string | null;
}

/** A write tool's rules; everything else is the gates'. */
export interface WriteSpec {
  readonly tool: string;
  readonly family: Family;
  /** Ids must match this before any AWS call. */
  readonly idPattern: RegExp;
  /** What the target is called in texts: "workspace", "pool", "fleet". */
  readonly noun: string;
  /** Lower-case detail of the change for the plan text, e.g. "start 2 workspace(s): ws-1, ws-2". */
  detail(ids: readonly string[], params: BoundParams): string;
  /** Destructive tools: the phrase and the impact text. */
  readonly phrase?: Phrase;
  readonly impact?: string;
  /** Whether --max-bulk-targets applies (batch tools). */
  readonly capped: boolean;
  /** Ids per API call (25, or 1 for Rebuild and the single-target operations). */
  readonly chunk: number;
  /** Read snapshots in the plan (rebuild, restore). */
  readonly snapshots?: boolean;
  /** The documented state rule: verdict and expected end state of one target. */
  decide(t: Target, params: BoundParams): Decision;
  /** Sends one chunk to AWS. */
  execute(aws: Aws, region: string, ids: string[], params: BoundParams, signal: AbortSignal): Promise<ChunkResult>;
  /** Whether an observed target has reached the expected state (default: state equality; ABSENT = gone). */
  reached?(t: Target, expected: string | null): boolean;
  /** Extra plan notes (billing, lost work, end of support). */
  planNotes?(targets: Target[], params: BoundParams): string[];
}

/** One call's arguments as the gates see them. */
export interface WriteRequest {
  targets: readonly string[];
  params: BoundParams;
  /** An input problem found by the tool (peer texts); refused before any AWS call. */
  invalid?: string;
  confirm?: boolean;
  acknowledge?: string;
  plan_token?: string;
  wait_seconds?: number;
  region?: string;
  /** The plan text when no target was given. */
  emptyPlan?: string;
}

/** Knobs tests turn: how long to wait for the human, and the verification poll's first interval. */
export const GATE_TIMING = { elicitTimeoutMs: 300_000, firstPollMs: 250, maxPollMs: 5_000 };

const DRY_NOTE = "Dry run — nothing was changed.";
const NO_CHANGE = "No changes were made.";

/** Runs a write through every gate; the tool's whole `run`. */
export async function runWrite(ctx: ToolContext, spec: WriteSpec, req: WriteRequest): Promise<ToolOk<WriteOutcome>> {
  const cap = ctx.config.maxBulkTargets;
  const tier3 = spec.phrase !== undefined;
  const requested: string[] = [];
  const dupes: string[] = [];
  for (const id of req.targets) (requested.includes(id) ? dupes : requested).push(id);
  const base: WriteOutcome = {
    action: spec.tool,
    region: null,
    dry_run: true,
    confirmed: false,
    requested_targets: requested,
    max_bulk_targets: cap,
    blast_radius_ok: !spec.capped || requested.length <= cap,
    plan: "",
    acknowledgement_required: null,
    refusal: null,
    confirmation: "none",
    plan_token: null,
    plan_expires_at: null,
    results: [],
    errors: [],
    notes: dupes.length ? [`${dupes.length} duplicate id(s) collapsed: ${[...new Set(dupes)].join(", ")}.`] : [],
  };
  const done = (o: WriteOutcome, summary: string): ToolOk<WriteOutcome> => ({ summary, data: o });

  // 1. Validation, before any AWS call.
  const bad = req.invalid ?? requested.find((id) => !spec.idPattern.test(id));
  if (bad !== undefined) {
    const plan = req.invalid ?? `Invalid ${spec.noun} id '${bad}': must match ${spec.idPattern.source}.`;
    return done({ ...base, plan, refusal: "invalid_input", notes: [...base.notes, NO_CHANGE] }, `Refused: ${plan}`);
  }
  if (requested.length === 0) {
    const plan = req.emptyPlan ?? `No target ${spec.noun}s were provided.`;
    return done({ ...base, plan, notes: [...base.notes, NO_CHANGE] }, plan);
  }
  const [region] = await ctx.regions({ region: req.region });
  base.region = region;
  const binding = { tool: spec.tool, region, targets: requested, params: req.params };

  // 2. The live plan (always, also with confirm=true) and a fresh token for it.
  const plan = await livePlan(ctx, spec, region, requested, req.params);
  const fresh = await issueToken(binding);
  const changing = plan.results.filter((r) => r.verdict === "will_change");
  const planned: WriteOutcome = {
    ...base,
    errors: plan.errors,
    results: plan.results,
    plan_token: fresh.token,
    plan_expires_at: fresh.expiresAt,
    notes: [...base.notes, ...plan.notes],
  };
  const wouldText = planText(spec, changing.map((r) => r.target_id), requested.length, req.params);
  const refuse = (
    refusal: WriteOutcome["refusal"],
    text: string,
    extra: Partial<WriteOutcome> = {},
  ): ToolOk<WriteOutcome> =>
    done({
      ...planned,
      dry_run: false,
      confirmed: true,
      refusal,
      plan: text,
      results: planned.results.map((r) => ({ ...r, message: `not executed: ${r.message}` })),
      notes: [...planned.notes, NO_CHANGE],
      ...extra,
    }, text);

  if (!req.confirm) {
    const tokenNeeded = tier3 || ctx.config.requirePlanToken;
    const how = tier3
      ? "Re-run with confirm=true, the exact acknowledge phrase and this plan_token to execute."
      : tokenNeeded
      ? "Re-run with confirm=true and this plan_token to execute."
      : "Re-run with confirm=true to execute.";
    return done({
      ...planned,
      plan: `Would ${wouldText}`,
      results: planned.results.map((r) => ({ ...r, message: `dry run: ${r.message}` })),
      notes: [...planned.notes, ...(spec.impact ? [spec.impact] : []), `${DRY_NOTE} ${how}`],
    }, `Plan: would ${wouldText}`);
  }

  // 3. Execution gates: cap before phrase, then the token.
  if (!base.blast_radius_ok) {
    const text = `Refused: ${requested.length} targets exceed the blast-radius cap of ${cap}.` +
      (tier3 ? "" : " Re-run with fewer targets or raise --max-bulk-targets.");
    return refuse("blast_radius", text, { results: [] });
  }
  if (tier3 && (req.acknowledge ?? "").trim() !== spec.phrase) {
    const what = spec.tool === "restore_workspace" ? "restore is" : `this ${spec.tool.split("_")[0]} is`;
    return refuse(
      "acknowledgement",
      `Refused: ${what} destructive and requires the exact acknowledgement phrase. ${spec.impact ?? ""}`.trim(),
      { acknowledgement_required: spec.phrase },
    );
  }
  let verified: Awaited<ReturnType<typeof verifyToken>> | undefined;
  if (tier3 || ctx.config.requirePlanToken || req.plan_token !== undefined) {
    verified = await verifyToken(req.plan_token, binding);
    if (!verified.ok) {
      return refuse(
        "plan_token",
        `Refused: ${
          TOKEN_PROBLEM_TEXT[verified.problem]
        }. This answer holds the live plan and a fresh plan_token; review it, then re-run with confirm=true and that plan_token.`,
      );
    }
  }
  if (changing.length === 0) {
    const text = `Nothing to change: no requested ${spec.noun} is in a state this action applies to.`;
    return done(
      { ...planned, dry_run: false, confirmed: true, plan: text, notes: [...planned.notes, NO_CHANGE] },
      text,
    );
  }

  // 4. The human, when the client can ask one.
  let confirmation: Confirmation = verified?.ok ? "token" : "confirm_flag";
  if (ctx.canElicit()) {
    const answer = await askHuman(ctx, spec, region, planned.results, fresh.expiresAt, GATE_TIMING.elicitTimeoutMs);
    if (answer !== "elicitation_accepted") {
      return refuse("not_confirmed", `Not executed: ${consentText(answer)}`, { confirmation: answer });
    }
    confirmation = answer;
  }

  // 5. Re-check just before calling AWS: skip what changed, never add.
  if (verified?.ok) spendToken(verified.token);
  const again = await spec.family.read(ctx.aws, region, changing.map((r) => r.target_id), {
    tags: true,
    snapshots: spec.snapshots,
    signal: ctx.signal,
  });
  const results = new Map(planned.results.map((r) => [r.target_id, { ...r }]));
  const errors: AwsErrorInfo[] = [...planned.errors, ...again.errors];
  const toRun: string[] = [];
  for (const r of changing) {
    const out = results.get(r.target_id)!;
    const t = again.targets.get(r.target_id);
    const d = t && again.ok ? decideSafely(spec, t, req.params) : undefined;
    if (d?.verdict === "will_change") {
      toRun.push(r.target_id);
      continue;
    }
    out.status = "skipped";
    out.protected = t?.protected ?? out.protected;
    out.current_state = t?.state ?? out.current_state;
    out.verdict = d?.verdict === "protected" ? "protected" : "state_changed_since_plan";
    out.message = `skipped: changed since the plan (${d?.message ?? "could not be read again"})`;
  }
  for (const r of results.values()) {
    if (r.verdict !== "will_change" && r.status !== "skipped") r.status = "skipped";
    if (r.verdict !== "will_change" && !r.message.startsWith("skipped")) r.message = `skipped: ${r.message}`;
  }

  // 6. Execute in API-sized chunks; a failed chunk never stops the others.
  const requestIds: string[] = [];
  const parts = chunks(toRun, spec.chunk);
  try {
    await runPool(parts, spec.chunk === 1 ? 5 : 1, async (ids) => {
      try {
        const out = await spec.execute(ctx.aws, region, ids, req.params, ctx.signal);
        if (out.requestId) requestIds.push(out.requestId);
        for (const id of ids) {
          const r = results.get(id)!;
          const f = out.failed.get(id);
          r.aws_request_id = out.requestId;
          r.status = f ? "error" : "ok";
          r.error_code = f?.code ?? null;
          r.message = f ? `AWS refused: ${f.message}` : `requested: ${r.current_state ?? "?"} → ${r.expected_state}`;
        }
      } catch (e) {
        if (!(e instanceof AwsCallError)) throw e;
        errors.push(e.info);
        const code = (e.original as { name?: string } | undefined)?.name ?? e.info.code;
        const rid = (e.original as { $metadata?: { requestId?: string } } | undefined)?.$metadata?.requestId ?? null;
        for (const id of ids) {
          const r = results.get(id)!;
          Object.assign(r, {
            status: "error",
            error_code: code,
            aws_request_id: rid,
            message: `${e.info.code}: ${e.info.message} — ${e.info.hint}`,
          });
        }
      }
    });
  } finally {
    // Cached desktop listings may now be wrong: dropped (and one in flight now is not cached when it ends).
    if (parts.length) invalidateListings(ctx.aws);
  }

  // 7. Verify.
  const ok = [...results.values()].filter((r) => r.status === "ok");
  if ((req.wait_seconds ?? 0) > 0 && ok.length) await verify(ctx, spec, region, ok, req.wait_seconds!);

  // 8. Audit: one line per executed mutation.
  const final = [...results.values()];
  audit(ctx, {
    tool: spec.tool,
    region,
    requested,
    executed: final.filter((r) => r.status === "ok").map((r) => r.target_id),
    skipped: final.filter((r) => r.status === "skipped").map((r) => ({ id: r.target_id, verdict: r.verdict })),
    failed: final.filter((r) => r.status === "error").map((r) => ({ id: r.target_id, error_code: r.error_code })),
    confirmation,
    plan_id: verified?.ok ? verified.token.id : null,
    aws_request_ids: requestIds,
  });
  const failedAll = ok.length === 0;
  const text = `${cap1(wouldText)} (${failedAll && toRun.length ? "failed" : "executed"}).`;
  return done(
    {
      ...base,
      dry_run: false,
      confirmed: true,
      confirmation,
      plan: text,
      results: final,
      errors,
      notes: [
        ...planned.notes,
        ...((req.wait_seconds ?? 0) > 0 ? [] : [
          "AWS applies the change asynchronously; re-run with wait_seconds (up to 900) to wait for the end state.",
        ]),
      ],
    },
    `${text} ${ok.length} ok, ${final.filter((r) => r.status === "error").length} failed, ${
      final.filter((r) => r.status === "skipped").length
    } skipped`,
  );
}

const cap1 = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function planText(spec: WriteSpec, changing: string[], requested: number, params: BoundParams): string {
  const main = spec.detail(changing, params);
  const rest = requested - changing.length;
  return rest > 0 ? `${main} (${rest} requested target(s) not changed; see results)` : main;
}

function consentText(c: Confirmation): string {
  switch (c) {
    case "elicitation_declined":
      return "the person declined (or did not tick the confirmation / type the phrase). Nothing was changed.";
    case "elicitation_cancelled":
      return "the person dismissed the confirmation. Nothing was changed.";
    default:
      return "the confirmation request failed or timed out. Nothing was changed.";
  }
}

function decideSafely(spec: WriteSpec, t: Target, params: BoundParams): Decision {
  if (!t.found) return { verdict: "not_found", expected_state: null, message: `${spec.noun} ${t.id} not found` };
  if (!t.tags_read) {
    return {
      verdict: "unreadable",
      expected_state: null,
      message: "its tags could not be read, so the protected tag cannot be checked; not changed",
    };
  }
  if (t.protected) {
    return { verdict: "protected", expected_state: null, message: "tagged euc-mcp:protected=true; never changed" };
  }
  return spec.decide(t, params);
}

async function livePlan(ctx: ToolContext, spec: WriteSpec, region: string, ids: string[], params: BoundParams) {
  // Tags matter only for targets the state rule would change (a skip is a skip either way).
  const only = (t: Target) => spec.decide(t, params).verdict === "will_change";
  const read = await spec.family.read(ctx.aws, region, ids, {
    tags: true,
    snapshots: spec.snapshots,
    signal: ctx.signal,
    only: spec.snapshots ? undefined : only,
  });
  const results: TargetResult[] = ids.map((id) => {
    const t = read.targets.get(id);
    const d: Decision = !read.ok || !t
      ? { verdict: "unreadable", expected_state: null, message: "could not be read (see errors); not changed" }
      : decideSafely(spec, t, params);
    return {
      target_id: id,
      status: "skipped",
      message: d.message,
      verdict: d.verdict,
      current_state: t?.state ?? null,
      expected_state: d.expected_state,
      observed_state: null,
      verified: null,
      error_code: null,
      aws_request_id: null,
      protected: t?.protected ?? false,
      ...(spec.snapshots
        ? { snapshot_time: (spec.phrase === "RESTORE" ? t?.restore_snapshot : t?.rebuild_snapshot) ?? null }
        : {}),
      ...(spec.family.kind !== "desktop" ? { active_sessions: t?.active_sessions ?? null } : {}),
    };
  });
  const notes: string[] = [];
  if (spec.snapshots) {
    const kind = spec.phrase === "RESTORE" ? "restore" : "rebuild";
    for (const r of results) {
      if (r.verdict === "not_found") continue;
      notes.push(
        r.snapshot_time
          ? `${r.target_id}: last ${kind} snapshot ${r.snapshot_time} — data after this time will be lost.`
          : `${r.target_id}: no ${kind} snapshot found.`,
      );
    }
  }
  const found = [...read.targets.values()].filter((t) => t.found);
  notes.push(...(spec.planNotes?.(found, params) ?? []));
  return { results, errors: read.errors, notes };
}

async function verify(ctx: ToolContext, spec: WriteSpec, region: string, ok: TargetResult[], waitSeconds: number) {
  const deadline = Date.now() + waitSeconds * 1000;
  const reached = spec.reached ??
    ((t: Target, expected: string | null) => expected === "ABSENT" ? !t.found : t.found && t.state === expected);
  let delay = GATE_TIMING.firstPollMs;
  let pending = ok;
  while (pending.length) {
    const read = await spec.family.read(ctx.aws, region, pending.map((r) => r.target_id), {
      tags: false,
      signal: ctx.signal,
    }).catch(() => undefined);
    if (read?.ok) {
      for (const r of pending) {
        const t = read.targets.get(r.target_id);
        if (!t) continue;
        r.observed_state = t.found ? t.state : "ABSENT";
        r.verified = reached(t, r.expected_state);
      }
    }
    pending = pending.filter((r) => r.verified !== true);
    await ctx.progress(ok.length - pending.length, ok.length, `${ok.length - pending.length}/${ok.length} verified`);
    if (!pending.length || ctx.signal.aborted || Date.now() + delay > deadline) break;
    await sleep(delay, ctx.signal);
    delay = Math.min(delay * 2, GATE_TIMING.maxPollMs);
  }
  for (const r of pending) r.verified = false;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
