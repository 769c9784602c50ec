import assert from "node:assert/strict";
import { Aws } from "../../src/aws/clients.ts";
import {
  appOperatingSystem,
  breakEvenHours,
  bundleFamily,
  personalOsLicense,
  PriceList,
  PRICING_LOCATIONS,
} from "../../src/aws/pricing.ts";
import { scenario, Simulator } from "../../src/sim/mod.ts";

function setup(opts: { ttlMs?: number } = {}) {
  const sim = new Simulator(scenario().build());
  const aws = new Aws({
    requestHandler: sim.handler,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "x" },
    userAgent: "test",
    region: "us-east-1",
  });
  return { sim, aws, prices: new PriceList(aws, opts) };
}

const POWER_SIN = { computeType: "POWER", rootGib: 175, userGib: 100 };

Deno.test("Singapore Power 175/100 on Windows Server is priced with the licence included", async () => {
  const { prices, sim } = setup();
  const { price, errors } = await prices.personal("ap-southeast-1", {
    ...POWER_SIN,
    operatingSystem: "WINDOWS_SERVER_2022",
  });
  assert.deepEqual(errors, []);
  assert.equal(price.pricing_location, "Asia Pacific (Singapore)");
  assert.equal(price.license_model, "Included");
  assert.equal(price.alwayson_monthly_usd, 124);
  assert.equal(price.autostop_monthly_base_usd, 26);
  assert.equal(price.autostop_hourly_usd, 0.99);
  assert.equal(price.autostop_breakeven_hours_per_month, 99);
  assert.equal(price.completeness, "complete");
  assert.ok(price.notes.some((n) => n.startsWith("LICENSE MODEL")));
  assert.ok(price.notes.some((n) => n.startsWith("RUNNING-MODE TIPPING POINT")));
  // The family and its four storage variants: one GetProducts each, pinned to the productFamily.
  assert.equal(sim.count("pricing", "GetProducts"), 5);
  for (const c of sim.calls) {
    const filters = (c.params as { Filters: { Type: string; Field: string; Value: string }[] }).Filters;
    assert.ok(filters.every((f) => f.Type === "TERM_MATCH"));
    assert.ok(filters.some((f) => f.Field === "productFamily" && f.Value === "Enterprise Applications"));
    assert.equal(c.region, "us-east-1");
  }
});

Deno.test("Windows 11 desktops are BYOL and cheaper than the included licence", async () => {
  const { prices } = setup();
  const { price } = await prices.personal("ap-southeast-1", { ...POWER_SIN, operatingSystem: "WINDOWS_11" });
  assert.equal(price.license_model, "Bring Your Own License");
  assert.equal(price.alwayson_monthly_usd, 120);
  assert.equal(price.autostop_monthly_base_usd, 26);
  assert.equal(price.autostop_hourly_usd, 0.95);
  assert.equal(price.autostop_breakeven_hours_per_month, 98.9);
});

Deno.test("Amazon Linux has licence None and storage variants carry the family's hourly rate", async () => {
  const { prices } = setup();
  const { price } = await prices.personal("us-east-1", {
    computeType: "STANDARD",
    operatingSystem: "AMAZON_LINUX_2",
    rootGib: 80,
    userGib: 10,
  });
  assert.equal(price.license_model, "None");
  assert.equal(price.completeness, "complete");
  assert.equal(price.alwayson_monthly_usd, 27);
  assert.equal(price.autostop_monthly_base_usd, 5.75);
  assert.equal(price.autostop_hourly_usd, 0.26);
});

Deno.test("an unpublished rate is null with a reason, never guessed, and the break-even is null", async () => {
  const { prices } = setup();
  const { price, available_storage_configurations } = await prices.personal("us-east-1", {
    computeType: "VALUE",
    operatingSystem: "ROCKY_8",
    rootGib: 80,
    userGib: 10,
  });
  assert.equal(price.completeness, "partial");
  assert.equal(price.autostop_hourly_usd, null);
  assert.ok(price.alwayson_monthly_usd! > 0);
  assert.equal(price.autostop_breakeven_hours_per_month, null);
  assert.ok(price.notes.some((n) => /PARTIAL PRICE LIST DATA \(null = unpublished, not \$0\)/.test(n)));
  assert.ok(available_storage_configurations.length > 0);
});

Deno.test("a storage pairing AWS does not publish gets no price and the published pairings", async () => {
  const { prices } = setup();
  const { price, available_storage_configurations } = await prices.personal("us-east-1", {
    computeType: "PERFORMANCE",
    operatingSystem: "WINDOWS_11",
    rootGib: 100,
    userGib: 100,
  });
  assert.equal(price.completeness, "none");
  assert.equal(price.alwayson_monthly_usd, null);
  assert.ok(price.notes.some((n) => /No clean bundle match/.test(n)));
  assert.ok(available_storage_configurations.some((c) => c.storage === "Root:80 GB,User:100 GB"));
});

