/**
 * recommend_running_mode: break-even in both directions, the Skip_Convert opt-out (tag sweep and
 * DescribeTags fallback), missing prices and skipped desktops.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const STANDARD_WIN = "wsb-8vbljg4r6"; // Standard, Windows Server 2022, 80/50: $35 AlwaysOn, $9.75 + $0.30/h

type Rec = {
  target_id: string;
  region: string;
  current: string;
  recommended: string;
  rationale: string;
  estimated_monthly_savings_usd: number | null;
  savings_note: string | null;
  confidence: string;
  billable_hours: number | null;
  billable_hours_range: { min: number; max: number } | null;
  estimated_monthly_savings_max_usd: number | null;
  projected_monthly_billable_hours: number;
  breakeven_hours_per_month: number | null;
  alwayson_monthly_usd: number | null;
  autostop_monthly_base_usd: number | null;
  autostop_hourly_usd: number | null;
  when_to_switch: string;
  opt_out_checked: boolean;
};
type Skip = { target_id: string; reason: string };
type Err = { service: string; operation: string; code: string; hint: string };

function recs(body: Record<string, unknown>): Map<string, Rec> {
  return new Map((body.recommendations as Rec[]).map((r) => [r.target_id, r]));
}

/** Billable hours per desktop: `days` sessions of `hours` h each bill hours + 1 (60-minute timeout). */
function usage(hours: number, days: number[], startHour = 2) {
  return { hoursPerDay: hours, days, startHour };
}

