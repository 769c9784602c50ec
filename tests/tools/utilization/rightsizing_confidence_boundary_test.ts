/**
 * recommend_bundle_rightsizing's high confidence needs SOLID_HOURLY_DATAPOINTS (72, inclusive) hourly datapoints,
 * for downsizes and upsizes alike: 72 is enough, 71 is not.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";

const HOUR = 3_600_000;
const STANDARD_WIN = "wsb-8vbljg4r6";
const POWERPRO_WIN11 = "wsb-b0s22j3d7";

type Size = { target_id: string; direction: string; confidence: string; datapoints: number };

Deno.test("rightsizing: 72 hourly datapoints give high confidence, 71 only medium (downsize and upsize)", async () => {
  const hourStart = Math.floor(Date.now() / HOUR) * HOUR;
  const lastHours = (n: number, v: number) => (t: number) =>
    t >= hourStart - (n - 1) * HOUR && t < hourStart + HOUR ? v : undefined;
  const s = scenario();
  const desktops: [string, string, number, number, number][] = [
    // [id, bundle, hours, cpu %, memory %]
    ["ws-down72001", POWERPRO_WIN11, 72, 10, 10],
    ["ws-down71001", POWERPRO_WIN11, 71, 10, 10],
    ["ws-up7200001", STANDARD_WIN, 72, 99, 50],
    ["ws-up7100001", STANDARD_WIN, 71, 99, 50],
  ];
  for (const [id, bundle, hours, cpu, mem] of desktops) {
    s.workspace(id, { bundle, runningMode: "ALWAYS_ON" })
      .metric("AWS/WorkSpaces", "CPUUsage", { WorkspaceId: id }, lastHours(hours, cpu))
      .metric("AWS/WorkSpaces", "MemoryUsage", { WorkspaceId: id }, lastHours(hours, mem));
  }
  const h = await connect(s.build());
  try {
    const { body } = await h.call("recommend_bundle_rightsizing", { lookback_days: 14 });
    const r = new Map((body.recommendations as Size[]).map((x) => [x.target_id, x]));
    const got = (id: string) => {
      const x = r.get(id);
      return x && `${x.datapoints} ${x.direction}/${x.confidence}`;
    };
    assert.equal(got("ws-down72001"), "72 downsize/high");
    assert.equal(got("ws-down71001"), "71 downsize/medium");
    assert.equal(got("ws-up7200001"), "72 upsize/high");
    assert.equal(got("ws-up7100001"), "71 upsize/medium");
  } finally {
    await h.close();
  }
});
