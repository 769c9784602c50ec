/** The simulated Cost Explorer and Price List answer and refuse like the real services. */
import assert from "node:assert/strict";
import { awsOn } from "../support/harness.ts";
import { AwsCallError } from "../../src/aws/clients.ts";
import { addDays, PAGE_ROWS, scenario, seedCosts, todayUtc } from "../../src/sim/mod.ts";
import { usageCategory } from "../../src/tools/cost/_ce.ts";
import { PRODUCT } from "../../src/names.ts";

function setup() {
  const estate = scenario().workspace("ws-aon00001", { runningMode: "ALWAYS_ON" }).build();
  return { ...awsOn(estate), estate };
}

const o = { region: "us-east-1" };

async function rejects(p: Promise<unknown>, code: string, name: string) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AwsCallError);
    assert.equal(e.info.code, code);
    assert.match(e.info.message, new RegExp(name));
    return true;
  });
}

Deno.test("GetCostAndUsage validates the period, granularity, metrics and group definitions", async () => {
  const { aws } = setup();
  const base = { Granularity: "DAILY" as const, Metrics: ["UnblendedCost"] };
  await rejects(
    aws.call("ce", "GetCostAndUsage", { ...base, TimePeriod: { Start: "2025-02-01", End: "2025-02-01" } }, o),
    "InvalidInput",
    "before end date",
  );
  await rejects(
    aws.call("ce", "GetCostAndUsage", { ...base, TimePeriod: { Start: "2025/02/01", End: "2025-02-03" } }, o),
    "InvalidInput",
    "Invalid date format",
  );
  const tp = { Start: addDays(todayUtc(), -3), End: todayUtc() };
  await rejects(
    aws.call("ce", "GetCostAndUsage", { ...base, TimePeriod: tp, Granularity: "HOURLY" }, o),
    "InvalidInput",
    "Hourly",
  );
  await rejects(
    aws.call("ce", "GetCostAndUsage", {
      ...base,
      TimePeriod: tp,
      GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }, { Type: "DIMENSION", Key: "USAGE_TYPE" }, {
        Type: "DIMENSION",
        Key: "SERVICE",
      }],
    }, o),
    "InvalidInput",
    "at most 2",
  );
});

Deno.test("GetCostAndUsage pages group rows and posts monthly fees on the 1st", async () => {
  const { aws, estate } = setup();
  seedCosts(estate, [{ service: "Amazon WorkSpaces", usageType: "USE1-X", daily: 1 }]);
  const first = await aws.call("ce", "GetCostAndUsage", {
    TimePeriod: { Start: addDays(todayUtc(), -60), End: todayUtc() },
    Granularity: "DAILY",
    Metrics: ["UnblendedCost"],
    GroupBy: [{ Type: "DIMENSION", Key: "USAGE_TYPE" }],
  }, o);
  const rows = (first.ResultsByTime ?? []).reduce((n, r) => n + (r.Groups?.length ?? 0), 0);
  assert.equal(rows, PAGE_ROWS);
  assert.equal(typeof first.NextPageToken, "string");
  const day1 = (first.ResultsByTime ?? []).find((r) => r.TimePeriod?.Start?.endsWith("-01"));
  if (day1) {
    assert.ok(day1.Groups?.some((g) => g.Keys?.[0] === "USE1-AW-HW-2"));
  }
  const notDay1 = (first.ResultsByTime ?? []).find((r) => !r.TimePeriod?.Start?.endsWith("-01"));
  assert.ok(!notDay1?.Groups?.some((g) => g.Keys?.[0] === "USE1-AW-HW-2"));
});

Deno.test("GetCostForecast refuses a past start and answers DataUnavailable without history", async () => {
  const { aws } = setup();
  const forecast = (start: string, end: string, values: string[]) =>
    aws.call("ce", "GetCostForecast", {
      TimePeriod: { Start: start, End: end },
      Metric: "UNBLENDED_COST",
      Granularity: "MONTHLY",
      Filter: { Dimensions: { Key: "SERVICE", Values: values } },
    }, o);
  const tomorrow = addDays(todayUtc(), 1);
  await rejects(forecast(addDays(todayUtc(), -2), tomorrow, ["Amazon WorkSpaces"]), "InvalidInput", "current date");
  await rejects(forecast(tomorrow, addDays(tomorrow, 30), ["Amazon Nothing"]), "AwsError", "Insufficient");
  const ok = await forecast(tomorrow, addDays(tomorrow, 30), ["Amazon WorkSpaces"]);
  assert.ok(Number(ok.Total?.Amount) > 0);
});