Deno.test("running mode: both directions around the break-even, with $/month from the Price List", async () => {
  const ws = (id: string, runningMode: "ALWAYS_ON" | "AUTO_STOP", u?: ReturnType<typeof usage>) =>
    [id, { bundle: STANDARD_WIN, runningMode, usage: u, lastConnected: u ? ago(1) : undefined }] as const;
  const estate = scenario()
    // Break-even of Standard Windows 80/50 in us-east-1: (35 − 9.75) / 0.30 = 84.2 h a month.
    .workspace(...ws("ws-aoidle001", "ALWAYS_ON", usage(2, [1, 2]))) // 6 h → 13.0 h/month
    .workspace(...ws("ws-aobelow01", "ALWAYS_ON", usage(18, [1, 2]))) // 38 h → 82.6 h/month, just below
    .workspace(...ws("ws-aoabove01", "ALWAYS_ON", usage(12, [1, 2, 3]))) // 39 h → 84.7 h/month, just above
    .workspace(...ws("ws-asbelow01", "AUTO_STOP", usage(18, [1, 2])))
    .workspace(...ws("ws-asabove01", "AUTO_STOP", usage(12, [1, 2, 3])))
    .workspace(...ws("ws-asbusy001", "AUTO_STOP", usage(8, [1, 2, 3, 4, 5, 6]))) // 54 h → 117.3 h/month
    .workspace("ws-manual001", { runningMode: "MANUAL", usage: usage(8, [1]), lastConnected: ago(1) })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("recommend_running_mode", { lookback_days: 14 });
    assert.deepEqual(body.errors, []);
    const r = recs(body);
    assert.deepEqual([...r.keys()].sort(), ["ws-aobelow01", "ws-aoidle001", "ws-asabove01", "ws-asbusy001"]);

    const idle = r.get("ws-aoidle001")!;
    assert.equal(idle.recommended, "AUTO_STOP");
    assert.equal(idle.breakeven_hours_per_month, 84.2);
    // 6 h (13.0 h/month) exactly, but AUTO_STOP anywhere within its hourly bounds: not read at 5 minutes, so its
    // hours are the range and its saving the least it can be (at 8 h = 17.4 h/month), 21.35 in between.
    assert.equal(idle.billable_hours, null);
    assert.deepEqual(idle.billable_hours_range, { min: 4, max: 8 });
    assert.equal(idle.projected_monthly_billable_hours, 17.4, "the bound nearest the break-even");
    assert.equal(idle.estimated_monthly_savings_usd, 20.03, "35 − (9.75 + 0.30 × 17.4)");
    assert.equal(idle.estimated_monthly_savings_max_usd, 22.64, "35 − (9.75 + 0.30 × 8.7)");
    assert.match(idle.savings_note!, /between \$20\.03 and \$22\.64/);
    assert.match(idle.rationale, /^4–8 billable hours .* at most 17\.4 hours a month/);
    assert.equal(idle.confidence, "high");
    assert.match(idle.when_to_switch, /end of the month/);

    const below = r.get("ws-aobelow01")!;
    assert.equal(below.projected_monthly_billable_hours, 82.6);
    assert.equal(below.estimated_monthly_savings_usd, 0.47);
    assert.equal(below.billable_hours, 38, "near the break-even: read at 5 minutes");
    assert.equal(below.billable_hours_range, null);
    assert.equal(below.estimated_monthly_savings_max_usd, 0.47);
    assert.equal(below.confidence, "low", "within 20 % of the break-even");

    const above = r.get("ws-asabove01")!;
    assert.equal(above.recommended, "ALWAYS_ON");
    assert.equal(above.projected_monthly_billable_hours, 84.7);
    assert.equal(above.estimated_monthly_savings_usd, 0.16, "9.75 + 0.30 × 84.7 − 35");

    const busy = r.get("ws-asbusy001")!;
    assert.equal(busy.recommended, "ALWAYS_ON");
    assert.equal(busy.estimated_monthly_savings_usd, 9.94);
    assert.ok(busy.rationale.includes("84.2"));

    // Already in the cheaper mode: AlwaysOn just above, AutoStop just below the break-even.
    assert.ok(!r.has("ws-aoabove01") && !r.has("ws-asbelow01"));
    assert.deepEqual(body.counts, {
      to_auto_stop: 2,
      to_always_on: 2,
      already_optimal: 2,
      skipped: 0,
      opted_out: 0,
      not_applicable: 1,
    });
    // 20.03 + 0.47 + 0.16 + 9.94 at least; with the idle desktop's most, 33.21.
    assert.equal(body.total_estimated_monthly_savings_usd, 30.6);
    assert.equal(body.total_estimated_monthly_savings_max_usd, 33.21);
    assert.match(body.summary as string, /\$30\.60–\$33\.21\/month/);
    assert.equal((body.recommendations as Rec[])[0].target_id, "ws-aoidle001", "largest saving first");
    // Tags are read for the four candidates only; one Price List family lookup is cached for all.
    assert.equal(h.sim.count("workspaces", "DescribeTags"), 4);
    // One hourly read of every desktop, one 5-minute read of the desktops whose advice depends on it.
    assert.equal(h.sim.count("monitoring", "GetMetricData"), 2);
    const points = body.datapoints as { hourly: number; five_minute: number };
    assert.ok(points.hourly > 0 && points.five_minute > 0, JSON.stringify(points));
  } finally {
    await h.close();
  }
});

Deno.test("running mode: a Skip_Convert tag in any case opts the desktop out, listed with the reason", async () => {
  const estate = scenario()
    .workspace("ws-skip00001", { bundle: STANDARD_WIN, runningMode: "ALWAYS_ON", tags: { SKIP_CONVERT: "yes" } })
    .workspace("ws-skip00002", { bundle: STANDARD_WIN, runningMode: "ALWAYS_ON", tags: { skip_convert: "" } })
    .workspace("ws-idle00001", { bundle: STANDARD_WIN, runningMode: "ALWAYS_ON", tags: { Team: "x" } })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("recommend_running_mode", {});
    assert.deepEqual([...recs(body).keys()], ["ws-idle00001"]);
    const skipped = body.skipped as Skip[];
    assert.deepEqual(skipped.map((s) => s.target_id), ["ws-skip00001", "ws-skip00002"]);
    assert.match(skipped[0].reason, /SKIP_CONVERT=yes/);
    assert.match(skipped[0].reason, /would have been AUTO_STOP \(about \$25\.25\/month\)/);
    assert.equal((body.counts as Record<string, number>).opted_out, 2);
  } finally {
    await h.close();
  }
});