Deno.test("a region outside the location map gets no estimate and no call", async () => {
  const { prices, sim } = setup();
  const { price } = await prices.personal("cn-north-1", { ...POWER_SIN, operatingSystem: "WINDOWS_11" });
  assert.equal(price.completeness, "none");
  assert.equal(price.pricing_location, null);
  assert.ok(price.notes.some((n) => /not in the pricing location map/.test(n)));
  assert.equal(sim.calls.length, 0);
});

Deno.test("GetProducts is followed past 100 products, one request per page", async () => {
  const { prices, sim } = setup();
  const q = await prices.products("AmazonWorkSpaces", {
    location: "US East (N. Virginia)",
    productFamily: "Enterprise Applications",
  });
  assert.ok(q.products.length > 100, `expected > 100 products, got ${q.products.length}`);
  assert.equal(q.truncated, false);
  assert.equal(sim.count("pricing", "GetProducts"), Math.ceil(q.products.length / 100));
  assert.equal(q.pages, sim.count("pricing", "GetProducts"));
  assert.equal(new Set(q.products.map((p) => p.sku)).size, q.products.length);
});

Deno.test("AccessDenied is reported in errors and not cached: the next lookup succeeds", async () => {
  const { prices, sim } = setup();
  sim.inject({ kind: "access-denied", service: "pricing" });
  const first = await prices.personal("ap-southeast-1", { ...POWER_SIN, operatingSystem: "WINDOWS_11" });
  assert.equal(first.price.completeness, "none");
  assert.equal(first.price.alwayson_monthly_usd, null);
  assert.equal(first.errors.length, 1);
  assert.equal(first.errors[0].code, "AccessDenied");
  assert.equal(first.errors[0].operation, "GetProducts");
  assert.match(first.errors[0].hint, /pricing:GetProducts/);
  assert.match(first.errors[0].hint, /tier 1/);
  assert.ok(first.price.notes.some((n) => /unknown, not \$0/.test(n)));
  sim.clearFaults();
  const second = await prices.personal("ap-southeast-1", { ...POWER_SIN, operatingSystem: "WINDOWS_11" });
  assert.deepEqual(second.errors, []);
  assert.equal(second.price.completeness, "complete");
  assert.equal(second.price.alwayson_monthly_usd, 120);
});

Deno.test("throttling once is retried by the SDK and the price still arrives", async () => {
  const { prices, sim } = setup();
  sim.inject({ kind: "throttle", service: "pricing", times: 1 });
  const { price, errors } = await prices.personal("ap-southeast-1", { ...POWER_SIN, operatingSystem: "WINDOWS_11" });
  assert.deepEqual(errors, []);
  assert.equal(price.completeness, "complete");
});

Deno.test("concurrent identical lookups share one request and later ones hit the cache", async () => {
  const { prices, sim } = setup();
  const spec = { ...POWER_SIN, operatingSystem: "WINDOWS_11" };
  const [a, b] = await Promise.all([prices.personal("us-east-1", spec), prices.personal("us-east-1", spec)]);
  assert.deepEqual(a.price, b.price);
  assert.equal(sim.count("pricing", "GetProducts"), 5);
  await prices.personal("us-east-1", spec);
  assert.equal(sim.count("pricing", "GetProducts"), 5);
  assert.equal(prices.requests, 5);
});

Deno.test("an expired cache entry is fetched again", async () => {
  const { prices, sim } = setup({ ttlMs: 0 });
  await prices.secureBrowser("us-east-1");
  await prices.secureBrowser("us-east-1");
  assert.equal(sim.count("pricing", "GetProducts"), 2);
});

Deno.test("one caller's cancellation does not fail another caller waiting for the same lookup", async () => {
  const { prices } = setup();
  const ac = new AbortController();
  const cancelled = prices.products("AmazonWorkSpacesWeb", { location: "EU (Ireland)" }, ac.signal);
  const other = prices.products("AmazonWorkSpacesWeb", { location: "EU (Ireland)" });
  ac.abort();
  await assert.rejects(cancelled, (e: Error) => e.name === "AbortError");
  assert.equal((await other).products.length, 3);
});

Deno.test("break-even hours: both sides of the tipping point and every uncomputable case", () => {
  assert.equal(breakEvenHours(124, 26, 0.99), 99);
  assert.equal(breakEvenHours(35, 9.75, 0.3), 84.2);
  assert.equal(breakEvenHours(null, 26, 0.99), null);
  assert.equal(breakEvenHours(124, null, 0.99), null);
  assert.equal(breakEvenHours(124, 26, null), null);
  assert.equal(breakEvenHours(124, 26, 0), null);
  assert.equal(breakEvenHours(20, 26, 0.99), null);
  assert.equal(breakEvenHours(26, 26, 0.99), null);
  // Monthly hours below the break-even favour AutoStop, above it AlwaysOn.
  const be = breakEvenHours(124, 26, 0.99)!;
  assert.ok(26 + 0.99 * (be - 10) < 124);
  assert.ok(26 + 0.99 * (be + 10) > 124);
});

