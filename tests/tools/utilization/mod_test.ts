/**
 * The utilization toolset as a whole: the demo estate shows every utilization finding.
 */
import assert from "node:assert/strict";
import { connect } from "../../support/harness.ts";

type Usage = {
  workspace_id: string;
  region: string;
  classification: string;
  classification_reason: string;
  active_days: number | null;
  billable_hours: number | null;
  sessions: number | null;
  connected_hours: number | null;
  last_connection: string | null;
};

function byId(body: Record<string, unknown>): Map<string, Usage> {
  return new Map((body.workspaces as Usage[]).map((w) => [w.workspace_id, w]));
}

type Item = { service: string; resource_type: string; id: string; region: string; reason: string };

Deno.test("the demo estate shows every utilization finding", async () => {
  const { demoEstate, DEMO } = await import("../../../src/sim/mod.ts");
  const h = await connect(demoEstate());
  try {
    const usage = byId((await h.call("analyze_workspace_utilization", { limit: 100 })).body);
    // The 2-hour AutoStop desktop: a 90-minute break keeps one session, a 4-hour break splits one.
    assert.equal(usage.get(DEMO.autoStop2h)!.sessions, 3);
    assert.equal(usage.get(DEMO.underusedPowerPro)!.classification, "unused");
    assert.equal(usage.get(DEMO.suspended)!.classification, "no_data");
    const mode = await h.call("recommend_running_mode", {});
    const recs = mode.body.recommendations as { target_id: string; recommended: string }[];
    assert.ok(recs.some((r) => r.target_id === DEMO.alwaysOn && r.recommended === "AUTO_STOP"));
    assert.ok(recs.some((r) => r.target_id === DEMO.protected && r.recommended === "ALWAYS_ON"));
    assert.ok((mode.body.skipped as { target_id: string }[]).some((s) => s.target_id === DEMO.skipConvert));
    const sizes = (await h.call("recommend_bundle_rightsizing", {})).body.recommendations as {
      target_id: string;
      direction: string;
    }[];
    assert.ok(sizes.some((r) => r.target_id === DEMO.underusedPowerPro && r.direction === "downsize"));
    assert.ok(sizes.some((r) => r.target_id === DEMO.value && r.direction === "upsize"));
    const unused = (await h.call("list_unused_resources", {})).body.items as Item[];
    assert.ok(unused.some((i) => i.id === DEMO.fleetStopped));
    assert.ok(unused.some((i) => i.id === DEMO.neverUsed));
    const fleet = await h.call("get_application_fleet_usage", { fleet_name: DEMO.fleetCapacityError });
    assert.equal(fleet.body.active_session_count, 4);
  } finally {
    await h.close();
  }
});