Deno.test("running mode: with many candidates the opt-out tags come from one tag:GetResources sweep, not per desktop", async () => {
  const estate = scenario()
    .workspaces(40, { prefix: "idle", bundle: STANDARD_WIN, runningMode: "ALWAYS_ON", tags: { Team: "x" } })
    .workspace("ws-skipme001", { bundle: STANDARD_WIN, runningMode: "ALWAYS_ON", tags: { Skip_CONVERT: "1" } })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("recommend_running_mode", {});
    assert.equal(h.sim.count("tagging", "GetResources"), 1, "41 tagged desktops fit one page of 100");
    assert.equal(h.sim.count("workspaces", "DescribeTags"), 0);
    assert.equal(recs(body).size, 40);
    assert.deepEqual((body.skipped as Skip[]).map((s) => s.target_id), ["ws-skipme001"]);
    assert.ok([...recs(body).values()].every((r) => r.opt_out_checked));
  } finally {
    await h.close();
  }
});

Deno.test("running mode: more tagged desktops than a sweep page: one sweep page, then the candidates by ARN, 100 a call", async () => {
  const estate = scenario()
    .workspaces(250, { prefix: "idle", bundle: STANDARD_WIN, runningMode: "ALWAYS_ON", tags: { Team: "x" } })
    // Last in the sweep's order: on its third page, which is never read.
    .workspace("ws-skipme001", { bundle: STANDARD_WIN, runningMode: "ALWAYS_ON", tags: { skip_CONVERT: "1" } })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("recommend_running_mode", {});
    const calls = h.sim.calls.filter((c) => c.operation === "GetResources").map((c) =>
      c.params as Record<string, unknown>
    );
    const sweeps = calls.filter((p) => !p.ResourceARNList);
    assert.equal(sweeps.length, 1, "one sweep page");
    assert.equal(sweeps[0].PaginationToken, undefined);
    const byArn = calls.filter((p) => p.ResourceARNList).map((p) => p.ResourceARNList as string[]);
    assert.ok(byArn.every((arns) => arns.length >= 1 && arns.length <= 100), "1 to 100 ARNs a call");
    const asked = byArn.flat();
    assert.equal(new Set(asked).size, asked.length, "each candidate asked once");
    // A chunk of at most 25 candidates evaluated before the first lookup began asks DescribeTags instead.
    const single = h.sim.count("workspaces", "DescribeTags");
    assert.ok(single <= 25);
    assert.equal(asked.length + single, 151, "the 151 candidates the first page did not show, each once");
    assert.ok(asked.every((a) => /^arn:aws:workspaces:us-east-1:\d{12}:workspace\/ws-/.test(a)));
    assert.ok(h.sim.calls.every((c) => c.operation !== "GetResources" || c.status === 200), "AWS took every call");
    const counts = body.counts as Record<string, number>;
    assert.equal(counts.to_auto_stop, 250);
    assert.equal(counts.opted_out, 1);
    assert.deepEqual((body.skipped as Skip[]).map((s) => s.target_id), ["ws-skipme001"]);
    assert.ok([...recs(body).values()].every((r) => r.opt_out_checked));
  } finally {
    await h.close();
  }
});

