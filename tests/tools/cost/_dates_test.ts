import assert from "node:assert/strict";
import { connect } from "../../support/harness.ts";
import { addDays, todayUtc } from "../../../src/sim/mod.ts";
import { account, type Body, err } from "./_fixtures.ts";

Deno.test("invalid dates and bounds are refused before any Cost Explorer request", async () => {
  const h = await connect(account());
  try {
    const today = todayUtc();
    const cases: [string, Body][] = [
      ["get_euc_cost_summary", { start_date: "2025-02-30", end_date: "2025-03-10" }],
      ["get_euc_cost_summary", { start_date: "2025-03-10", end_date: "2025-03-10" }],
      ["get_euc_cost_summary", { start_date: "2025-03-10", end_date: "2025-03-01" }],
      ["get_euc_cost_summary", { start_date: addDays(today, 3), end_date: addDays(today, 9) }],
      ["get_euc_cost_summary", { end_date: addDays(today, 5) }],
      ["get_euc_cost_summary", { start_date: "03/01/2025" }],
      ["get_euc_cost_summary", { lookback_days: 366 }],
      ["compare_euc_costs", { start_date: "2025-01-01" }],
      ["compare_euc_costs", { baseline_start: "2025-01-01", baseline_end: "2024-12-01" }],
      ["compare_euc_costs", { top_n: 51 }],
      ["compare_euc_costs", { top_n: 0 }],
      ["get_euc_cost_forecast", { days_ahead: 120, granularity: "DAILY" }],
      ["get_euc_cost_forecast", { days_ahead: 0 }],
    ];
    for (const [tool, args] of cases) {
      const { result } = await h.call(tool, args);
      assert.equal(result.isError, true, `${tool} ${JSON.stringify(args)} should be refused`);
    }
    const { body } = await h.call("get_euc_cost_summary", { start_date: "2025-02-30", end_date: "2025-03-10" });
    assert.equal(err(body).code, "InvalidInput");
    assert.equal(h.sim.calls.length, 0, "no AWS request was made");
  } finally {
    await h.close();
  }
});
