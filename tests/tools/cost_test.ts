import assert from "node:assert/strict";
import { connect, scenario } from "../support/harness.ts";
import { addDays, demoEstate, type Estate, seedCosts, Simulator, todayUtc } from "../../src/sim/mod.ts";

type Body = Record<string, unknown>;
type Err = { code: string; message: string; hint: string; operation?: string };
const err = (body: Body) => body.error as Err;

/** An account with Personal (AlwaysOn and AutoStop), Pools, Core, Applications fleets and a portal. */
function account(): Estate {
  return scenario("us-east-1")
    .workspace("ws-aon00001", { runningMode: "ALWAYS_ON", computeType: "POWER" })
    .workspace("ws-aus00001", { runningMode: "AUTO_STOP" })
    .pool("wspool-ab12cd34e", { desired: 5 })
    .managedInstance("wsinst-a1b2c3d4e5")
    .fleet("apps", { fleetType: "ON_DEMAND", desired: 2 })
    .portal("3f1c2a9e-7b4d-4e8a-9c6f-1d2e3a4b5c6d")
    .build();
}

function ceCalls(h: { sim: Simulator }, op = "GetCostAndUsage") {
  return h.sim.calls.filter((c) => c.service === "ce" && c.operation === op);
}

// ---------------------------------------------------------------- get_euc_cost_summary

Deno.test("the cost summary counts AppStream-labelled spend as Applications and leaves Thin Client out", async () => {
  const h = await connect(account());
  try {
    const { body, result } = await h.call("get_euc_cost_summary", {});
    assert.ok(!result.isError);
    const by = body.by_service as { service: string; amount: number; ce_services: string[] }[];
    const apps = by.find((s) => s.service === "Amazon WorkSpaces Applications")!;
    assert.deepEqual(apps.ce_services, ["Amazon AppStream", "Amazon WorkSpaces Applications"]);
    assert.ok(apps.amount > 0);
    assert.ok(by.some((s) => s.service === "Amazon WorkSpaces Secure Browser"));
    assert.ok(!by.some((s) => s.ce_services.some((l) => /thin client|elastic compute|storage service/i.test(l))));
    const excluded = body.excluded as { ce_service: string; amount: number }[];
    assert.deepEqual(excluded.map((e) => e.ce_service), ["Amazon WorkSpaces Thin Client"]);
    const sum = by.reduce((n, s) => n + s.amount, 0);
    assert.ok(Math.abs(sum - (body.total as number)) < 0.05);
    assert.equal(body.scope, "account-wide");
    assert.equal(body.currency, "USD");
    assert.equal(body.end, todayUtc());
    assert.equal(body.start, addDays(todayUtc(), -30));
  } finally {
    await h.close();
  }
});

Deno.test("the Amazon WorkSpaces line is split into Personal, Pools and Core by usage type", async () => {
  const h = await connect(account());
  try {
    const { body } = await h.call("get_euc_cost_summary", { lookback_days: 60 });
    const split = body.workspaces_breakdown as Record<string, number>;
    assert.deepEqual(Object.keys(split).sort(), [
      "Amazon WorkSpaces Core Managed Instances",
      "Amazon WorkSpaces Personal",
      "Amazon WorkSpaces Pools",
    ]);
    const ws = (body.by_service as { service: string; amount: number }[]).find((s) =>
      s.service === "Amazon WorkSpaces"
    )!;
    const sum = Object.values(split).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - ws.amount) < 0.05, `split ${sum} vs line ${ws.amount}`);
    // The split is one more (filtered) query grouped by usage type.
    const split2 = ceCalls(h).map((c) => c.params as { GroupBy: { Key: string }[]; Filter?: unknown });
    assert.ok(split2.some((p) => p.GroupBy[0].Key === "USAGE_TYPE" && p.Filter));
    assert.equal(body.ce_requests, h.sim.count("ce"));
  } finally {
    await h.close();
  }
});

Deno.test("no WorkSpaces spend or split_workspaces=false: no split query", async () => {
  const h = await connect(scenario().fleet("apps").build());
  try {
    const { body } = await h.call("get_euc_cost_summary", {});
    assert.deepEqual(body.workspaces_breakdown, {});
    assert.ok(ceCalls(h).every((c) => (c.params as { Filter?: unknown }).Filter === undefined));
  } finally {
    await h.close();
  }
  const h2 = await connect(account());
  try {
    const { body } = await h2.call("get_euc_cost_summary", { split_workspaces: false });
    assert.deepEqual(body.workspaces_breakdown, {});
    assert.equal(ceCalls(h2).length, body.ce_requests);
  } finally {
    await h2.close();
  }
});

