/**
 * The IAM policies must match the code: every AWS operation a toolset can call (derived from the
 * source, following imports) is granted in the lowest tier that toolset belongs to, and no policy
 * grants an action the code never calls.
 */
import assert from "node:assert/strict";
import { ENRICHMENT_ACTIONS, IAM_TIERS, tierActions, tierOf } from "../src/aws/errors.ts";
import { ALL_TOOLS } from "../src/tools/mod.ts";

const SRC = new URL("../src/", import.meta.url);
// Every AWS call goes through Aws.call / collect / pages with literal service and operation names.
const CALL = /\b(?:call|collect|pages)\(\s*(?:[\w.]+,\s*)?"([a-z0-9-]+)",\s*"([A-Z]\w+)"/g;
const IMPORT = /from\s+"(\.{1,2}\/[^"]+\.ts)"/g;
const IAM_PREFIX: Record<string, string> = {};

async function read(url: URL): Promise<string> {
  return await Deno.readTextFile(url);
}

/** Files reachable from `entry` through relative imports, entry included. */
async function reachable(entry: URL, seen = new Map<string, string>()): Promise<Map<string, string>> {
  if (seen.has(entry.href) || !entry.href.startsWith(SRC.href)) return seen;
  const text = await read(entry);
  seen.set(entry.href, text);
  for (const m of text.matchAll(IMPORT)) await reachable(new URL(m[1], entry), seen);
  return seen;
}

function operations(text: string): string[] {
  return [...text.matchAll(CALL)].map((m) => `${IAM_PREFIX[m[1]] ?? m[1]}:${m[2]}`);
}

/** The src/tools/ file that declares each tool (by its `name: "<tool>"` line). */
async function toolFiles(): Promise<Map<string, URL>> {
  const out = new Map<string, URL>();
  for await (const entry of Deno.readDir(new URL("tools/", SRC))) {
    const url = new URL(`tools/${entry.name}`, SRC);
    for (const m of (await read(url)).matchAll(/^\s+name: "([a-z_]+)",$/gm)) out.set(m[1], url);
  }
  return out;
}

async function actionsByToolset(): Promise<Map<string, { tier: number; actions: Set<string> }>> {
  const out = new Map<string, { tier: number; actions: Set<string> }>();
  const declared = await toolFiles();
  for (const tool of ALL_TOOLS) {
    const file = declared.get(tool.name);
    assert.ok(file, `no src/tools/ file declares ${tool.name}`);
    const files = await reachable(file);
    const entry = out.get(tool.toolset) ?? { tier: tool.tier, actions: new Set<string>() };
    entry.tier = Math.min(entry.tier, tool.tier);
    for (const text of files.values()) for (const op of operations(text)) entry.actions.add(op);
    out.set(tool.toolset, entry);
  }
  return out;
}

Deno.test("every AWS action the code calls is in the lowest tier of the toolset that calls it", async () => {
  const byToolset = await actionsByToolset();
  assert.ok(byToolset.size > 0);
  const needed = new Map<string, number>();
  for (const { tier, actions } of byToolset.values()) {
    for (const a of actions) needed.set(a, Math.min(needed.get(a) ?? 9, tier));
  }
  // Optional enrichment (a $ figure, cost sections) stays in its own tier; the tool degrades without it.
  for (const [a, tier] of Object.entries(ENRICHMENT_ACTIONS)) if (needed.has(a)) needed.set(a, tier);
  assert.ok(needed.has("workspaces:DescribeWorkspaces"), "the derivation finds the inventory calls");
  for (const [action, tier] of needed) {
    const granted = tierOf(action);
    assert.ok(granted, `${action} is called by the code but no iam/ policy grants it`);
    assert.equal(granted.tier, tier, `${action} should be in tier ${tier}, found in tier ${granted.tier}`);
  }
});

Deno.test("no policy grants an action the code never calls (tiers with tools)", async () => {
  const byToolset = await actionsByToolset();
  const called = new Set([...byToolset.values()].flatMap((t) => [...t.actions]));
  const tiersWithTools = new Set([...byToolset.values()].map((t) => t.tier));
  for (const t of IAM_TIERS) {
    if (!tiersWithTools.has(t.tier)) continue; // a tier whose tools are not built yet keeps its planned actions
    const unused = tierActions(t.tier).filter((a) => !called.has(a));
    assert.deepEqual(unused, [], `${t.file} grants actions the code never calls`);
  }
});

Deno.test("each action appears in exactly one tier (tiers are additive) and policies are well-formed", () => {
  const seen = new Map<string, number>();
  for (const t of IAM_TIERS) {
    assert.equal(t.policy.Version, "2012-10-17");
    for (const s of t.policy.Statement) {
      assert.equal(s.Effect, "Allow");
      assert.equal(s.Resource, "*");
      for (const a of s.Action) {
        assert.match(a, /^[a-z0-9-]+:[A-Z]\w+$/);
        assert.ok(!seen.has(a), `${a} is in tier ${seen.get(a)} and tier ${t.tier}`);
        seen.set(a, t.tier);
      }
    }
  }
});

Deno.test("only src/aws/ imports the AWS SDK", async () => {
  for await (const entry of Deno.readDir(new URL("tools/", SRC))) {
    const text = await read(new URL(`tools/${entry.name}`, SRC));
    assert.ok(!/from\s+"@aws-sdk\//.test(text.replace(/import type[^;]+;/g, "")), `${entry.name} imports the AWS SDK`);
  }
});