Deno.test("GetProducts returns JSON strings in the Price List format and rejects MaxResults over 100", async () => {
  const { aws } = setup();
  const out = await aws.call("pricing", "GetProducts", {
    ServiceCode: "AmazonWorkSpacesWeb",
    Filters: [{ Type: "TERM_MATCH", Field: "location", Value: "US East (N. Virginia)" }],
    FormatVersion: "aws_v1",
  }, o);
  assert.equal(out.PriceList?.length, 3);
  const doc = JSON.parse(String(out.PriceList![0]));
  const term = Object.values(doc.terms.OnDemand)[0] as { priceDimensions: Record<string, { pricePerUnit: unknown }> };
  assert.ok(doc.product.sku && doc.product.attributes.usagetype);
  assert.ok(Object.values(term.priceDimensions)[0].pricePerUnit);
  await rejects(
    aws.call("pricing", "GetProducts", { ServiceCode: "AmazonWorkSpaces", MaxResults: 101 }, o),
    "InvalidInput",
    "less than or equal to 100",
  );
});

Deno.test("every EUC usage type the simulated Cost Explorer bills is a Price List product of its region", async () => {
  const estate = scenario()
    .workspace("ws-aon00001", { runningMode: "ALWAYS_ON" })
    .workspace("ws-aus00001", { runningMode: "AUTO_STOP", computeType: "POWER", os: "WINDOWS_11" })
    .workspace("ws-lnx00001", { runningMode: "AUTO_STOP", os: "UBUNTU_22_04" })
    .pool("wspool-ab12cd34e", { desired: 3 })
    .managedInstance("wsinst-a1b2c3d4e5")
    .fleet("apps", { fleetType: "ON_DEMAND", desired: 2 })
    .fleet("multi", { fleetType: "ALWAYS_ON", desired: 1, maxSessionsPerInstance: 4 })
    .portal("3f1c2a9e-7b4d-4e8a-9c6f-1d2e3a4b5c6d", { instanceType: "standard.large" })
    .inRegion("eu-west-1")
    .workspace("ws-eu000001", { runningMode: "ALWAYS_ON", computeType: "VALUE" })
    .pool("wspool-eu12cd34e", { desired: 1 })
    .build();
  seedCosts(estate, [], { background: false });
  const { aws } = awsOn(estate);
  const billed = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await aws.call("ce", "GetCostAndUsage", {
      TimePeriod: { Start: addDays(todayUtc(), -40), End: todayUtc() },
      Granularity: "MONTHLY",
      Metrics: ["UnblendedCost"],
      GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }, { Type: "DIMENSION", Key: "USAGE_TYPE" }],
      NextPageToken: token,
    }, o);
    for (const r of page.ResultsByTime ?? []) {
      for (const g of r.Groups ?? []) billed.set(g.Keys![1], g.Keys![0]);
    }
    token = page.NextPageToken;
  } while (token);
  const codeOf = (service: string) =>
    /AppStream|Applications/.test(service)
      ? "AmazonAppStream"
      : /Secure Browser|Web/.test(service)
      ? "AmazonWorkSpacesWeb"
      : "AmazonWorkSpaces";
  const regionOf: Record<string, string> = { USE1: "us-east-1", EU: "eu-west-1" };
  const categories: Record<string, string> = {};
  for (const [usageType, service] of billed) {
    const region = regionOf[usageType.split("-")[0]];
    assert.ok(region, `${usageType}: region prefix`);
    const found = await aws.call("pricing", "GetProducts", {
      ServiceCode: codeOf(service),
      Filters: [
        { Type: "TERM_MATCH", Field: "usagetype", Value: usageType },
        { Type: "TERM_MATCH", Field: "regionCode", Value: region },
      ],
    }, o);
    assert.ok((found.PriceList ?? []).length > 0, `${service} ${usageType} has no Price List product`);
    if (service === "Amazon WorkSpaces") categories[usageType] = usageCategory(usageType);
  }
  // Cost Explorer's WorkSpaces line holds every product, and the split rule files each as intended.
  assert.deepEqual(categories, {
    "USE1-AW-HW-2": PRODUCT.personal,
    "USE1-AW-HWB8-1-AutoStop-User": PRODUCT.personal,
    "USE1-AW-HWB8-AutoStop-Usage": PRODUCT.personal,
    "USE1-AW-HWU-2-AutoStop-User": PRODUCT.personal,
    "USE1-AW-HWU-2-AutoStop-Usage": PRODUCT.personal,
    "USE1-AW-HW-Pools-2-Usage": PRODUCT.pools,
    "USE1-AW-HW-Pools-Stopped-Usage": PRODUCT.pools,
    "USE1-AW-HW-Pools-User": PRODUCT.pools,
    "USE1-WH-ManagedInstances-Usage": PRODUCT.core,
    "EU-AW-HW-1-0": PRODUCT.personal,
    "EU-AW-HW-Pools-2-Usage": PRODUCT.pools,
    "EU-AW-HW-Pools-Stopped-Usage": PRODUCT.pools,
    "EU-AW-HW-Pools-User": PRODUCT.pools,
  });
  assert.ok(billed.has("USE1-stream.standard.medium-fl") && billed.has("USE1-stream.standard.medium-msfl"));
  assert.ok(
    billed.has("USE1-Win-User") && billed.has("USE1-Win-User-Multi-Session") && billed.has("USE1-WEB-ST-LARGE"),
  );
});
