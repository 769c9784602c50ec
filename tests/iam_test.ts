/**
 * The IAM policies match the tools' declarations, and the declarations match what the tools send:
 * for every tool, the actions the simulator records while it runs ⊆ its declared actions ⊆ the
 * policies of its tier and below (enrichment: ⊆ the tier it names); each tier policy is exactly the
 * union of what its tools declare. At run time the harness refuses (and reports) any undeclared
 * action, so every tool test doubles as a check of the declaration.
 */
import assert from "node:assert/strict";
import { IAM_TIERS, tierActions } from "../src/aws/errors.ts";
import { SERVICES } from "../src/sim/mod.ts";
import { demoEstate } from "../src/sim/mod.ts";
import { ALL_TOOLS } from "../src/tools/mod.ts";
import { toolActions } from "../src/tools/registry.ts";
import { connect } from "./support/harness.ts";
import { SAMPLE_ARGS } from "./support/sample_args.ts";

/** Actions granted by the tiers 0..n together (tiers are additive). */
function grantedUpTo(n: number): Set<string> {
  return new Set(IAM_TIERS.filter((t) => t.tier <= n).flatMap((t) => tierActions(t.tier)));
}

Deno.test("every tool declares actions, all granted by its tier or below; enrichment by the tier it names", () => {
  for (const tool of ALL_TOOLS) {
    assert.ok(tool.actions.length > 0, `${tool.name} declares no actions`);
    const granted = grantedUpTo(tool.tier);
    for (const a of tool.actions) {
      assert.match(a, /^[a-z0-9-]+:[A-Z]\w+$/, `${tool.name}: ${a} is not an IAM action name`);
      assert.ok(granted.has(a), `${tool.name} (tier ${tool.tier}) needs ${a}, which no tier ≤ ${tool.tier} grants`);
    }
    for (const [a, tier] of Object.entries(tool.enrichment ?? {})) {
      assert.ok(tier > tool.tier, `${tool.name}: enrichment ${a} names tier ${tier}, not above the tool's own`);
      assert.ok(tierActions(tier).includes(a), `${tool.name}: enrichment ${a} is not in tier ${tier}`);
      assert.ok(!tool.actions.includes(a), `${tool.name}: ${a} is both required and enrichment`);
    }
  }
});

Deno.test("each tier policy is exactly the union of what its tools declare (tiers with tools)", () => {
  const lower = new Set<string>();
  for (const t of IAM_TIERS) {
    const tools = ALL_TOOLS.filter((tool) => tool.tier === t.tier);
    const expected = new Set<string>();
    for (const tool of tools) for (const a of tool.actions) if (!lower.has(a)) expected.add(a);
    for (const tool of ALL_TOOLS) {
      for (const [a, tier] of Object.entries(tool.enrichment ?? {})) if (tier === t.tier) expected.add(a);
    }
    const actual = tierActions(t.tier);
    if (expected.size > 0) {
      assert.deepEqual([...actual].sort(), [...expected].sort(), `${t.file} differs from its tools' declarations`);
    }
    for (const a of actual) lower.add(a);
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

Deno.test("on the demo estate, the simulator records only actions each tool declares", async () => {
  for (const tool of ALL_TOOLS) {
    const h = await connect(demoEstate(), ["--region", "us-east-1", "--enable-writes", "--enable-destructive"]);
    try {
      const args = SAMPLE_ARGS[tool.name];
      assert.ok(args, `tests/support/sample_args.ts has no arguments for ${tool.name}`);
      await h.call(tool.name, args);
      const declared = new Set(toolActions(tool));
      const recorded = new Set(h.sim.calls.map((c) => `${SERVICES[c.service]?.iamPrefix ?? c.service}:${c.operation}`));
      assert.ok(recorded.size > 0, `${tool.name} made no AWS call on the demo estate`);
      for (const a of recorded) assert.ok(declared.has(a), `${tool.name} sent ${a}, which it does not declare`);
    } finally {
      await h.close();
    }
  }
});

Deno.test("a tool that sends an undeclared action is refused and reported", async () => {
  const { UNDECLARED } = await import("../src/aws/scope.ts");
  const before = UNDECLARED.length;
  const { awsOn } = await import("./support/harness.ts");
  const { withActions } = await import("../src/aws/scope.ts");
  const { aws, sim } = awsOn(demoEstate());
  await assert.rejects(
    withActions(
      "probe",
      ["workspaces:DescribeWorkspaces"],
      () => aws.call("workspaces", "DescribeWorkspaceDirectories", {}, { region: "us-east-1" }),
    ),
    /does not declare/,
  );
  assert.equal(sim.calls.length, 0, "the refused call never reached AWS");
  assert.deepEqual(UNDECLARED.slice(before), [{ tool: "probe", action: "workspaces:DescribeWorkspaceDirectories" }]);
  UNDECLARED.length = before;
});

Deno.test("only src/aws/ imports the AWS SDK", async () => {
  const src = new URL("../src/", import.meta.url);
  const walk = async (dir: URL): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) {
        if (!url.href.endsWith("/aws/")) await walk(url);
        continue;
      }
      if (!entry.name.endsWith(".ts")) continue;
      const text = await Deno.readTextFile(url);
      assert.ok(
        !/from\s+"@aws-sdk\//.test(text.replace(/import type[^;]+;/g, "")),
        `${url.pathname} imports the AWS SDK`,
      );
    }
  };
  await walk(src);
});
