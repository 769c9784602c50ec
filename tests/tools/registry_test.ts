import assert from "node:assert/strict";
import { fitBudget } from "../../src/tools/registry.ts";
import { TOOL_LIST_BUILDS } from "../../src/tools/loading.ts";
import { connect, scenario } from "../support/harness.ts";

Deno.test("default tools/list: read-only tools only, every annotation explicit, output schemas present", async () => {
  const h = await connect(scenario().build());
  try {
    const { tools } = await h.client.listTools();
    assert.ok(tools.length >= 3);
    for (const t of tools) {
      const a = t.annotations ?? {};
      for (const key of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
        assert.equal(typeof a[key], "boolean", `${t.name}.${key} must be explicit`);
      }
      assert.equal(a.readOnlyHint, true, `${t.name} is registered without --enable-writes, so it must be read-only`);
      assert.equal(a.destructiveHint, false);
      assert.ok(t.outputSchema, `${t.name} has an outputSchema`);
      assert.ok(t.description && t.description.length > 40, `${t.name} has a real description`);
      assert.ok(t.title);
    }
  } finally {
    await h.close();
  }
});

Deno.test("--toolsets registers only the named toolsets", async () => {
  const h = await connect(scenario().build(), ["--region", "us-east-1", "--toolsets", "inventory"]);
  try {
    const names = (await h.client.listTools()).tools.map((t: { name: string }) => t.name);
    assert.deepEqual(names.sort(), [
      "export_inventory_report_csv",
      "generate_euc_health_report",
      "generate_inventory_report",
      "get_euc_inventory_summary",
    ]);
  } finally {
    await h.close();
  }
});

Deno.test("the settings resource shows regions, toolsets and gates, and no secrets", async () => {
  const h = await connect(scenario().build(), ["--region", "eu-west-1", "--profile", "secret-profile-name"]);
  try {
    const res = await h.client.readResource({ uri: "euc://server/settings" });
    const text = (res.contents[0] as { text: string }).text;
    const s = JSON.parse(text);
    assert.equal(s.region, "eu-west-1");
    assert.equal(s.gates.max_bulk_targets, 25);
    assert.equal(s.gates.writes_enabled, false);
    assert.ok(!text.includes("secret-profile-name"));
    assert.ok(!text.includes("AKID"));
    const iam = await h.client.readResource({ uri: "euc://iam/tier0" });
    assert.match((iam.contents[0] as { text: string }).text, /workspaces:DescribeWorkspaces/);
  } finally {
    await h.close();
  }
});

Deno.test("prompts are registered", async () => {
  const h = await connect(scenario().build());
  try {
    const names = (await h.client.listPrompts()).prompts.map((p: { name: string }) => p.name).sort();
    assert.deepEqual(names, [
      "application_fleet_capacity_review",
      "monthly_cost_review",
      "pool_capacity_review",
      "secure_browser_portal_review",
      "security_posture_review",
      "triage_user_connection",
    ]);
    const p = await h.client.getPrompt({ name: "triage_user_connection", arguments: { workspace_id: "ws-abc12345" } });
    assert.match(JSON.stringify(p.messages), /ws-abc12345/);
  } finally {
    await h.close();
  }
});

Deno.test("the result budget trims the largest list, marks truncation and keeps totals", () => {
  const data = {
    total: 5000,
    truncated: false,
    items: Array.from({ length: 5000 }, (_, i) => ({ id: `ws-${i}`, detail: "x".repeat(40) })),
    small: [1, 2, 3],
    notes: [] as string[],
  };
  const out = fitBudget(data, 20_000);
  assert.ok(JSON.stringify(out).length <= 20_000);
  assert.ok(out.items.length < 5000 && out.items.length > 10);
  assert.equal(out.total, 5000);
  assert.equal(out.truncated, true);
  assert.deepEqual(out.small, [1, 2, 3]);
  assert.match(out.notes[0], /budget/);
  assert.equal(data.items.length, 5000, "the input is not mutated");
  const small = { a: [1], notes: [] };
  assert.equal(fitBudget(small), small);
});

Deno.test("demo mode stamps every result simulated: true and says so in the summary", async () => {
  const h = await connect(scenario().workspace("ws-demo00001").build(), ["--demo"]);
  try {
    const { body, result } = await h.call("get_euc_inventory_summary");
    assert.equal(body.simulated, true);
    assert.match(String(body.summary), /^\[simulated\]/);
    // The text content is exactly the compact JSON of the structured result.
    assert.equal((result.content as { text: string }[])[0].text, JSON.stringify(result.structuredContent));
  } finally {
    await h.close();
  }
});