Deno.test("running mode: without tag:GetResources the opt-out falls back to DescribeTags and still holds", async () => {
  const estate = scenario()
    .workspaces(30, { prefix: "idle", bundle: STANDARD_WIN, runningMode: "ALWAYS_ON" })
    .workspace("ws-skipme001", { bundle: STANDARD_WIN, runningMode: "ALWAYS_ON", tags: { skip_convert: "y" } })
    .build();
  const sim = new Simulator(estate);
  sim.inject({ kind: "access-denied", service: "tagging", operation: "GetResources" });
  const h = await connect(sim);
  try {
    const { body } = await h.call("recommend_running_mode", {});
    assert.equal(h.sim.count("workspaces", "DescribeTags"), 31);
    assert.equal(recs(body).size, 30);
    assert.deepEqual((body.skipped as Skip[]).map((s) => s.target_id), ["ws-skipme001"]);
    // The denied sweep is named, not silent: its error (with the action) and what the fallback cost.
    const sweep = (body.errors as Err[]).find((e) => e.operation === "GetResources")!;
    assert.equal(sweep.code, "AccessDenied");
    assert.match(sweep.hint, /tag:GetResources/);
    assert.ok((body.notes as string[]).some((n) => /tag:GetResources.*31 calls/.test(n)));
  } finally {
    await h.close();
  }
});

Deno.test("running mode: a bundle without a published price gives a null saving with the reason, never a guess", async () => {
  const estate = scenario()
    // Standard is not published with an 80/200 storage pairing.
    .workspace("ws-oddstor01", { bundle: STANDARD_WIN, userGib: 200, runningMode: "ALWAYS_ON" })
    .workspace("ws-oddstor02", {
      bundle: STANDARD_WIN,
      userGib: 200,
      runningMode: "AUTO_STOP",
      usage: usage(8, [1, 2, 3, 4, 5, 6]),
      lastConnected: ago(1),
    })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("recommend_running_mode", {});
    const r = recs(body).get("ws-oddstor01")!;
    assert.equal(r.recommended, "AUTO_STOP", "unused AlwaysOn is still worth switching");
    assert.equal(r.estimated_monthly_savings_usd, null);
    assert.equal(r.breakeven_hours_per_month, null);
    assert.match(r.savings_note!, /No clean bundle match/);
    // The busy AutoStop desktop cannot be compared with a break-even: skipped with the reason.
    const skipped = body.skipped as Skip[];
    assert.equal(skipped[0].target_id, "ws-oddstor02");
    assert.match(skipped[0].reason, /break-even/);
    assert.equal(body.total_estimated_monthly_savings_usd, 0);
  } finally {
    await h.close();
  }
});

Deno.test("running mode: an unpriced desktop whose hourly data cannot be bounded is skipped with the reason, not read again", async () => {
  // Connected around the clock for days: too many uncertain session joins to bound from hourly data, and no
  // break-even to compare with (Standard is not published with 80/200 storage), so no 5-minute read can change it.
  const estate = scenario()
    .workspace("ws-allday001", {
      bundle: STANDARD_WIN,
      userGib: 200,
      runningMode: "AUTO_STOP",
      usage: { hoursPerDay: 24, days: "daily", startHour: 0 },
      lastConnected: ago(0),
    })
    .build();
  const h = await connect(estate);
  try {
    const { body, result } = await h.call("recommend_running_mode", { lookback_days: 14 });
    assert.ok(!result.isError, JSON.stringify(body).slice(0, 300));
    assert.deepEqual(body.recommendations, []);
    const skipped = body.skipped as Skip[];
    assert.deepEqual(skipped.map((s) => s.target_id), ["ws-allday001"]);
    assert.match(skipped[0].reason, /break-even/);
    assert.equal((body.datapoints as { five_minute: number }).five_minute, 0);
  } finally {
    await h.close();
  }
});

