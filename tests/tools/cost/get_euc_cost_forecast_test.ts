import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { type Estate, seedCosts, Simulator } from "../../../src/sim/mod.ts";
import { addDays, todayUtc } from "../../../src/sim/mod.ts";
import { account, type Body, ceCalls, type Err } from "./_fixtures.ts";

function withBuilderSpike(): Estate {
  const estate = account();
  seedCosts(estate, [{
    service: "Amazon AppStream",
    usageType: "USE1-stream.graphics.g4dn.xlarge-ib",
    daily: 400,
    from: addDays(todayUtc(), -5),
  }]);
  return estate;
}

Deno.test("the forecast starts tomorrow, covers only EUC services and asks for an 80% interval", async () => {
  const h = await connect(account());
  try {
    const { body, result } = await h.call("get_euc_cost_forecast", { days_ahead: 45 });
    assert.ok(!result.isError);
    assert.equal(body.start, addDays(todayUtc(), 1));
    assert.equal(body.end, addDays(todayUtc(), 46));
    assert.ok((body.forecast_total as number) > 0);
    const services = body.filtered_services as string[];
    assert.ok(services.includes("Amazon AppStream"));
    assert.ok(services.includes("Amazon WorkSpaces"));
    assert.ok(!services.some((s) => /thin client|elastic compute/i.test(s)));
    const req = ceCalls(h, "GetCostForecast")[0].params as Body;
    assert.equal(req.PredictionIntervalLevel, 80);
    assert.equal(req.Metric, "UNBLENDED_COST");
    assert.deepEqual((req.Filter as { Dimensions: { Values: string[] } }).Dimensions.Values, services);
    const periods = body.by_period as { mean: number; lower: number; upper: number }[];
    assert.ok(periods.length >= 2, "MONTHLY periods split at the month boundary");
    for (const p of periods) assert.ok(p.lower <= p.mean && p.mean <= p.upper);
    assert.ok(!(body.notes as string[]).some((n) => n.startsWith("FORECAST INFLATION")));
    assert.equal(body.ce_requests, h.sim.count("ce"));
  } finally {
    await h.close();
  }
});

Deno.test("recent spend well above the 30-day average warns that the forecast is inflated", async () => {
  const h = await connect(withBuilderSpike());
  try {
    const { body } = await h.call("get_euc_cost_forecast", {});
    const recent = body.recent_7d_daily_avg as number;
    const trailing = body.trailing_30d_daily_avg as number;
    assert.ok(recent > 1.3 * trailing, `${recent} vs ${trailing}`);
    assert.ok((body.notes as string[]).some((n) => n.startsWith("FORECAST INFLATION") && /image builders/.test(n)));
  } finally {
    await h.close();
  }
});

Deno.test("no EUC history: a note, not an error, and no forecast request", async () => {
  const h = await connect(scenario().build());
  try {
    const { body, result } = await h.call("get_euc_cost_forecast", {});
    assert.ok(!result.isError);
    assert.equal(body.forecast_total, null);
    assert.deepEqual(body.filtered_services, []);
    assert.ok((body.notes as string[]).some((n) => /no history/.test(n)));
    assert.equal(h.sim.count("ce", "GetCostForecast"), 0);
  } finally {
    await h.close();
  }
});

Deno.test("a denied GetCostForecast keeps the run-rate and names ce:GetCostForecast", async () => {
  const sim = new Simulator(account());
  sim.inject({ kind: "access-denied", service: "ce", operation: "GetCostForecast" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("get_euc_cost_forecast", {});
    assert.ok(!result.isError);
    assert.equal(body.forecast_total, null);
    assert.ok((body.trailing_30d_daily_avg as number) > 0);
    const e = (body.errors as Err[])[0];
    assert.equal(e.operation, "GetCostForecast");
    assert.match(e.hint, /ce:GetCostForecast/);
  } finally {
    await h.close();
  }
});
