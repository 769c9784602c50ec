/**
 * The adaptive UserConnected read (hourly for every desktop, 5-minute only where the answer depends
 * on it) against the full 5-minute read, on a 2,000-desktop estate of varied use: no use, light
 * use, sessions near the break-even, breaks under and over an hour, AutoStop timeouts of 1–3 hours,
 * early stops and sessions at any 5-minute offset. Classifications, recommendations and every
 * billable hour a tool reports must be equal; the hourly bounds must hold the 5-minute value.
 */
import assert from "node:assert/strict";
import { awsOn, connect } from "../../support/harness.ts";
import { clearOfHourBoundary } from "../../support/clock.ts";
import { type Estate, hash32, metricKey, scaleEstate, type UsageProfile } from "../../../src/sim/mod.ts";
import { Collection } from "../../../src/tools/_lib/collection.ts";
import { analyzeRegion, type DesktopUsage, USAGE_READ } from "../../../src/tools/utilization/_usage.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MIN = 60_000;
const DESKTOPS = 2_000;

/** A deterministic stream of numbers in [0, 1) per desktop. */
function stream(id: string): () => number {
  let n = 0;
  return () => (hash32(`${id}:${n++}`) % 10_000) / 10_000;
}

/**
 * Sessions at any 5-minute offset over the last 16 days: a break in some (under or over an hour),
 * and for AutoStop desktops a running-but-disconnected tail after each that ends anywhere up to the
 * timeout (an early stop by the user or an admin) or runs the full timeout.
 */
function explicitSeries(id: string, alwaysOn: boolean, timeoutMin: number): (t: number) => number | undefined {
  const r = stream(id);
  const runs: [number, number, 0 | 1][] = [];
  const today = Math.floor(Date.now() / DAY) * DAY;
  const slot = 5 * MIN;
  // Nothing today and nothing past midnight: the two reads compared run seconds apart, so no sample may be "now".
  for (let ago = 15; ago >= 1; ago--) {
    if (r() < 0.4) continue;
    const start = today - ago * DAY + 6 * HOUR + Math.floor(r() * 120) * slot;
    const length = (1 + Math.floor(r() * 100)) * slot;
    if (r() < 0.5) {
      const half = Math.floor(length / slot / 2) * slot;
      const gap = (1 + Math.floor(r() * 24)) * slot; // 5 minutes to 2 hours
      runs.push([start, start + half, 1]);
      // AutoStop runs on through a break for at most the timeout.
      runs.push([start + half, start + half + (alwaysOn ? gap : Math.min(gap, timeoutMin * MIN)), 0]);
      runs.push([start + half + gap, start + length + gap, 1]);
      const tail = alwaysOn ? 0 : Math.floor(r() * (timeoutMin / 5 + 1)) * slot;
      runs.push([start + length + gap, start + length + gap + tail, 0]);
    } else {
      runs.push([start, start + length, 1]);
      const tail = alwaysOn ? 0 : Math.floor(r() * (timeoutMin / 5 + 1)) * slot;
      runs.push([start + length, start + length + tail, 0]);
    }
  }
  for (const run of runs) run[1] = Math.min(run[1], (Math.floor(run[0] / DAY) + 1) * DAY);
  // Indexed by hour: the sampler is asked for every 5-minute sample of every read.
  const byHour = new Map<number, [number, number, 0 | 1][]>();
  for (const run of runs) {
    for (let hr = Math.floor(run[0] / HOUR); hr * HOUR < run[1]; hr++) {
      if (!byHour.has(hr)) byHour.set(hr, []);
      byHour.get(hr)!.push(run);
    }
  }
  return (t) => {
    for (const [from, to, v] of byHour.get(Math.floor(t / HOUR)) ?? []) if (t >= from && t < to) return v;
    return alwaysOn ? 0 : undefined;
  };
}

/** A usage profile with no use today (the compared reads run seconds apart: nothing may change in between). */
function profile(h: number): UsageProfile {
  return { ...shape(h), idleForDays: Math.max(1, shape(h).idleForDays ?? 0) };
}

function shape(h: number): UsageProfile {
  switch (h % 9) {
    case 0:
      return { hoursPerDay: 0 };
    case 1:
      return { hoursPerDay: 1 + (h % 3), days: [1, 3, 6] };
    case 2:
    case 3:
      // Around the break-even: 1.5–4 hours on weekdays, starting off the hour, short or long breaks.
      return {
        hoursPerDay: 1.5 + (h % 6) * 0.5,
        days: "weekdays",
        startHour: 7 + (h % 4) * 0.25,
        breakMinutes: [0, 20, 45, 55, 65][h % 5],
      };
    case 4:
      return { hoursPerDay: 8, days: "weekdays", startHour: 8.5, breakMinutes: 25 + (h % 7) * 5 };
    case 5:
      return { hoursPerDay: 9, days: "daily", breakMinutes: 90 };
    case 6:
      return { hoursPerDay: 3, days: "weekdays", idleForDays: 9 };
    default:
      return { hoursPerDay: 4, days: "weekdays", startHour: 13.75 };
  }
}

