/**
 * recommend_running_mode at its exact boundary: a desktop whose projected monthly billable hours equal the
 * bundle's break-even is already in an optimal mode, AlwaysOn or AutoStop (the rule is strict both ways).
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const STANDARD_WIN = "wsb-8vbljg4r6"; // Standard, Windows Server 2022, 80/50: break-even 84.2 h a month

Deno.test("running mode: exactly at the break-even, AlwaysOn and AutoStop are both already optimal", async () => {
  // Three sessions of 11 h bill 3 × (11 h + 60 min timeout) = 36 h in 13 days, projecting to
  // 36 × 730 / 312 = 84.23 → 84.2 h a month: the break-even itself.
  const usage = { hoursPerDay: 11, days: [1, 2, 3], startHour: 2 };
  const estate = scenario()
    .workspace("ws-aoexact01", { bundle: STANDARD_WIN, runningMode: "ALWAYS_ON", usage, lastConnected: ago(1) })
    .workspace("ws-asexact01", { bundle: STANDARD_WIN, runningMode: "AUTO_STOP", usage, lastConnected: ago(1) })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("recommend_running_mode", { lookback_days: 13 });
    assert.deepEqual(body.errors, []);
    assert.deepEqual(body.recommendations, []);
    assert.deepEqual(body.counts, {
      to_auto_stop: 0,
      to_always_on: 0,
      already_optimal: 2,
      skipped: 0,
      opted_out: 0,
      not_applicable: 0,
    });
    // The premise: one hour either way is a recommendation, so the desktops really sit on the break-even.
    const { body: use } = await h.call("analyze_workspace_utilization", { lookback_days: 13 });
    const hours = (use.workspaces as { workspace_id: string; billable_hours: number }[])
      .map((w) => [w.workspace_id, w.billable_hours]);
    assert.deepEqual(hours.sort(), [["ws-aoexact01", 36], ["ws-asexact01", 36]]);
  } finally {
    await h.close();
  }
});