Deno.test("writes are refused by tier whatever toolset a tool sits in", async () => {
  const { z } = await import("zod");
  const { createServer } = await import("../../src/server.ts");
  const { parseConfig } = await import("../../src/config.ts");
  const { createLogger } = await import("../../src/log.ts");
  const { Aws } = await import("../../src/aws/clients.ts");
  const { ALL_TOOLS } = await import("../../src/tools/mod.ts");
  const { READ_ONLY } = await import("../../src/tools/registry.ts");
  const tool = (name: string, tier: 0 | 1 | 2 | 3) => ({
    name,
    title: name,
    description: "a probe tool that sits in the read-only inventory toolset",
    toolset: "inventory",
    tier,
    actions: ["workspaces:DescribeWorkspaces"],
    annotations: READ_ONLY,
    input: z.object({}),
    output: z.object({}),
    run: () => Promise.resolve({ summary: "", data: {} }),
  });
  const probes = [tool("probe_read", 0), tool("probe_write", 2), tool("probe_destroy", 3)];
  const registered = (flags: string[]) => {
    const config = parseConfig(["--region", "us-east-1", ...flags], () => undefined);
    const aws = new Aws({ userAgent: "test", region: "us-east-1" });
    const log = createLogger("error", () => {});
    return createServer({ config, aws, log, tools: [...ALL_TOOLS, ...probes] }).tools.map((t) => t.name)
      .filter((n) => n.startsWith("probe_"));
  };
  assert.deepEqual(registered([]), ["probe_read"]);
  assert.deepEqual(registered(["--toolsets", "inventory"]), ["probe_read"]);
  assert.deepEqual(registered(["--enable-writes"]), ["probe_read", "probe_write"]);
  assert.deepEqual(registered(["--enable-writes", "--enable-destructive"]), [
    "probe_read",
    "probe_write",
    "probe_destroy",
  ]);
});

Deno.test("every tool sits in a toolset that lists it, and toolset ids are unique", async () => {
  const { TOOLSETS, ALL_TOOLS } = await import("../../src/tools/mod.ts");
  const ids = TOOLSETS.map((t) => t.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const ts of TOOLSETS) for (const t of ts.tools) assert.equal(t.toolset, ts.id, `${t.name} in ${ts.id}`);
  const names = ALL_TOOLS.map((t) => t.name);
  assert.equal(new Set(names).size, names.length, "tool names are unique");
});

Deno.test("null means not given, numeric strings coerce, an unknown key names the nearest parameter — before any AWS call", async () => {
  const h = await connect(scenario().workspace("ws-nul000001").build());
  try {
    const { body, result } = await h.call("get_euc_inventory_summary", { region: null, regions: null });
    assert.equal(result.isError, undefined, JSON.stringify(body));
    assert.equal(body.region, "us-east-1");
    const coerced = await h.call("analyze_workspace_utilization", { lookback_days: "14", limit: "5" });
    assert.equal(coerced.result.isError, undefined, JSON.stringify(coerced.body));
    assert.equal(coerced.body.lookback_days, 14);
    const before = h.sim.calls.length;
    const typo = await h.call("get_euc_inventory_summary", { regoin: "us-east-1" });
    assert.equal(typo.result.isError, true);
    assert.match(String((typo.body.error as { message: string }).message), /did you mean "region"/);
    const huge = await h.call("get_euc_inventory_summary", { ["x".repeat(1 << 20)]: 1 });
    assert.ok(JSON.stringify(huge.body).length < 2_000, "a 1 MiB key is not echoed in full");
    const proto = await h.call("get_euc_inventory_summary", JSON.parse('{"__proto__": {"x": 1}}'));
    assert.equal(proto.result.isError, true, "__proto__ is an unknown parameter too");
    assert.equal(h.sim.calls.length, before, "refused input made no AWS call");
  } finally {
    await h.close();
  }
});

Deno.test("a finding that names a write tool says how to enable writes when they are off, and not when they are on", async () => {
  const { demoEstate, DEMO } = await import("../../src/sim/mod.ts");
  const recommendations = async (flags: string[]) => {
    const h = await connect(demoEstate(), ["--region", "us-east-1", ...flags]);
    try {
      const { body } = await h.call("diagnose_pool", { pool_id: DEMO.poolAtCapacity });
      return (body.findings as { recommendation: string }[]).map((f) => f.recommendation)
        .filter((r) => r.includes("update_workspaces_pool_capacity"));
    } finally {
      await h.close();
    }
  };
  const off = await recommendations([]);
  assert.ok(off.length > 0);
  for (const r of off) assert.match(r, /--enable-writes/);
  const on = await recommendations(["--enable-writes"]);
  assert.ok(on.length > 0);
  for (const r of on) assert.doesNotMatch(r, /--enable-writes/);
});