function estate(desktops = DESKTOPS): Estate {
  const e = scaleEstate({ desktops, seed: 11 });
  for (const name of e.regions()) {
    const region = e.region(name);
    for (const [id, w] of region.workspaces) {
      const h = hash32(id);
      const p = w.WorkspaceProperties!;
      const alwaysOn = p.RunningMode === "ALWAYS_ON";
      // A desktop that is down now stops publishing a day back from "now", which moves between the compared reads.
      w.State = "AVAILABLE";
      if (!alwaysOn && h % 4 === 0) p.RunningModeAutoStopTimeoutInMinutes = [120, 180][(h >> 3) % 2];
      if (h % 5 === 0) {
        const key = metricKey("AWS/WorkSpaces", "UserConnected", { WorkspaceId: id });
        region.metricSeries.set(key, explicitSeries(id, alwaysOn, p.RunningModeAutoStopTimeoutInMinutes ?? 60));
      } else {
        region.usage.set(id, profile(h >> 4));
      }
    }
  }
  return e;
}

/** Calls a paged tool until the last page (or `pages` pages); returns the first body and the items of `field`. */
async function all(
  h: Awaited<ReturnType<typeof connect>>,
  tool: string,
  field: string,
  args: Record<string, unknown> = {},
  pages = Infinity,
): Promise<{ body: Record<string, unknown>; items: Record<string, unknown>[]; points: Points }> {
  const items: Record<string, unknown>[] = [];
  const points = { hourly: 0, five_minute: 0 };
  let token: string | undefined;
  let body: Record<string, unknown> | undefined;
  do {
    const r = await h.call(tool, { ...args, limit: 500, ...(token ? { next_token: token } : {}) });
    assert.deepEqual(r.body.errors, [], tool);
    body ??= r.body;
    items.push(...(r.body[field] as Record<string, unknown>[]));
    points.hourly += (r.body.datapoints as Points).hourly;
    points.five_minute += (r.body.datapoints as Points).five_minute;
    token = (r.body.next_token as string | null) ?? undefined;
  } while (token && --pages > 0);
  return { body: body!, items, points };
}

/** Runs `fn` with the usage engine reading every desktop at 5 minutes. */
async function fiveMinute<T>(fn: () => Promise<T>): Promise<T> {
  USAGE_READ.mode = "five_minute";
  try {
    return await fn();
  } finally {
    USAGE_READ.mode = "adaptive";
  }
}

type Points = { hourly: number; five_minute: number };

