/**
 * recommend_bundle_rightsizing at its exact thresholds (constant hourly series, so peak = p95 = the value):
 * downsize needs peak CPU < 30 and peak memory < 40 (high confidence below 15 % CPU); upsize needs a p95 > 85
 * (high confidence above 95). The total counts upsizes as negative savings.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";

const STANDARD_WIN = "wsb-8vbljg4r6"; // Standard, Windows Server 2022, 80/50: $35 AlwaysOn
const POWERPRO_WIN11 = "wsb-b0s22j3d7"; // PowerPro → Power saves $24.80 AlwaysOn

type Size = {
  target_id: string;
  direction: string;
  confidence: string;
  estimated_monthly_savings_usd: number | null;
};

/** Desktops on constant CPU / memory series. */
const CASES: [id: string, cpu: number, mem: number, expected: string][] = [
  ["ws-cpu30000", 30, 10, "right_sized"], // peak CPU exactly 30: not below
  ["ws-cpu29900", 29.9, 10, "downsize/medium"],
  ["ws-mem40000", 10, 40, "right_sized"], // peak memory exactly 40: not below
  ["ws-mem39900", 20, 39.9, "downsize/medium"],
  ["ws-cpu15000", 15, 10, "downsize/medium"], // peak CPU exactly 15: not high confidence
  ["ws-cpu14900", 14.9, 10, "downsize/high"],
  ["ws-p95c8500", 85, 50, "right_sized"], // p95 CPU exactly 85: not above
  ["ws-p95c8510", 85.1, 50, "upsize/medium"],
  ["ws-p95m8500", 50, 85, "right_sized"], // p95 memory exactly 85: not above
  ["ws-p95m8510", 50, 85.1, "upsize/medium"],
  ["ws-p95c9500", 95, 50, "upsize/medium"], // p95 exactly 95: not high confidence
  ["ws-p95c9510", 95.1, 50, "upsize/high"],
  ["ws-p95m9510", 50, 95.1, "upsize/high"],
];

Deno.test("rightsizing: every threshold at its exact boundary stays on the safe side", async () => {
  const s = scenario();
  for (const [id, cpu, mem] of CASES) {
    s.workspace(id, { bundle: STANDARD_WIN, runningMode: "ALWAYS_ON" })
      .metric("AWS/WorkSpaces", "CPUUsage", { WorkspaceId: id }, cpu)
      .metric("AWS/WorkSpaces", "MemoryUsage", { WorkspaceId: id }, mem);
  }
  const h = await connect(s.build());
  try {
    const { body } = await h.call("recommend_bundle_rightsizing", { lookback_days: 7 });
    assert.deepEqual(body.errors, []);
    const by = new Map((body.recommendations as Size[]).map((r) => [r.target_id, r]));
    for (const [id, cpu, mem, expected] of CASES) {
      const r = by.get(id);
      assert.equal(r ? `${r.direction}/${r.confidence}` : "right_sized", expected, `${id}: CPU ${cpu} %, mem ${mem} %`);
    }
    assert.equal((body.counts as Record<string, number>).right_sized, 4);
  } finally {
    await h.close();
  }
});

Deno.test("rightsizing: the total nets upsize costs against downsize savings", async () => {
  const estate = scenario()
    .workspace("ws-ppidle001", { bundle: POWERPRO_WIN11, runningMode: "ALWAYS_ON" })
    .metric("AWS/WorkSpaces", "CPUUsage", { WorkspaceId: "ws-ppidle001" }, 5)
    .metric("AWS/WorkSpaces", "MemoryUsage", { WorkspaceId: "ws-ppidle001" }, 10)
    .workspace("ws-stdhot001", { bundle: STANDARD_WIN, runningMode: "ALWAYS_ON" })
    .metric("AWS/WorkSpaces", "CPUUsage", { WorkspaceId: "ws-stdhot001" }, 97)
    .metric("AWS/WorkSpaces", "MemoryUsage", { WorkspaceId: "ws-stdhot001" }, 50)
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("recommend_bundle_rightsizing", { lookback_days: 7 });
    assert.deepEqual(body.errors, []);
    const recs = body.recommendations as Size[];
    const down = recs.find((r) => r.direction === "downsize")!;
    const up = recs.find((r) => r.direction === "upsize")!;
    assert.equal(down.estimated_monthly_savings_usd, 24.8);
    assert.ok(up.estimated_monthly_savings_usd! < 0, "an upsize is a negative saving");
    const net = Math.round((down.estimated_monthly_savings_usd! + up.estimated_monthly_savings_usd!) * 100) / 100;
    assert.equal(body.total_estimated_monthly_savings_usd, net);
    assert.ok(net < 24.8);
  } finally {
    await h.close();
  }
});
