/**
 * get_euc_cost_forecast's inflation warning at its exact boundary: recent 7-day spend exactly
 * INFLATION_RATIO (1.3) × the 30-day average is not inflated, a cent above is; a 30-day average of 0 (only a
 * monthly fee, or credits cancelling recent spend) or below 0 (credits) never warns.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { addDays, type CostLine, seedCosts, todayUtc } from "../../../src/sim/mod.ts";

const SERVICE = "Amazon WorkSpaces";

/** The days the forecast averages: the last 30 full days without the 1st of a month; those of the last 7. */
function usualDays(): { all: string[]; recent: string[]; before: string[] } {
  const today = todayUtc();
  const all: string[] = [];
  for (let k = 30; k >= 1; k--) {
    const d = addDays(today, -k);
    if (!d.endsWith("-01")) all.push(d);
  }
  const cut = addDays(today, -7);
  return { all, recent: all.filter((d) => d >= cut), before: all.filter((d) => d < cut) };
}

/**
 * Cost lines whose usual days average exactly `trailing` $/day over 30 days and `recent` $/day over the last 7:
 * `recent` every day from 7 days ago, and before that an even spread (whole cents) with the remainder on one day.
 */
function lines(trailing: number, recent: number): CostLine[] {
  const { all, recent: r, before } = usualDays();
  const restCents = Math.round(trailing * 100) * all.length - Math.round(recent * 100) * r.length;
  const each = Math.floor(restCents / before.length);
  const remainder = restCents - each * before.length;
  const today = todayUtc();
  return [
    { service: SERVICE, usageType: "USE1-AW-HW-2-AlwaysOn", daily: recent, from: addDays(today, -7) },
    { service: SERVICE, usageType: "USE1-AW-HW-2-AlwaysOn-old", daily: each / 100, to: addDays(today, -7) },
    {
      service: SERVICE,
      usageType: "USE1-AW-HW-2-AlwaysOn-rest",
      daily: remainder / 100,
      from: before[0],
      to: addDays(before[0], 1),
    },
  ];
}

async function forecastWith(costLines: CostLine[]) {
  const estate = scenario().build();
  seedCosts(estate, costLines, { deriveFromEstate: false, background: false });
  const h = await connect(estate);
  try {
    const { body, result } = await h.call("get_euc_cost_forecast", {});
    assert.ok(!result.isError, JSON.stringify(body).slice(0, 300));
    const inflated = (body.notes as string[]).some((n) => n.startsWith("FORECAST INFLATION"));
    return {
      recent: body.recent_7d_daily_avg as number | null,
      trailing: body.trailing_30d_daily_avg as number | null,
      inflated,
    };
  } finally {
    await h.close();
  }
}

Deno.test("forecast inflation: recent exactly 1.3× the 30-day average is not inflated; a cent above is", async () => {
  const at = await forecastWith(lines(100, 130));
  assert.deepEqual([at.recent, at.trailing], [130, 100], "constructed exactly");
  assert.equal(at.inflated, false, "exactly 1.3× is not inflated");
  const above = await forecastWith(lines(100, 130.01));
  assert.deepEqual([above.recent, above.trailing], [130.01, 100]);
  assert.equal(above.inflated, true, "just above 1.3× is inflated");
  const well = await forecastWith(lines(100, 200));
  assert.equal(well.inflated, true);
});

Deno.test("forecast inflation: a 30-day average of 0 (a monthly fee only, or credits cancelling recent spend) or below 0 never warns", async () => {
  const monthlyOnly = await forecastWith([{ service: SERVICE, usageType: "USE1-AW-HW-2-AlwaysOn", monthly: 500 }]);
  // A 30-day window without a 1st (today is the 1st of a month after a 31-day one) has no spend to average.
  const hasFirst = usualDays().all.length < 30;
  assert.equal(monthlyOnly.trailing, hasFirst ? 0 : null);
  assert.equal(monthlyOnly.recent, hasFirst ? 0 : null);
  assert.equal(monthlyOnly.inflated, false);
  // Credits: -$10 a day, less of a credit lately (-$5): recent > 1.3 × a negative average, but nothing is inflated.
  const today = todayUtc();
  const credits = await forecastWith([
    { service: SERVICE, usageType: "USE1-AW-HW-2-AlwaysOn", daily: -10 },
    { service: SERVICE, usageType: "USE1-AW-HW-2-AlwaysOn-recent", daily: 5, from: addDays(today, -7) },
  ]);
  assert.equal(credits.recent, -5);
  assert.ok(credits.trailing! < 0 && credits.recent! > 1.3 * credits.trailing!);
  assert.equal(credits.inflated, false);
  // Earlier credits that cancel recent spend: a 30-day average of exactly 0 with recent spend has no ratio to warn by.
  const cancelled = await forecastWith(lines(0, 10));
  assert.deepEqual([cancelled.recent, cancelled.trailing], [10, 0], "constructed exactly");
  assert.equal(cancelled.inflated, false);
});