Deno.test("every Cost Explorer page is one request and the pages merge into one series", async () => {
  const h = await connect(account());
  try {
    const { body } = await h.call("get_euc_cost_summary", {
      lookback_days: 90,
      granularity: "DAILY",
      split_workspaces: false,
    });
    const calls = ceCalls(h);
    assert.ok(calls.length >= 3, `expected several pages, got ${calls.length}`);
    assert.equal(body.ce_requests, calls.length);
    assert.equal((calls[0].params as Body).NextPageToken, undefined);
    for (const c of calls.slice(1)) assert.equal(typeof (c.params as Body).NextPageToken, "string");
    const periods = body.by_period as { start: string; total: number }[];
    assert.equal(periods.length, 90);
    assert.equal(new Set(periods.map((p) => p.start)).size, 90);
    // Monthly fees post on the 1st: the day-1 total is larger than the day before it.
    const first = periods.find((p, i) => i > 0 && p.start.endsWith("-01"))!;
    const before = periods[periods.indexOf(first) - 1];
    assert.ok(first.total > before.total);
    assert.ok((body.notes as string[]).some((n) => /spikes on day 1/.test(n)));
    assert.ok((body.notes as string[]).some((n) => new RegExp(`requests made: ${calls.length}`).test(n)));
  } finally {
    await h.close();
  }
});

Deno.test("explicit dates override the lookback (end exclusive)", async () => {
  const h = await connect(account());
  try {
    const start = addDays(todayUtc(), -40);
    const end = addDays(todayUtc(), -10);
    const { body } = await h.call("get_euc_cost_summary", { start_date: start, end_date: end, lookback_days: 5 });
    assert.equal(body.start, start);
    assert.equal(body.end, end);
    const tp = (ceCalls(h)[0].params as { TimePeriod: { Start: string; End: string } }).TimePeriod;
    assert.deepEqual(tp, { Start: start, End: end });
  } finally {
    await h.close();
  }
});

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

Deno.test("Cost Explorer throttling once is retried and the summary still answers", async () => {
  const sim = new Simulator(account());
  sim.inject({ kind: "throttle", service: "ce", times: 1 });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("get_euc_cost_summary", {});
    assert.ok(!result.isError);
    assert.ok((body.total as number) > 0);
  } finally {
    await h.close();
  }
});

// ---------------------------------------------------------------- get_euc_cost_forecast

