/**
 * diagnose_pool's rules at their exact boundaries: "at capacity" needs no available session AND an active one
 * AND active ≥ actual (each operand alone is not enough); under-provisioned is actual < desired on a pool that is
 * not STOPPED; the peak-utilization warning is POOL.highPeakUtilizationPct (90) inclusive, and not repeated when
 * the pool is at capacity.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import type { PoolOpts } from "../../../src/sim/mod.ts";

const HOUR = 3_600_000;

type Finding = { severity: string; title: string };
type Body = { status: string; findings: Finding[]; signals: { peak_utilization_percent: number | null } };

async function diagnoseAll(
  pools: Record<string, PoolOpts & { peak?: number }>,
): Promise<Map<string, Body>> {
  let s = scenario();
  for (const [id, { peak, ...opts }] of Object.entries(pools)) {
    s = s.pool(id, opts);
    if (peak !== undefined) {
      // One sample at `peak` (three hours ago), the rest well below: the Maximum over the lookback is exactly `peak`.
      const at = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
      s = s.metric(
        "AWS/WorkSpaces",
        "UserSessionsCapacityUtilization",
        { "WorkSpaces pool ID": id },
        (t) => (t === at ? peak : 10),
      );
    }
  }
  const h = await connect(s.build());
  try {
    const out = new Map<string, Body>();
    for (const id of Object.keys(pools)) {
      out.set(id, (await h.call("diagnose_pool", { pool_id: id })).body as unknown as Body);
    }
    return out;
  } finally {
    await h.close();
  }
}

const titled = (b: Body, re: RegExp) => b.findings.find((f) => re.test(f.title));

Deno.test("at capacity: available 0 AND active > 0 AND active ≥ actual — each operand alone is not", async () => {
  const bodies = await diagnoseAll({
    "wspool-full00001": { desired: 10, actual: 10, active: 10, available: 0, peak: 50 },
    "wspool-over00001": { desired: 10, actual: 10, active: 11, available: 0, peak: 50 },
    "wspool-onefree01": { desired: 10, actual: 10, active: 10, available: 1, peak: 50 },
    "wspool-oneshy001": { desired: 10, actual: 10, active: 9, available: 0, peak: 50 },
    "wspool-empty0001": { desired: 0, actual: 0, active: 0, available: 0, peak: 0 },
  });
  const atCapacity = (id: string) => titled(bodies.get(id)!, /^Pool is at capacity$/);
  assert.equal(atCapacity("wspool-full00001")?.severity, "critical", "active = actual, none available");
  assert.equal(atCapacity("wspool-over00001")?.severity, "critical", "active > actual, none available");
  assert.equal(atCapacity("wspool-onefree01"), undefined, "one session still available");
  assert.equal(atCapacity("wspool-oneshy001"), undefined, "active one below actual");
  assert.equal(atCapacity("wspool-empty0001"), undefined, "no active session: an empty pool is not 'at capacity'");
  assert.equal(bodies.get("wspool-full00001")!.status, "unhealthy");
});

Deno.test("under-provisioned: actual one below desired warns, actual = desired does not, a STOPPED pool does not", async () => {
  const bodies = await diagnoseAll({
    "wspool-short0001": { desired: 10, actual: 9, active: 2, available: 7, peak: 20 },
    "wspool-exact0001": { desired: 10, actual: 10, active: 2, available: 8, peak: 20 },
    "wspool-stop00001": { state: "STOPPED", desired: 10, actual: 9, active: 0, available: 0 },
  });
  const under = (id: string) => titled(bodies.get(id)!, /desired user sessions are provisioned/);
  assert.equal(under("wspool-short0001")?.title, "Only 9 of 10 desired user sessions are provisioned");
  assert.equal(under("wspool-short0001")?.severity, "warning");
  assert.equal(under("wspool-exact0001"), undefined);
  assert.equal(under("wspool-stop00001"), undefined);
});

Deno.test("peak utilization: exactly 90% warns, 89.9% does not; at capacity the peak warning is not repeated", async () => {
  const bodies = await diagnoseAll({
    "wspool-peak90000": { desired: 20, actual: 20, active: 4, available: 16, peak: 90 },
    "wspool-peak89900": { desired: 20, actual: 20, active: 4, available: 16, peak: 89.9 },
    "wspool-peakfull0": { desired: 10, actual: 10, active: 10, available: 0, peak: 100 },
  });
  const peakWarning = (id: string) => titled(bodies.get(id)!, /^Session utilization peaked/);
  assert.equal(bodies.get("wspool-peak90000")!.signals.peak_utilization_percent, 90);
  assert.equal(bodies.get("wspool-peak89900")!.signals.peak_utilization_percent, 89.9);
  assert.equal(peakWarning("wspool-peak90000")?.severity, "warning");
  assert.equal(peakWarning("wspool-peak89900"), undefined);
  assert.equal(bodies.get("wspool-peak89900")!.status, "healthy");
  assert.ok(titled(bodies.get("wspool-peakfull0")!, /^Pool is at capacity$/));
  assert.equal(peakWarning("wspool-peakfull0"), undefined, "at capacity says it already");
});
