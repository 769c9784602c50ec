import assert from "node:assert/strict";
import { connect } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";
import { account, err } from "./_fixtures.ts";

Deno.test("AccessDenied on Cost Explorer is an isError result naming ce:GetCostAndUsage and tier 1", async () => {
  const sim = new Simulator(account());
  sim.inject({ kind: "access-denied", service: "ce" });
  const h = await connect(sim);
  try {
    for (const tool of ["get_euc_cost_summary", "get_euc_cost_forecast", "compare_euc_costs"]) {
      const { body, result } = await h.call(tool, {});
      assert.equal(result.isError, true, tool);
      assert.equal(err(body).code, "AccessDenied");
      assert.match(err(body).hint, /ce:GetCostAndUsage/);
      assert.match(err(body).hint, /tier 1/);
    }
  } finally {
    await h.close();
  }
});