function withBuilderSpike(): Estate {
  const estate = account();
  seedCosts(estate, [{
    service: "Amazon AppStream",
    usageType: "USE1-stream:graphics.g4dn.xlarge-ImageBuilder-Win",
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

// ---------------------------------------------------------------- compare_euc_costs

Deno.test("the comparison names the usage type that drove the change, bucketed Personal/Pools/Core", async () => {
  const estate = account();
  seedCosts(estate, [{
    service: "Amazon WorkSpaces",
    usageType: "USE1-Pools-HW-4",
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
    assert.equal(drivers[0].usage_type, "USE1-Pools-HW-4");
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
    usageType: "USE1-AW-HW-2-AlwaysOn",
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

// ---------------------------------------------------------------- get_euc_service_prices

Deno.test("Personal prices are licence-aware and give the running-mode break-even", async () => {
  const h = await connect(scenario().build());
  try {
    const { body, result } = await h.call("get_euc_service_prices", {
      service: "personal",
      region: "ap-southeast-1",
      compute_type: "POWER",
      operating_system: "WINDOWS_SERVER_2022",
      root_volume_gib: 175,
      user_volume_gib: 100,
    });
    assert.ok(!result.isError);
    assert.equal(body.service, "Amazon WorkSpaces Personal");
    assert.equal(body.pricing_location, "Asia Pacific (Singapore)");
    assert.equal(body.license_model, "Included");
    assert.equal(body.alwayson_monthly_usd, 124);
    assert.equal(body.autostop_monthly_base_usd, 26);
    assert.equal(body.autostop_hourly_usd, 0.99);
    assert.equal(body.autostop_breakeven_hours_per_month, 99);
    assert.ok((body.assumptions as string[]).some((a) => /LIST prices/.test(a)));
    assert.ok((body.assumptions as string[]).some((a) => /730 hours/.test(a)));
    assert.ok((result.content as { text: string }[])[0].text.includes("break-even 99"));
  } finally {
    await h.close();
  }
});

Deno.test("regions gives one answer per region, an unmapped region says so", async () => {
  const h = await connect(scenario().build());
  try {
    const { body } = await h.call("get_euc_service_prices", {
      service: "Personal",
      regions: ["ap-southeast-1", "us-east-1", "ap-southeast-1", "cn-north-1"],
      compute_type: "POWER",
      operating_system: "WINDOWS_11",
      root_volume_gib: 175,
      user_volume_gib: 100,
    });
    assert.deepEqual(body.regions, ["ap-southeast-1", "us-east-1", "cn-north-1"]);
    const by = body.by_region as Record<string, Body>;
    assert.equal(by["ap-southeast-1"].alwayson_monthly_usd, 120);
    assert.equal(by["ap-southeast-1"].license_model, "Bring Your Own License");
    assert.ok((by["us-east-1"].alwayson_monthly_usd as number) > 0);
    assert.equal(by["cn-north-1"].pricing_location, null);
    assert.ok((by["cn-north-1"].notes as string[]).some((n) => /not in the pricing location map/.test(n)));
  } finally {
    await h.close();
  }
});

Deno.test("an unpublished storage pairing lists the published ones instead of guessing", async () => {
  const h = await connect(scenario().build());
  try {
    const { body } = await h.call("get_euc_service_prices", {
      service: "personal",
      compute_type: "PERFORMANCE",
      operating_system: "WINDOWS_11",
      root_volume_gib: 100,
      user_volume_gib: 100,
    });
    assert.equal(body.completeness, "none");
    assert.equal(body.alwayson_monthly_usd, null);
    assert.ok((body.available_storage_configurations as unknown[]).length >= 3);
  } finally {
    await h.close();
  }
});

Deno.test("a fleet without Platform is priced from its image's platform", async () => {
  const estate = scenario()
    .fleet("linux-apps", { platform: "AMAZON_LINUX2", fleetType: "ALWAYS_ON", desired: 3 })
    .build();
  // DescribeFleets omits Platform for non-Elastic fleets.
  delete estate.region("us-east-1").fleets.get("linux-apps")!.Platform;
  const h = await connect(estate);
  try {
    const { body, result } = await h.call("get_euc_service_prices", { service: "appstream", fleet_name: "linux-apps" });
    assert.ok(!result.isError);
    assert.equal(h.sim.count("appstream", "DescribeImages"), 1);
    const fleet = body.fleet as { platform: string; platform_source: string };
    assert.equal(fleet.platform, "AMAZON_LINUX2");
    assert.equal(fleet.platform_source, "image");
    assert.equal(body.operating_system, "Amazon Linux");
    assert.equal(body.instance_function, "Fleet");
    const hourly = body.hourly_usd as number;
    assert.equal(body.provisioned_monthly_usd, Math.round(hourly * 730 * 3 * 100) / 100);
    assert.equal(body.microsoft_user_fees_monthly_usd, undefined, "no Microsoft user fee on Linux");
  } finally {
    await h.close();
  }
});

Deno.test("an On-Demand Windows fleet shows the idle stopped-instance cost and user fees, not 24x7", async () => {
  const h = await connect(scenario().fleet("win", { fleetType: "ON_DEMAND", desired: 4 }).build());
  try {
    const { body } = await h.call("get_euc_service_prices", { fleet_name: "win" });
    assert.equal(body.operating_system, "Windows");
    assert.equal(body.on_demand_stopped_hourly_usd, 0.025);
    assert.equal(body.idle_monthly_usd, 73);
    assert.equal(body.provisioned_monthly_usd, undefined);
    assert.ok(body.microsoft_user_fees_monthly_usd);
    assert.equal(h.sim.count("appstream", "DescribeImages"), 0, "the fleet had its Platform");
  } finally {
    await h.close();
  }
});

Deno.test("a fleet that does not exist is NotFound", async () => {
  const h = await connect(scenario().build());
  try {
    const { body, result } = await h.call("get_euc_service_prices", { fleet_name: "nope" });
    assert.equal(result.isError, true);
    assert.equal(err(body).code, "NotFound");
  } finally {
    await h.close();
  }
});

Deno.test("instance-type prices: BYOL vs included, and the OS choices when one is not published", async () => {
  const h = await connect(scenario().build());
  try {
    const byol = await h.call("get_euc_service_prices", {
      region: "ap-southeast-1",
      instance_type: "stream.standard.large",
      platform: "WINDOWS_11_BYOL",
    });
    assert.equal(byol.body.hourly_usd, 0.217);
    const inc = await h.call("get_euc_service_prices", {
      region: "ap-southeast-1",
      instance_type: "stream.standard.large",
    });
    assert.equal(inc.body.hourly_usd, 0.24);
    assert.equal(inc.body.monthly_usd_24x7, 175.2);
    const none = await h.call("get_euc_service_prices", {
      instance_type: "stream.graphics.g4dn.xlarge",
      platform: "ROCKY_LINUX8",
    });
    assert.equal(none.body.hourly_usd, null);
    assert.ok("Windows" in (none.body.available_operating_systems as Body));
  } finally {
    await h.close();
  }
});

Deno.test("Pools, Secure Browser (legacy name) and Core prices", async () => {
  const h = await connect(scenario().build());
  try {
    const pools = await h.call("get_euc_service_prices", {
      service: "pools",
      region: "ap-southeast-1",
      compute_type: "POWER",
    });
    assert.deepEqual(pools.body.rates, {
      streaming_hourly_included_usd: 0.48,
      streaming_hourly_byol_usd: 0.417,
      stopped_instance_hourly_usd: 0.025,
      user_fee_monthly_usd: 4.19,
    });
    const web = await h.call("get_euc_service_prices", { service: "WorkSpaces Web" });
    assert.equal(web.body.service, "Amazon WorkSpaces Secure Browser");
    assert.deepEqual(web.body.monthly_active_user_usd_by_tier, {
      "standard.regular": 8,
      "standard.large": 23,
      "standard.xlarge": 40,
    });
    const core = await h.call("get_euc_service_prices", { service: "core", instance_type: "m5.large" });
    const skus = core.body.skus as { billing_option: string }[];
    assert.deepEqual([...new Set(skus.map((s) => s.billing_option))].sort(), ["Hourly", "Monthly"]);
    assert.ok((core.body.notes as string[]).some((n) => /do not assume monthly/.test(n)));
  } finally {
    await h.close();
  }
});

Deno.test("missing or unknown price inputs are refused before any AWS call", async () => {
  const h = await connect(scenario().build());
  try {
    const cases: Body[] = [
      { service: "personal" },
      { service: "personal", compute_type: "HUGE" },
      { service: "personal", compute_type: "POWER", operating_system: "BEOS" },
      { service: "personal", compute_type: "POWER", root_volume_gib: 80 },
      { service: "pools" },
      { service: "core" },
      { service: "applications" },
      { service: "thin client" },
      { service: "applications", fleet_name: "bad name!" },
    ];
    for (const args of cases) {
      const { result, body } = await h.call("get_euc_service_prices", args);
      assert.equal(result.isError, true, JSON.stringify(args));
      if (err(body).code) assert.equal(err(body).code, "InvalidInput");
    }
    assert.equal(h.sim.calls.length, 0);
  } finally {
    await h.close();
  }
});

Deno.test("AccessDenied on the Price List is an isError naming pricing:GetProducts; the next call succeeds", async () => {
  const sim = new Simulator(scenario().build());
  sim.inject({ kind: "access-denied", service: "pricing" });
  const h = await connect(sim);
  const args = {
    service: "personal",
    compute_type: "STANDARD",
    operating_system: "WINDOWS_SERVER_2022",
    root_volume_gib: 80,
    user_volume_gib: 50,
  };
  try {
    const denied = await h.call("get_euc_service_prices", args);
    assert.equal(denied.result.isError, true);
    assert.equal(err(denied.body).code, "AccessDenied");
    assert.match(err(denied.body).hint, /pricing:GetProducts/);
    assert.match(err(denied.body).hint, /tier 1/);
    sim.clearFaults();
    const ok = await h.call("get_euc_service_prices", args);
    assert.ok(!ok.result.isError, "the failure was not cached");
    assert.equal(ok.body.completeness, "complete");
    assert.equal(ok.body.alwayson_monthly_usd, 35);
  } finally {
    await h.close();
  }
});

Deno.test("the demo account shows EUC spend, the builder spike warning and priced fleets", async () => {
  const h = await connect(demoEstate(), ["--region", "us-east-1", "--demo"]);
  try {
    const summary = await h.call("get_euc_cost_summary", {});
    assert.ok((summary.body.total as number) > 0);
    const forecast = await h.call("get_euc_cost_forecast", {});
    assert.ok((forecast.body.notes as string[]).some((n) => n.startsWith("FORECAST INFLATION")));
    const older = await h.call("get_euc_cost_summary", { lookback_days: 180 });
    const web = (older.body.by_service as { service: string; ce_services: string[] }[])
      .find((s) => s.service === "Amazon WorkSpaces Secure Browser")!;
    assert.ok(web.ce_services.includes("Amazon WorkSpaces Web"), "the legacy label is matched by keyword");
  } finally {
    await h.close();
  }
});
