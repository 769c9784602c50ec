import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { demoEstate, Simulator } from "../../../src/sim/mod.ts";
import { type Body, err } from "./_fixtures.ts";

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
    assert.equal(body.service, "personal");
    assert.equal(body.service_name, "Amazon WorkSpaces Personal");
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
    assert.equal(web.body.service, "secure-browser");
    assert.equal(web.body.service_name, "Amazon WorkSpaces Secure Browser");
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

Deno.test("called bare, the price tool answers with an example WorkSpaces Applications price and says what to pass", async () => {
  const h = await connect(demoEstate());
  try {
    const { result, body } = await h.call("get_euc_service_prices", {});
    assert.equal(result.isError, undefined, JSON.stringify(body).slice(0, 300));
    assert.match(String(body.summary), /^\[simulated\] Example|^Example/);
    assert.match((body.notes as string[])[0], /stream\.standard\.medium is priced as an example/);
    assert.equal(body.instance_type, "stream.standard.medium");
  } finally {
    await h.close();
  }
});
