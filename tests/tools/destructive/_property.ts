/**
 * The property run (in a worker or inline): bounded property: 10,000 random write calls (random tools, ids, confirm, phrases, tokens and
 * elicitation answers) against one simulator perform a mutation only when every gate passed, and
 * never on a protected or unrequested target — asserted from the simulator's call log.
 */
import assert from "node:assert/strict";
import type { ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { Simulator } from "../../../src/sim/mod.ts";
import { ALL_WRITES, connectWrites, MUTATIONS, scenario } from "../lifecycle/_support.ts";

/** A small seeded PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DESKTOPS = ["ws-pa0000001", "ws-pa0000002", "ws-ps0000001", "ws-pe0000001", "ws-pn0000001", "ws-pp0000001"];
const PROTECTED = new Set(["ws-pp0000001", "wspool-pp0000001", "pfleet-prot"]);

function estate() {
  return scenario()
    .workspace("ws-pa0000001", { state: "AVAILABLE" })
    .workspace("ws-pa0000002", { state: "AVAILABLE", runningMode: "ALWAYS_ON" })
    .workspace("ws-ps0000001", { state: "STOPPED" })
    .workspace("ws-pe0000001", { state: "ERROR" })
    .workspace("ws-pn0000001", { state: "SUSPENDED" })
    .workspace("ws-pp0000001", { state: "AVAILABLE", tags: { "euc-mcp:protected": "true" } })
    .pool("wspool-pr0000001", { state: "RUNNING" })
    .pool("wspool-pp0000001", { state: "STOPPED", tags: { "euc-mcp:protected": "True" } })
    .fleet("pfleet-run", { state: "RUNNING" })
    .fleet("pfleet-prot", { state: "STOPPED", tags: { "euc-mcp:protected": "true" } })
    .build();
}

type Kind = "batch" | "single" | "pool" | "fleet";
const TOOLS: {
  name: string;
  kind: Kind;
  tier: 2 | 3;
  phrase?: string;
  cap: boolean;
  extra?: () => Record<string, unknown>;
}[] = [
  { name: "start_workspaces", kind: "batch", tier: 2, cap: true },
  { name: "stop_workspaces", kind: "batch", tier: 2, cap: true },
  { name: "reboot_workspaces", kind: "batch", tier: 2, cap: true },
  {
    name: "modify_workspace_running_mode",
    kind: "single",
    tier: 2,
    cap: false,
    extra: () => ({ running_mode: "AUTO_STOP" }),
  },
  { name: "start_workspaces_pool", kind: "pool", tier: 2, cap: false },
  { name: "stop_workspaces_pool", kind: "pool", tier: 2, cap: false },
  {
    name: "update_workspaces_pool_capacity",
    kind: "pool",
    tier: 2,
    cap: false,
    extra: () => ({ desired_user_sessions: 7 }),
  },
  { name: "start_application_fleet", kind: "fleet", tier: 2, cap: false },
  { name: "stop_application_fleet", kind: "fleet", tier: 2, cap: false },
  {
    name: "update_application_fleet_capacity",
    kind: "fleet",
    tier: 2,
    cap: false,
    extra: () => ({ desired_instances: 3 }),
  },
  { name: "terminate_workspaces", kind: "batch", tier: 3, phrase: "TERMINATE", cap: true },
  { name: "rebuild_workspaces", kind: "batch", tier: 3, phrase: "REBUILD", cap: true },
  { name: "restore_workspace", kind: "single", tier: 3, phrase: "RESTORE", cap: false },
];

/** Every id a mutating request names. */
function mutatedIds(params: unknown): string[] {
  const p = params as Record<string, unknown>;
  const ids: string[] = [];
  for (const [k, v] of Object.entries(p ?? {})) {
    if (Array.isArray(v) && k.endsWith("Requests")) {
      ids.push(...v.map((r) => (r as { WorkspaceId: string }).WorkspaceId));
    }
  }
  for (const k of ["WorkspaceId", "PoolId", "Name"]) if (typeof p?.[k] === "string") ids.push(p[k] as string);
  return ids;
}

/** Runs N random calls from `seed`; throws an AssertionError naming the first call that broke the property. */
export async function runProperty(
  seed: number,
  N: number,
): Promise<{ executedCalls: number; mutatingCalls: number; ms: number }> {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const sim = new Simulator(estate());
  let answer: ElicitResult = { action: "decline" };
  const eliciting = await connectWrites(sim, {
    flags: [...ALL_WRITES, "--max-bulk-targets", "3", "--require-plan-token"],
    elicit: () => answer,
  });
  const plain = await connectWrites(sim, { flags: [...ALL_WRITES, "--max-bulk-targets", "3"] });
  const region = sim.estate.region("us-east-1");
  const template = estate().region("us-east-1");
  const tokens = new Map<string, string>();
  let executedCalls = 0;
  let mutatingCalls = 0;
  const started = performance.now();
  try {
    for (let i = 0; i < N; i++) {
      if (i % 250 === 0) {
        // Put back what was terminated, so the estate never runs dry.
        for (const [id, ws] of template.workspaces) {
          if (!region.workspaces.has(id)) region.workspaces.set(id, structuredClone(ws));
          const tags = template.tags.get(id);
          if (tags) region.tags.set(id, structuredClone(tags));
        }
      }
      const tool = pick(TOOLS);
      const h = rand() < 0.5 ? eliciting : plain;
      const ids: string[] = tool.kind === "batch"
        ? Array.from(
          { length: Math.floor(rand() * 5) },
          () => pick([...DESKTOPS, ...DESKTOPS, "ws-BAD", "ws-pa0000001"]),
        )
        : [
          tool.kind === "single"
            ? pick([...DESKTOPS, "bogus"])
            : tool.kind === "pool"
            ? pick(["wspool-pr0000001", "wspool-pp0000001", "wspool-missing01", "pool-1"])
            : pick(["pfleet-run", "pfleet-prot", "no-such-fleet"]),
        ];
      const args: Record<string, unknown> = tool.kind === "batch"
        ? { workspace_ids: ids }
        : tool.kind === "single"
        ? { workspace_id: ids[0] }
        : tool.kind === "pool"
        ? { pool_id: ids[0] }
        : { fleet_name: ids[0] };
      Object.assign(args, tool.extra?.() ?? {});
      const confirm = rand() < 0.8;
      if (confirm) args.confirm = true;
      const ackKind = pick(["right", "right", "lower", "empty", "other"] as const);
      if (tool.phrase) {
        args.acknowledge = ackKind === "right"
          ? tool.phrase
          : ackKind === "lower"
          ? tool.phrase.toLowerCase()
          : ackKind === "empty"
          ? ""
          : "YES";
      }
      const tokenKind = pick(["fresh", "fresh", "none", "other", "garbage"] as const);
      // Tokens are minted by a dry run of the same call and cached until a call spends them.
      const key = `${h === eliciting ? "e" : "p"}|${tool.name}|${
        JSON.stringify({ ...args, confirm: 0, acknowledge: 0 })
      }`;
      if (tokenKind === "fresh") {
        let token = tokens.get(key);
        if (!token) {
          const before = sim.calls.length;
          const { confirm: _c, acknowledge: _a, ...dry } = args;
          const plan = await h.call(tool.name, dry);
          assert.ok(![...sim.calls.slice(before)].some((c) => MUTATIONS.has(c.operation)), "a dry run mutated");
          token = typeof plan.plan_token === "string" ? plan.plan_token : undefined;
          if (token) tokens.set(key, token);
        }
        if (token) args.plan_token = token;
      } else if (tokenKind === "other") {
        const plan = await h.call(tool.name === "stop_workspaces" ? "start_workspaces" : "stop_workspaces", {
          workspace_ids: ["ws-pa0000001"],
        });
        args.plan_token = plan.plan_token;
      } else if (tokenKind === "garbage") {
        args.plan_token = pick(["v1.abc.def", "", "x".repeat(40)]);
      }
      const answerKind = pick(["ok", "ok", "unticked", "phrase", "decline", "cancel"] as const);
      answer = answerKind === "decline" || answerKind === "cancel" ? { action: answerKind } : {
        action: "accept",
        content: { confirm: answerKind !== "unticked", phrase: answerKind === "phrase" ? "nope" : tool.phrase ?? "" },
      };

      const validIds = ids.every((id) =>
        tool.kind === "fleet"
          ? true
          : tool.kind === "pool"
          ? /^wspool-[0-9a-z]{9}$/.test(id)
          : /^ws-[0-9a-z]{8,63}$/.test(id)
      );
      const unique = new Set(ids).size;
      const tokenNeeded = tool.tier === 3 || h === eliciting;
      const tokenOk = tokenKind === "fresh" && typeof args.plan_token === "string";
      const gates = validIds && unique > 0 && confirm && (!tool.cap || unique <= 3) &&
        (!tool.phrase || ackKind === "right") &&
        (tokenNeeded || tokenKind !== "none" ? tokenOk : true) &&
        (h === eliciting ? answerKind === "ok" || (answerKind === "phrase" && !tool.phrase) : true);

      const before = sim.calls.length;
      const out = await h.call(tool.name, args);
      const muts = sim.calls.slice(before).filter((c) => MUTATIONS.has(c.operation));
      if (muts.length) {
        mutatingCalls++;
        assert.ok(
          gates,
          `call ${i}: ${tool.name} ${JSON.stringify(args).slice(0, 300)} mutated without passing the gates`,
        );
        for (const m of muts) {
          for (const id of mutatedIds(m.params)) {
            assert.ok(ids.includes(id), `call ${i}: ${id} was not requested`);
            assert.ok(!PROTECTED.has(id), `call ${i}: protected ${id} was mutated`);
          }
        }
      }
      if (out.dry_run === false && out.refusal === null && confirm) {
        executedCalls++;
        tokens.delete(key);
      }
    }
  } finally {
    await eliciting.close();
    await plain.close();
  }
  assert.ok(mutatingCalls > N / 50, `the random calls exercised execution (${mutatingCalls} mutating calls)`);
  return { executedCalls, mutatingCalls, ms: Math.round(performance.now() - started) };
}