Deno.test("an error result carries its JSON body as text and as structured content, and the client accepts it", async () => {
  const h = await connect(scenario().build());
  try {
    const { result } = await h.call("diagnose_pool", { pool_id: "not-a-pool" });
    assert.equal(result.isError, true);
    const body = result.structuredContent as { summary: string; error: { code: string } };
    assert.equal(body.error.code, "InvalidInput");
    assert.equal((result.content as { text: string }[])[0].text, JSON.stringify(body));
    assert.match(body.summary, /^InvalidInput: /);
  } finally {
    await h.close();
  }
});

Deno.test("tools/list is built once per server: a second list answers the same JSON without converting the schemas again", async () => {
  const h = await connect(scenario().build());
  try {
    const before = TOOL_LIST_BUILDS.count;
    const first = JSON.stringify(await h.client.listTools());
    assert.equal(TOOL_LIST_BUILDS.count, before + 1);
    const second = JSON.stringify(await h.client.listTools());
    assert.equal(second, first);
    assert.equal(TOOL_LIST_BUILDS.count, before + 1, "the second tools/list reuses the built schemas");
  } finally {
    await h.close();
  }
});

Deno.test("the result budget: a trimmed nested array sets the top-level truncated too; exactly at the budget is kept", () => {
  const data = {
    truncated: false,
    personal: {
      truncated: false,
      resources: Array.from({ length: 2000 }, (_, i) => ({ id: `ws-${i}`, detail: "x".repeat(40) })),
    },
    pools: { truncated: false, resources: [{ id: "a" }, { id: "b" }] },
    notes: [] as string[],
  };
  const out = fitBudget(data, 20_000);
  assert.ok(JSON.stringify(out).length <= 20_000);
  assert.ok(out.personal.resources.length < 2000);
  assert.equal(out.personal.truncated, true, "the trimmed list's owner");
  assert.equal(out.truncated, true, "a nested trim is a truncated result");
  assert.equal(out.pools.truncated, false, "an untouched list is not marked");
  assert.equal(out.pools.resources.length, 2);
  assert.match(out.notes[0], /budget/);
  // The budget is inclusive: a result of exactly `budget` bytes is returned as is.
  const exact = { truncated: false, items: ["a", "b", "c"], notes: [] as string[] };
  const bytes = JSON.stringify(exact).length;
  assert.equal(fitBudget(exact, bytes), exact);
  assert.equal(fitBudget(exact, bytes - 1).truncated, true);
});

Deno.test("the result budget trims the largest innermost list, never a whole section, and names what it cut", () => {
  const rows = (n: number, region: string) =>
    Array.from({ length: n }, (_, i) => ({ id: `ws-${region}-${i}`, detail: "x".repeat(40) }));
  const data = {
    truncated: false,
    regions: [
      { region: "us-east-1", truncated: false, items: rows(2000, "use1") },
      { region: "eu-west-1", truncated: false, items: rows(3, "euw1") },
      { region: "ap-south-1", truncated: false, items: [] as ReturnType<typeof rows> },
    ],
    notes: [] as string[],
  };
  const out = fitBudget(data, 20_000);
  assert.ok(JSON.stringify(out).length <= 20_000);
  assert.deepEqual(out.regions.map((r) => r.region), ["us-east-1", "eu-west-1", "ap-south-1"], "no section dropped");
  assert.ok(out.regions[0].items.length < 2000 && out.regions[0].items.length > 10, "the big list is trimmed");
  assert.equal(out.regions[0].truncated, true);
  assert.equal(out.regions[1].items.length, 3, "a small section keeps all its rows");
  assert.equal(out.regions[1].truncated, false);
  assert.equal(out.truncated, true);
  assert.match(out.notes[0], new RegExp(`cut: regions\\[0\\]\\.items 2000 → ${out.regions[0].items.length}\\)`));

  // Rows that carry small lists of their own (tags) are rows, not sections: the row list is trimmed, the tags kept.
  const tagged = {
    truncated: false,
    items: Array.from({ length: 3000 }, (_, i) => ({ id: `ws-${i}`, detail: "x".repeat(30), tags: ["a", "b"] })),
    notes: [] as string[],
  };
  const t = fitBudget(tagged, 20_000);
  assert.ok(JSON.stringify(t).length <= 20_000);
  assert.ok(t.items.length < 3000 && t.items.length > 10);
  assert.ok(t.items.every((r) => r.tags.length === 2), "the rows' own lists are not what gets cut");
  assert.match(t.notes[0], /cut: items 3000 → \d+\)/);
});
