import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { demoEstate, Simulator } from "../../../src/sim/mod.ts";
import { addDays, todayUtc } from "../../../src/sim/mod.ts";
import { account, type Body, ceCalls } from "./_fixtures.ts";

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
    const split = body.workspaces_breakdown_by_product as Record<string, number>;
    assert.deepEqual(Object.keys(split).sort(), [
      "Amazon WorkSpaces Core Managed Instances",
      "Amazon WorkSpaces Personal",
      "Amazon WorkSpaces Pools",
    ]);
    // The Python server's keys, same amounts.
    const reference = body.workspaces_breakdown as Record<string, number>;
    assert.deepEqual(reference, {
      "WorkSpaces Core (Managed Instances)": split["Amazon WorkSpaces Core Managed Instances"],
      "WorkSpaces Personal": split["Amazon WorkSpaces Personal"],
      "WorkSpaces Pools": split["Amazon WorkSpaces Pools"],
    });
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
