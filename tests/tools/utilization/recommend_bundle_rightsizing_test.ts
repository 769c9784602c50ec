/**
 * recommend_bundle_rightsizing: minimum datapoints, p95 against a single spike, one step down or up.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const STANDARD_WIN = "wsb-8vbljg4r6"; // Standard, Windows Server 2022, 80/50: $35 AlwaysOn, $9.75 + $0.30/h
const POWERPRO_WIN11 = "wsb-b0s22j3d7";
const VALUE_WIN = "wsb-3t36q0xfc";
const GRAPHICS = "wsb-gm4d5tx2v";

type Err = { service: string; operation: string; code: string; hint: string };

type Size = {
  target_id: string;
  direction: string;
  current: string;
  recommended: string;
  rationale: string;
  confidence: string;
  estimated_monthly_savings_usd: number | null;
  savings_note: string | null;
  current_alwayson_monthly_usd: number | null;
  target_alwayson_monthly_usd: number | null;
  cpu_peak_pct: number;
  cpu_p95_pct: number;
  datapoints: number;
};

function sizes(body: Record<string, unknown>): Map<string, Size> {
  return new Map((body.recommendations as Size[]).map((r) => [r.target_id, r]));
}

Deno.test("rightsizing: an idle PowerPro steps down, an overloaded desktop steps up, graphics are left alone", async () => {
  const estate = scenario()
    // AlwaysOn and unused: 3 % CPU and 22 % memory around the clock.
    .workspace("ws-ppidle001", { bundle: POWERPRO_WIN11, runningMode: "ALWAYS_ON" })
    // AlwaysOn Standard saturated 20 hours a day.
    .workspace("ws-stdhot001", {
      bundle: STANDARD_WIN,
      runningMode: "ALWAYS_ON",
      usage: { hoursPerDay: 20, days: "daily", startHour: 2, cpu: { average: 92, peak: 99 } },
    })
    // AutoStop Value, ten busy hours a day.
    .workspace("ws-valhot001", {
      bundle: VALUE_WIN,
      usage: { hoursPerDay: 10, days: "daily", cpu: { average: 93, peak: 100 }, memory: { average: 88, peak: 97 } },
    })
    .workspace("ws-graphic01", { bundle: GRAPHICS, runningMode: "ALWAYS_ON" })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("recommend_bundle_rightsizing", {});
    assert.deepEqual(body.errors, []);
    const r = sizes(body);
    const down = r.get("ws-ppidle001")!;
    assert.equal(down.direction, "downsize");
    assert.equal(down.recommended, "POWER");
    assert.equal(down.confidence, "high", "peak CPU under 15 % with days of data");
    assert.equal(down.estimated_monthly_savings_usd, 24.8, "PowerPro $120 − Power $95.20 AlwaysOn (BYOL)");

    const up = r.get("ws-stdhot001")!;
    assert.equal(up.direction, "upsize");
    assert.equal(up.recommended, "PERFORMANCE");
    assert.ok(up.cpu_p95_pct > 85);
    assert.ok(up.estimated_monthly_savings_usd! < 0, "an upsize costs more: a negative saving");
    assert.equal(up.estimated_monthly_savings_usd, up.current_alwayson_monthly_usd! - up.target_alwayson_monthly_usd!);

    const val = r.get("ws-valhot001")!;
    assert.equal(val.recommended, "STANDARD");
    assert.equal(val.confidence, "high", "p95 above 95 %");
    assert.equal(val.estimated_monthly_savings_usd, null);
    assert.match(val.savings_note!, /hourly rate goes from \$0\.22\/h to \$0\.30\/h/);

    assert.ok(!r.has("ws-graphic01"));
    assert.equal((body.counts as Record<string, number>).not_general_purpose, 1);
    assert.equal((body.recommendations as Size[])[0].direction, "downsize", "downsizes first");
    // Two queries a desktop (CPU and memory peaks), all desktops in one request.
    assert.equal(h.sim.count("monitoring", "GetMetricData"), 1);
  } finally {
    await h.close();
  }
});

Deno.test("rightsizing: one spike does not upsize (p95), sustained load does", async () => {
  const now = Date.now();
  const spikeAt = Math.floor((now - 2 * DAY) / 300_000) * 300_000;
  const dims = (id: string) => ({ WorkspaceId: id });
  const estate = scenario()
    .workspace("ws-spike0001", { bundle: STANDARD_WIN, runningMode: "ALWAYS_ON" })
    .workspace("ws-hot000001", { bundle: STANDARD_WIN, runningMode: "ALWAYS_ON" })
    .metric("AWS/WorkSpaces", "CPUUsage", dims("ws-spike0001"), (t) => (t === spikeAt ? 99 : 50))
    .metric("AWS/WorkSpaces", "MemoryUsage", dims("ws-spike0001"), 50)
    // Above 85 % in half of the hours: the p95 of the hourly peaks is high.
    .metric("AWS/WorkSpaces", "CPUUsage", dims("ws-hot000001"), (t) => (Math.floor(t / HOUR) % 2 ? 90 : 50))
    .metric("AWS/WorkSpaces", "MemoryUsage", dims("ws-hot000001"), 50)
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("recommend_bundle_rightsizing", { lookback_days: 7 });
    const r = sizes(body);
    assert.ok(!r.has("ws-spike0001"), "a single 99 % spike is the peak, not the p95");
    assert.equal(r.get("ws-hot000001")!.direction, "upsize");
    assert.equal(r.get("ws-hot000001")!.confidence, "medium", "p95 above 85 % but not above 95 %");
    assert.equal((body.counts as Record<string, number>).right_sized, 1);
  } finally {
    await h.close();
  }
});

Deno.test("rightsizing: 24 hourly datapoints are needed before recommending; 23 are not enough", async () => {
  const hourStart = Math.floor(Date.now() / HOUR) * HOUR;
  const lastHours = (n: number) => (t: number) =>
    t >= hourStart - (n - 1) * HOUR && t < hourStart + HOUR ? 10 : undefined;
  const estate = scenario()
    .workspace("ws-enough001", { bundle: POWERPRO_WIN11, runningMode: "ALWAYS_ON" })
    .workspace("ws-short0001", { bundle: POWERPRO_WIN11, runningMode: "ALWAYS_ON" })
    .metric("AWS/WorkSpaces", "CPUUsage", { WorkspaceId: "ws-enough001" }, lastHours(24))
    .metric("AWS/WorkSpaces", "MemoryUsage", { WorkspaceId: "ws-enough001" }, lastHours(24))
    .metric("AWS/WorkSpaces", "CPUUsage", { WorkspaceId: "ws-short0001" }, lastHours(23))
    .metric("AWS/WorkSpaces", "MemoryUsage", { WorkspaceId: "ws-short0001" }, lastHours(23))
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("recommend_bundle_rightsizing", {});
    const r = sizes(body);
    assert.equal(r.get("ws-enough001")!.datapoints, 24);
    assert.equal(r.get("ws-enough001")!.direction, "downsize");
    assert.equal(r.get("ws-enough001")!.confidence, "medium", "one day of data is not high confidence");
    assert.ok(!r.has("ws-short0001"));
    assert.equal((body.counts as Record<string, number>).insufficient_data, 1);
    assert.equal((body.thresholds as Record<string, number>).min_hourly_datapoints, 24);
  } finally {
    await h.close();
  }
});

Deno.test("rightsizing: AccessDenied on GetMetricData or the Price List degrades, invalid input costs nothing", async () => {
  const estate = scenario().workspace("ws-ppidle001", { bundle: POWERPRO_WIN11, runningMode: "ALWAYS_ON" }).build();
  let sim = new Simulator(estate);
  sim.inject({ kind: "access-denied", service: "pricing" });
  let h = await connect(sim);
  try {
    const { body } = await h.call("recommend_bundle_rightsizing", {});
    const r = sizes(body).get("ws-ppidle001")!;
    assert.equal(r.direction, "downsize");
    assert.equal(r.estimated_monthly_savings_usd, null);
    assert.match(r.savings_note!, /tier 1/);
    assert.equal((body.errors as Err[])[0].operation, "GetProducts");
  } finally {
    await h.close();
  }
  sim = new Simulator(estate);
  sim.inject({ kind: "access-denied", service: "monitoring", operation: "GetMetricData" });
  h = await connect(sim);
  try {
    const { body, result } = await h.call("recommend_bundle_rightsizing", {});
    assert.ok(!result.isError);
    assert.equal((body.counts as Record<string, number>).metrics_unavailable, 1);
    assert.match((body.errors as Err[])[0].hint, /cloudwatch:GetMetricData/);
    for (const args of [{ lookback_days: 0 }, { lookback_days: 91 }, { region: "moon-1" }]) {
      const before = h.sim.calls.length;
      const bad = await h.call("recommend_bundle_rightsizing", args);
      assert.ok(bad.result.isError, JSON.stringify(args));
      assert.equal(h.sim.calls.length, before);
    }
  } finally {
    await h.close();
  }
});

Deno.test("rightsizing: a downsize needs both peaks low — low CPU with high memory, or the reverse, stays", async () => {
  const estate = scenario()
    // AlwaysOn PowerPro connected all day: CPU peaks at 10 % but memory at 70 % (≥ 40): no downsize.
    .workspace("ws-memhigh01", {
      bundle: POWERPRO_WIN11,
      runningMode: "ALWAYS_ON",
      usage: {
        hoursPerDay: 24,
        days: "daily",
        startHour: 0,
        cpu: { average: 5, peak: 10 },
        memory: { average: 65, peak: 70 },
      },
    })
    // CPU peaks at 50 % (≥ 30) with memory at 20 %: no downsize either.
    .workspace("ws-cpuhigh01", {
      bundle: POWERPRO_WIN11,
      runningMode: "ALWAYS_ON",
      usage: {
        hoursPerDay: 24,
        days: "daily",
        startHour: 0,
        cpu: { average: 40, peak: 50 },
        memory: { average: 15, peak: 20 },
      },
    })
    // Both low: steps down.
    .workspace("ws-bothlow01", {
      bundle: POWERPRO_WIN11,
      runningMode: "ALWAYS_ON",
      usage: {
        hoursPerDay: 24,
        days: "daily",
        startHour: 0,
        cpu: { average: 5, peak: 10 },
        memory: { average: 15, peak: 20 },
      },
    })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("recommend_bundle_rightsizing", {});
    assert.deepEqual(body.errors, []);
    const r = sizes(body);
    assert.equal(r.get("ws-bothlow01")?.direction, "downsize");
    assert.equal(r.has("ws-memhigh01"), false, "memory peak 70 % keeps the size");
    assert.equal(r.has("ws-cpuhigh01"), false, "CPU peak 50 % keeps the size");
  } finally {
    await h.close();
  }
});

Deno.test("rightsizing: a recommendation's prices are asked while the listing still runs, not after it", async () => {
  const s = scenario();
  // 600 idle AlwaysOn PowerPro desktops (downsizes): 24 listing pages, the first metric chunk after 10 of them.
  for (let i = 0; i < 600; i++) {
    s.workspace(`ws-pp${String(i).padStart(7, "0")}`, { bundle: POWERPRO_WIN11, runningMode: "ALWAYS_ON" });
  }
  const sim = new Simulator(s.build());
  sim.inject({ kind: "latency", service: "workspaces", operation: "DescribeWorkspaces", ms: 10 });
  const h = await connect(sim);
  try {
    const { body } = await h.call("recommend_bundle_rightsizing", {});
    assert.deepEqual(body.errors, []);
    const ops = sim.calls.map((c) => c.operation);
    assert.equal(ops.filter((o) => o === "DescribeWorkspaces").length, 24);
    assert.ok(
      ops.indexOf("GetProducts") < ops.lastIndexOf("DescribeWorkspaces"),
      "the first Price List call comes before the last listing page",
    );
  } finally {
    await h.close();
  }
});
