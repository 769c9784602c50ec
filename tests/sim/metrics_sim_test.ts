/**
 * The simulator's metric fast paths answer exactly what the per-sample path answers: tabulated days
 * (a desktop's UserConnected, CPU and memory days, and their whole-bucket statistics), the day-by-day
 * 5-minute read, and the prefix-hashed CPU/memory wave; and both answer what CloudWatch's aggregation,
 * written out plainly in the test, gives.
 */
import assert from "node:assert/strict";
import { scaleEstate } from "../../src/sim/mod.ts";
import { aggregate, type Aggregated, retentionStart } from "../../src/sim/data/aggregate.ts";
import { samplerFor } from "../../src/sim/data/metrics.ts";
import { hash32, hash32On, hash32OnInteger } from "../../src/sim/seed.ts";

const DAY = 86_400_000;
const SAMPLE = 300_000;

/**
 * CloudWatch's aggregation, written out plainly: every 5-minute sample of each bucket in
 * [start, end), up to now and within retention, reduced by the statistic (percentiles by nearest rank).
 */
function reference(
  sample: (t: number) => number | undefined,
  read: { start: number; end: number; periodSec: number; stat: string; now: number },
): Aggregated {
  const { start, end, periodSec, stat, now } = read;
  const period = periodSec * 1000;
  const out: Aggregated = { timestamps: [], values: [] };
  const oldest = Math.floor(retentionStart(periodSec, now) / period) * period;
  for (let b = Math.floor(start / period) * period; b < end; b += period) {
    if (b < oldest) continue;
    const values: number[] = [];
    for (let t = Math.ceil(Math.max(b, start) / SAMPLE) * SAMPLE; t < Math.min(b + period, end, now + 1); t += SAMPLE) {
      const v = sample(t);
      if (v !== undefined) values.push(v);
    }
    if (values.length === 0) continue;
    const sum = values.reduce((a, v) => a + v, 0);
    const pct = /^p(\d+)$/.exec(stat);
    const sorted = [...values].sort((a, z) => a - z);
    out.timestamps.push(b);
    out.values.push(
      stat === "Sum"
        ? sum
        : stat === "Maximum"
        ? sorted.at(-1)!
        : stat === "Minimum"
        ? sorted[0]
        : stat === "SampleCount"
        ? values.length
        : pct
        ? sorted[Math.max(0, Math.ceil((Number(pct[1]) / 100) * sorted.length) - 1)]
        : sum / values.length,
    );
  }
  return out;
}

Deno.test("simulator metrics: tabulated days give the same series as sampling each 5 minutes", () => {
  const estate = scaleEstate({ desktops: 60, seed: 3 });
  const region = estate.region("us-east-1");
  const ids = [...region.workspaces.keys()];
  ids.forEach((id, i) =>
    region.usage.set(id, {
      hoursPerDay: [0, 2, 8, 11, 24][i % 5],
      days: i % 3 === 0 ? "weekdays" : i % 3 === 1 ? "daily" : [1, 2, 5],
      breakMinutes: (i % 4) * 30,
      startHour: 20 + (i % 4), // sessions and AutoStop tails past midnight
    })
  );
  const now = Date.now();
  let compared = 0;
  for (const id of ids) {
    for (const metric of ["UserConnected", "CPUUsage", "MemoryUsage"]) {
      const sampler = samplerFor(region, "AWS/WorkSpaces", metric, { WorkspaceId: id }, now)!;
      assert.ok(sampler.day, `${metric} is tabulated`);
      // UserConnected 1 ms past a sample time is the same 5-minute slot (every boundary lies on one), computed
      // without the tables; a load metric's days come from the same states, so its plain path is the function.
      const plain = metric === "UserConnected" ? (t: number) => sampler(t + 1) : (t: number) => sampler(t);
      for (
        const [period, stat] of [
          [300, "Maximum"],
          [300, "Sum"],
          [300, "SampleCount"],
          [300, "Average"],
          [300, "Minimum"],
          [300, "p90"],
          [3600, "Maximum"],
          [3600, "Minimum"],
          [3600, "Average"],
          [3600, "SampleCount"],
          [86_400, "Sum"],
        ] as const
      ) {
        // An unaligned start, and an end before now (a window that closes before the last sample).
        for (const [start, end] of [[now - 15 * DAY + 7_000, now], [now - 9 * DAY - 150_000, now - 2 * DAY + 1]]) {
          const a = aggregate(sampler, start, end, period, stat, now);
          const b = aggregate(plain, start, end, period, stat, now);
          assert.deepEqual(a, b, `${id} ${metric} ${period} ${stat}`);
          assert.deepEqual(
            b,
            reference(plain, { start, end, periodSec: period, stat, now }),
            `${id} ${metric} ${period} ${stat}: reference`,
          );
          compared += a.values.length;
        }
      }
    }
  }
  assert.ok(compared > 3_000, `${compared} values compared`);
});

Deno.test("simulator metrics: hash32On continues a hash32 of the prefix", () => {
  for (let i = 0; i < 2_000; i++) {
    const prefix = `${hash32(`ws-${i}`)}:`;
    const rest = String(1_700_000_000_000 + i * 300_000);
    assert.equal(hash32On(hash32(prefix), rest), hash32(prefix + rest));
  }
});

Deno.test("simulator metrics: hash32OnInteger hashes an integer's decimal digits as hash32On hashes its string", () => {
  for (
    const n of [
      0,
      7,
      10,
      100_000,
      300_000,
      1_700_000_000_000,
      1_796_217_600_000,
      214_748_364_800_000,
      214_748_364_700_000,
      Number.MAX_SAFE_INTEGER,
    ]
  ) {
    assert.equal(hash32OnInteger(hash32("ws-1:"), n), hash32On(hash32("ws-1:"), String(n)));
  }
  for (let i = 0; i < 2_000; i++) {
    const h = hash32(`ws-${i}:`);
    const n = 1_700_000_000_000 + i * (i % 2 ? 300_000 : 300_001);
    assert.equal(hash32OnInteger(h, n), hash32On(h, String(n)));
  }
});

Deno.test("simulator metrics: a stopped desktop's series is cut at an hour, so reads minutes apart agree", () => {
  const estate = scaleEstate({ desktops: 5, seed: 3 });
  const region = estate.region("us-east-1");
  const [id] = region.workspaces.keys();
  const ws = region.workspaces.get(id)!;
  ws.State = "STOPPED";
  ws.WorkspaceProperties = { ...ws.WorkspaceProperties, RunningMode: "ALWAYS_ON" }; // publishes zeros when idle
  region.usage.set(id, { hoursPerDay: 8, days: "daily" });
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 5 * 3_600_000; // five hours ago, on the hour
  const read = (now: number) => {
    const sampler = samplerFor(region, "AWS/WorkSpaces", "UserConnected", { WorkspaceId: id }, now)!;
    return aggregate(sampler, hour - 3 * DAY, hour, 300, "Maximum", now);
  };
  const first = read(hour + 7 * 60_000);
  assert.ok(first.values.length > 0);
  // Nothing in the last day, and history up to the top of the hour a day before.
  assert.ok(first.timestamps.at(-1)! < hour - DAY);
  assert.equal(first.timestamps.at(-1), hour - DAY - SAMPLE);
  for (const later of [1, 3, 29, 52]) assert.deepEqual(read(hour + (7 + later) * 60_000), first, `${later} min later`);
});