Deno.test("adaptive read = full 5-minute read through the tools: classifications, billable hours, recommendations", async () => {
  await clearOfHourBoundary();
  // 500 desktops: each paged call analyses the whole estate again (the next test covers 2,000 in the engine).
  const h = await connect(estate(500));
  try {
    // Utilization: the listed rows are read at 5 minutes, so they equal the full read (the first pages of the used
    // desktops here; every desktop's class and bounds are checked against the 5-minute read in the next test).
    const used = { classification: ["idle", "active"] };
    const full = await fiveMinute(() => all(h, "analyze_workspace_utilization", "workspaces", used, 2));
    const adaptive = await all(h, "analyze_workspace_utilization", "workspaces", used, 2);
    assert.ok(adaptive.items.length >= 150, `${adaptive.items.length} rows compared`);
    assert.deepEqual(adaptive.body.counts, full.body.counts);
    assert.deepEqual(adaptive.items, full.items);
    assert.equal(adaptive.body.total_count, full.body.total_count);
    const range = adaptive.body.total_billable_hours_range as { min: number; max: number };
    const total = full.body.total_billable_hours as number;
    assert.ok(range.min <= total && total <= range.max, `${total} within [${range.min}, ${range.max}]`);
    assert.equal(adaptive.body.total_billable_hours, null, "most desktops are bounded, not exact");
    assert.equal(full.points.hourly, 0);
    assert.ok(adaptive.points.hourly > 0 && adaptive.points.five_minute > 0, JSON.stringify(adaptive.points));
    const perCall = (p: Points) => (p.hourly + p.five_minute) / 2;
    assert.ok(perCall(adaptive.points) < perCall(full.points) / 2, JSON.stringify([adaptive.points, full.points]));

    // Running mode: the same desktops recommended the same way, the same counts and skipped list. A recommendation
    // read at 5 minutes equals the full read's in every field; one that holds anywhere within its hourly bounds
    // keeps them, and they hold the full read's hours and saving (its confidence is never higher).
    const modeFull = await fiveMinute(() => all(h, "recommend_running_mode", "recommendations"));
    const mode = await all(h, "recommend_running_mode", "recommendations");
    type Rec = {
      target_id: string;
      recommended: string;
      confidence: string;
      billable_hours: number | null;
      billable_hours_range: { min: number; max: number } | null;
      estimated_monthly_savings_usd: number | null;
      estimated_monthly_savings_max_usd: number | null;
    };
    const recs = mode.items as Rec[];
    const fullById = new Map((modeFull.items as Rec[]).map((r) => [r.target_id, r]));
    const way = (list: Rec[]) => list.map((r) => `${r.target_id}→${r.recommended}`).sort();
    assert.deepEqual(way(recs), way(modeFull.items as Rec[]));
    const rank = (c: string) => ["low", "medium", "high"].indexOf(c);
    let bounded = 0;
    for (const r of recs) {
      const f = fullById.get(r.target_id)!;
      if (!r.billable_hours_range) {
        assert.deepEqual(r, f, r.target_id);
        continue;
      }
      bounded++;
      const { min, max } = r.billable_hours_range;
      assert.equal(r.billable_hours, null);
      assert.ok(min <= f.billable_hours! && f.billable_hours! <= max, `${r.target_id}: ${f.billable_hours} in range`);
      assert.ok(
        r.estimated_monthly_savings_usd! <= f.estimated_monthly_savings_usd! &&
          f.estimated_monthly_savings_usd! <= r.estimated_monthly_savings_max_usd!,
        `${r.target_id}: saving ${f.estimated_monthly_savings_usd} within its bounds`,
      );
      assert.ok(rank(r.confidence) <= rank(f.confidence), r.target_id);
    }
    assert.ok(bounded > 0 && bounded < recs.length, `${bounded} of ${recs.length} recommendations bounded`);
    for (const k of ["counts", "evaluated", "skipped"]) assert.deepEqual(mode.body[k], modeFull.body[k], k);
    const totals = (b: Record<string, unknown>) =>
      [b.total_estimated_monthly_savings_usd, b.total_estimated_monthly_savings_max_usd] as number[];
    const [lo, hi] = totals(mode.body);
    const [exact] = totals(modeFull.body);
    assert.ok(lo <= exact && exact <= hi, `${exact} in [${lo}, ${hi}]`);
    assert.equal(totals(modeFull.body)[1], exact, "the full read's total is exact");
    assert.ok(recs.length > 50, `${recs.length} recommendations`);
    assert.ok(recs.some((r) => r.recommended === "ALWAYS_ON") && recs.some((r) => r.recommended === "AUTO_STOP"));
    assert.ok(recs.some((r) => r.confidence === "low"), "some desktops sit near the break-even");
    const modePoints = mode.body.datapoints as Points;
    const modeFullPoints = modeFull.body.datapoints as Points;
    assert.ok(modePoints.five_minute > 0, "the desktops near the break-even are read at 5 minutes");
    // Only the desktops near their break-even are read at 5 minutes; the rest stay hourly.
    assert.ok(
      modePoints.hourly + modePoints.five_minute < modeFullPoints.five_minute,
      JSON.stringify([modePoints, modeFullPoints]),
    );

    // Unused resources: classification only, hourly is enough.
    const unusedFull = await fiveMinute(() => all(h, "list_unused_resources", "items"));
    const unused = await all(h, "list_unused_resources", "items");
    assert.deepEqual(unused.items, unusedFull.items);
    assert.deepEqual(unused.body.counts, unusedFull.body.counts);
    assert.ok((unused.body.counts as { unused_desktops: number }).unused_desktops > 25);
    assert.deepEqual(unused.body.no_data, unusedFull.body.no_data);
    assert.equal(unused.points.five_minute, 0, "no 5-minute read for unused resources");
  } finally {
    await h.close();
  }
});

Deno.test("hourly bounds hold the 5-minute billable hours of every desktop (2,000 desktops)", async () => {
  const { aws } = awsOn(estate());
  const ctx = { aws, signal: new AbortController().signal };
  const now = Date.now();
  const adaptive = (await analyzeRegion(ctx, "us-east-1", 14, new Collection(), { now }))!;
  const full = (await fiveMinute(() => analyzeRegion(ctx, "us-east-1", 14, new Collection(), { now })))!;
  const byId = new Map(full.desktops.map((d) => [d.workspace.WorkspaceId, d]));
  let bounded = 0;
  let exactWithoutFine = 0;
  let width = 0;
  for (const d of adaptive.desktops) {
    const f: DesktopUsage = byId.get(d.workspace.WorkspaceId)!;
    assert.equal(d.classification, f.classification, d.workspace.WorkspaceId);
    assert.equal(d.active_days, f.active_days, d.workspace.WorkspaceId);
    if (d.exact) {
      exactWithoutFine++;
      assert.equal(d.billable_hours, f.billable_hours, d.workspace.WorkspaceId);
      continue;
    }
    const r = d.billable_range!;
    assert.ok(r, `${d.workspace.WorkspaceId} bounded`);
    assert.ok(
      r.min <= f.billable_hours! && f.billable_hours! <= r.max,
      `${d.workspace.WorkspaceId}: ${f.billable_hours} in [${r.min}, ${r.max}]`,
    );
    bounded++;
    width += r.max - r.min;
  }
  assert.ok(bounded > DESKTOPS / 3, `${bounded} bounded, ${exactWithoutFine} exact from hourly data`);
  assert.ok(width / bounded > 0, "bounds are ranges, not points");
  assert.equal(adaptive.datapoints.five_minute, 0, "nothing refined without a refine callback");
});