Deno.test("running mode: AccessDenied on the Price List → null savings naming tier 1, recommendations intact", async () => {
  const sim = new Simulator(
    scenario().workspace("ws-idle00001", { bundle: STANDARD_WIN, runningMode: "ALWAYS_ON" }).build(),
  );
  sim.inject({ kind: "access-denied", service: "pricing" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("recommend_running_mode", {});
    assert.ok(!result.isError);
    const r = recs(body).get("ws-idle00001")!;
    assert.equal(r.recommended, "AUTO_STOP");
    assert.equal(r.estimated_monthly_savings_usd, null);
    assert.match(r.savings_note!, /Price List could not be read/);
    const errors = body.errors as Err[];
    assert.equal(errors.length, 1, "one error, not one per lookup");
    assert.equal(errors[0].operation, "GetProducts");
    assert.equal(errors[0].code, "AccessDenied");
    assert.match(errors[0].hint, /pricing:GetProducts/);
    assert.match(errors[0].hint, /tier ?1|tier1/i);
  } finally {
    await h.close();
  }
});

Deno.test("running mode: no_data desktops are skipped; with DescribeTags denied no change is recommended, each listed with the reason", async () => {
  const estate = scenario()
    .workspace("ws-nodata001", { bundle: STANDARD_WIN, runningMode: "ALWAYS_ON", lastConnected: ago(2) })
    .workspace("ws-idle00001", { bundle: STANDARD_WIN, runningMode: "ALWAYS_ON" })
    .build();
  const sim = new Simulator(estate);
  sim.inject({ kind: "access-denied", service: "workspaces", operation: "DescribeTags" });
  const h = await connect(sim);
  try {
    const { body } = await h.call("recommend_running_mode", {});
    // The opt-out could not be read: converting might be forbidden, so it is not recommended.
    assert.equal(recs(body).size, 0);
    const skipped = body.skipped as Skip[];
    assert.deepEqual(skipped.map((s) => s.target_id).sort(), ["ws-idle00001", "ws-nodata001"]);
    const unread = skipped.find((s) => s.target_id === "ws-idle00001")!;
    assert.match(unread.reason, /Skip_Convert opt-out tag could not be read/);
    assert.match(unread.reason, /would have been AUTO_STOP \(about \$\d/);
    assert.equal((body.counts as Record<string, number>).to_auto_stop, 0);
    assert.equal((body.counts as Record<string, number>).skipped, 2);
    assert.equal(body.total_estimated_monthly_savings_usd, 0);
    assert.equal((body.errors as Err[])[0].operation, "DescribeTags");
    assert.ok((body.notes as string[]).some((n) => /opt-out could not be read/.test(n)));
  } finally {
    await h.close();
  }
});

Deno.test("running mode: tag:GetResources denied and the DescribeTags fallback denied too: nothing recommended, both named", async () => {
  const estate = scenario()
    .workspaces(30, { prefix: "idle", bundle: STANDARD_WIN, runningMode: "ALWAYS_ON" })
    .build();
  const sim = new Simulator(estate);
  sim.inject({ kind: "access-denied", service: "tagging", operation: "GetResources" });
  sim.inject({ kind: "access-denied", service: "workspaces", operation: "DescribeTags" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("recommend_running_mode", {});
    assert.ok(!result.isError);
    assert.equal(recs(body).size, 0);
    assert.equal((body.counts as Record<string, number>).skipped, 30);
    assert.ok((body.skipped as Skip[]).every((s) => /and so did tag:GetResources/.test(s.reason)));
    const ops = (body.errors as Err[]).map((e) => e.operation).sort();
    assert.deepEqual(ops, ["DescribeTags", "GetResources"]);
    assert.match((body.errors as Err[]).find((e) => e.operation === "GetResources")!.hint, /tag:GetResources/);
  } finally {
    await h.close();
  }
});

Deno.test("running mode: invalid input is refused before any AWS call", async () => {
  const h = await connect(scenario().workspace("ws-user00001").build());
  try {
    for (const args of [{ lookback_days: 0 }, { lookback_days: 100 }, { limit: 501 }, { next_token: "abc" }]) {
      const { result } = await h.call("recommend_running_mode", args);
      assert.ok(result.isError, JSON.stringify(args));
    }
    assert.equal(h.sim.calls.length, 0);
  } finally {
    await h.close();
  }
});