Deno.test("pools, applications, secure browser and core prices come from their service codes", async () => {
  const { prices } = setup();
  const pools = await prices.pools("ap-southeast-1", "POWER");
  assert.deepEqual(pools.value, {
    streaming_hourly_included_usd: 0.48,
    streaming_hourly_byol_usd: 0.417,
    stopped_instance_hourly_usd: 0.025,
    user_fee_monthly_usd: 4.19,
  });
  const win = await prices.applicationsHourly("ap-southeast-1", "stream.standard.large", "Fleet", "Windows");
  const byol = await prices.applicationsHourly("ap-southeast-1", "stream.standard.large", "Fleet", "Windows BYOL");
  assert.equal(win.value.hourly_usd, 0.24);
  assert.equal(byol.value.hourly_usd, 0.217);
  const none = await prices.applicationsHourly("ap-southeast-1", "stream.graphics.g4dn.xlarge", "Fleet", "Rocky Linux");
  assert.equal(none.value.hourly_usd, null);
  assert.ok(Object.keys(none.value.available_operating_systems).includes("Windows"));
  assert.equal((await prices.applicationsStoppedFee("us-east-1")).value, 0.025);
  const fees = await prices.applicationsUserFees("ap-southeast-1");
  assert.deepEqual(fees.value, {
    single_session_user_monthly_usd: 4.19,
    multi_session_user_monthly_usd: 6.42,
    multi_session_additional_user_monthly_usd: 2.23,
  });
  const web = await prices.secureBrowser("us-east-1");
  assert.deepEqual(web.value, { "standard.regular": 8, "standard.large": 23, "standard.xlarge": 40 });
  const core = await prices.core("us-east-1", "m5.large");
  assert.deepEqual(new Set(core.value.map((s) => s.billing_option)), new Set(["Hourly", "Monthly"]));
  assert.ok(core.value.every((s) => s.description.length <= 120));
});

Deno.test("rule tables: compute families, OS licences, AppStream platforms, locations", () => {
  assert.equal(bundleFamily("GRAPHICSPRO_G4DN"), "GraphicsPro.g4dn");
  assert.equal(bundleFamily("power"), "Power");
  assert.equal(bundleFamily("GRAPHICS_G6_XLARGE"), "Graphics.g6.xlarge");
  assert.equal(bundleFamily("NOPE"), undefined);
  assert.equal(personalOsLicense("WINDOWS_10")?.license, "Bring Your Own License");
  assert.equal(personalOsLicense("WINDOWS_SERVER_2019")?.license, "Included");
  assert.equal(personalOsLicense("UBUNTU_22_04")?.license, "None");
  assert.equal(personalOsLicense("RHEL_8")?.operatingSystems[0], "Red Hat Enterprise Linux");
  assert.equal(personalOsLicense(undefined), undefined);
  assert.equal(appOperatingSystem("WINDOWS_SERVER_2022"), "Windows");
  assert.equal(appOperatingSystem("AMAZON_LINUX2"), "Amazon Linux");
  assert.equal(appOperatingSystem(undefined), "Windows");
  for (
    const r of [
      "us-east-1",
      "us-west-2",
      "ca-central-1",
      "sa-east-1",
      "eu-west-1",
      "eu-west-2",
      "eu-west-3",
      "eu-central-1",
      "af-south-1",
      "il-central-1",
      "ap-south-1",
      "ap-northeast-1",
      "ap-northeast-2",
      "ap-southeast-1",
      "ap-southeast-2",
      "us-gov-west-1",
    ]
  ) assert.ok(PRICING_LOCATIONS[r], `${r} is mapped`);
});

Deno.test("a region whose Price List location is spelled differently (Europe (Zurich)) is still priced, by regionCode", async () => {
  const { prices, sim } = setup();
  const { price, errors } = await prices.personal("eu-central-2", {
    ...POWER_SIN,
    operatingSystem: "WINDOWS_SERVER_2022",
  });
  assert.deepEqual(errors, []);
  assert.equal(price.completeness, "complete");
  assert.ok(price.alwayson_monthly_usd! > 0);
  for (const c of sim.calls) {
    const filters = (c.params as { Filters: { Field: string; Value: string }[] }).Filters;
    assert.ok(filters.some((f) => f.Field === "regionCode" && f.Value === "eu-central-2"), "filtered on regionCode");
    assert.ok(!filters.some((f) => f.Field === "location"), "no location needed when products carry regionCode");
  }
  const pools = await prices.pools("eu-central-2", "STANDARD");
  assert.ok(pools.value.streaming_hourly_included_usd! > 0);
});

Deno.test("products without regionCode are found through the location fallback", async () => {
  const { prices, sim } = setup();
  const { price, errors } = await prices.personal("ap-northeast-1", {
    ...POWER_SIN,
    operatingSystem: "WINDOWS_SERVER_2022",
  });
  assert.deepEqual(errors, []);
  assert.equal(price.completeness, "complete");
  const fields = sim.calls.flatMap((c) => (c.params as { Filters: { Field: string }[] }).Filters.map((f) => f.Field));
  assert.ok(fields.includes("regionCode") && fields.includes("location"), "regionCode first, then location");
});
