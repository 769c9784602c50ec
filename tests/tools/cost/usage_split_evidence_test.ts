/**
 * The Personal/Pools/Core split of the "Amazon WorkSpaces" Cost Explorer line, fed the usage types
 * public evidence shows (DESIGN.md, "AWS names the code depends on", Cost Explorer table) rather
 * than the simulator's own names.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { addDays, seedCosts, todayUtc } from "../../../src/sim/mod.ts";
import { usageCategory } from "../../../src/tools/cost/_ce.ts";
import { PRODUCT } from "../../../src/names.ts";

/** Usage types taken from the evidence, each with the product it bills. */
const EVIDENCE: readonly [usageType: string, product: string][] = [
  // A real-account Cost Explorer breakdown (a public EUC MCP server's test data).
  ["APS1-AW-HWB5-0", PRODUCT.personal],
  ["APS1-AW-HW-Pools-Stopped-Usage", PRODUCT.pools],
  ["APS1-WH-ManagedInstances-Usage", PRODUCT.core],
  // A price dataset (AmazonWorkSpaces, resourceType "Service fee").
  ["APE1-WH-ManagedInstances-Usage", PRODUCT.core],
  // AWS's Free Tier usage-type list (no region prefix there).
  ["AW-HW-1-AutoStop-Usage", PRODUCT.personal],
  ["AW-HW-1-AutoStop-User", PRODUCT.personal],
  ["AW-HWU-3-AutoStop-Usage", PRODUCT.personal],
  ["AW-HWU-3-AutoStop-User", PRODUCT.personal],
  // Price List products of eu-west-1 (AlwaysOn month, AutoStop fee and hours) and a billing export.
  ["EU-AW-HW-2", PRODUCT.personal],
  ["EU-AW-HW-2-AutoStop-User", PRODUCT.personal],
  ["EU-AW-HW-2-AutoStop-Usage", PRODUCT.personal],
  ["APS2-AW-HW-4", PRODUCT.personal],
  ["APS2-AW-SW-4", PRODUCT.personal],
];

Deno.test("each usage type from the evidence falls in the product it bills", () => {
  for (const [usageType, product] of EVIDENCE) assert.equal(usageCategory(usageType), product, usageType);
});

Deno.test("get_euc_cost_summary splits a bill made of the evidence's usage types", async () => {
  const estate = scenario("us-east-1").build();
  const from = addDays(todayUtc(), -10);
  // Distinct powers of two per line so a misfiled line shows in the totals.
  seedCosts(
    estate,
    EVIDENCE.map(([usageType], i) => ({ service: "Amazon WorkSpaces", usageType, daily: 2 ** i / 100, from })),
    { deriveFromEstate: false, background: false },
  );
  const expected: Record<string, number> = {};
  EVIDENCE.forEach(([, product], i) => {
    expected[product] = (expected[product] ?? 0) + 10 * 2 ** i / 100;
  });
  const h = await connect(estate);
  try {
    const { body, result } = await h.call("get_euc_cost_summary", { lookback_days: 30 });
    assert.ok(!result.isError);
    const split = body.workspaces_breakdown_by_product as Record<string, number>;
    assert.deepEqual(Object.keys(split).sort(), [PRODUCT.core, PRODUCT.personal, PRODUCT.pools].sort());
    for (const [product, amount] of Object.entries(expected)) {
      assert.ok(Math.abs(split[product] - amount) < 0.011, `${product}: ${split[product]} vs ${amount}`);
    }
  } finally {
    await h.close();
  }
});

Deno.test("compare_euc_costs files the evidence's Pools and Core usage types under their products", async () => {
  const estate = scenario("us-east-1").build();
  seedCosts(estate, [
    {
      service: "Amazon WorkSpaces",
      usageType: "APS1-AW-HW-Pools-Stopped-Usage",
      daily: 7,
      from: addDays(todayUtc(), -20),
    },
    {
      service: "Amazon WorkSpaces",
      usageType: "APS1-WH-ManagedInstances-Usage",
      daily: 3,
      from: addDays(todayUtc(), -20),
    },
    { service: "Amazon WorkSpaces", usageType: "EU-AW-HW-2", monthly: 37 },
  ], { deriveFromEstate: false, background: false });
  const h = await connect(estate);
  try {
    const { body, result } = await h.call("compare_euc_costs", { top_n: 3 });
    assert.ok(!result.isError);
    const drivers = body.top_drivers as { usage_type: string; category: string }[];
    const category = Object.fromEntries(drivers.map((d) => [d.usage_type, d.category]));
    assert.equal(category["APS1-AW-HW-Pools-Stopped-Usage"], PRODUCT.pools);
    assert.equal(category["APS1-WH-ManagedInstances-Usage"], PRODUCT.core);
  } finally {
    await h.close();
  }
});
