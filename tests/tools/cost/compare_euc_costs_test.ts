import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { seedCosts } from "../../../src/sim/mod.ts";
import { addDays, todayUtc } from "../../../src/sim/mod.ts";
import { account, type Body, ceCalls } from "./_fixtures.ts";

Deno.test("the comparison names the usage type that drove the change, bucketed Personal/Pools/Core", async () => {
  const estate = account();
  seedCosts(estate, [{
    service: "Amazon WorkSpaces",
    usageType: "USE1-AW-HW-Pools-8-Usage",
    daily: 50,
    from: addDays(todayUtc(), -20),
  }]);
  const h = await connect(estate);
  try {
    const { body, result } = await h.call("compare_euc_costs", { top_n: 2 });
    assert.ok(!result.isError);
    assert.equal(body.comparison_end, todayUtc());
    assert.equal(body.comparison_start, addDays(todayUtc(), -30));
    assert.equal(body.baseline_end, body.comparison_start);
    assert.equal(body.baseline_start, addDays(todayUtc(), -60));
    const drivers = body.top_drivers as { usage_type: string; category: string; delta: number; baseline: number }[];
    assert.equal(drivers.length, 2);
    assert.equal(drivers[0].usage_type, "USE1-AW-HW-Pools-8-Usage");
    assert.equal(drivers[0].category, "Amazon WorkSpaces Pools");
    assert.equal(drivers[0].baseline, 0);
    assert.equal(drivers[0].delta, 1000);
    const cats = body.by_category_delta as Record<string, { delta: number }>;
    assert.ok(cats["Amazon WorkSpaces Pools"].delta >= 1000);
    assert.ok("Amazon WorkSpaces Personal" in cats && "Amazon WorkSpaces Core Managed Instances" in cats);
    assert.ok("Amazon WorkSpaces Applications" in (body.by_service_delta as Body));
    const delta = (body.comparison_total as number) - (body.baseline_total as number);
    assert.ok(Math.abs(delta - (body.delta as number)) < 0.02);
    assert.equal(typeof body.delta_pct, "number");
    // Discovery + one filtered SERVICE × USAGE_TYPE query per window (plus their extra pages).
    assert.equal(body.ce_requests, h.sim.count("ce"));
    const grouped = ceCalls(h).filter((c) => (c.params as { GroupBy: unknown[] }).GroupBy.length === 2);
    assert.ok(grouped.length >= 2);
    assert.ok(grouped.every((c) => (c.params as { Filter?: unknown }).Filter !== undefined));
  } finally {
    await h.close();
  }
});

Deno.test("a baseline with no spend gives delta_pct null and explicit windows are used as given", async () => {
  const estate = scenario().build();
  seedCosts(estate, [{
    service: "Amazon WorkSpaces",
    usageType: "USE1-AW-HW-2",
    daily: 10,
    from: addDays(todayUtc(), -10),
  }]);
  const h = await connect(estate);
  try {
    const { body } = await h.call("compare_euc_costs", {
      start_date: addDays(todayUtc(), -10),
      end_date: todayUtc(),
      baseline_start: addDays(todayUtc(), -40),
      baseline_end: addDays(todayUtc(), -20),
    });
    assert.equal(body.baseline_total, 0);
    assert.equal(body.comparison_total, 100);
    assert.equal(body.delta_pct, null);
    assert.ok((body.notes as string[]).some((n) => /differ in length/.test(n)));
  } finally {
    await h.close();
  }
});
