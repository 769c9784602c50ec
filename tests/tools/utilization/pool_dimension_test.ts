/**
 * AWS's pages show the Pools metric dimension both as "WorkSpaces pool ID" and as "Pool": the tools
 * find the one a pool's metrics carry with ListMetrics and read those, whichever it is.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";

type Metric = { peak: number | null };
type Item = { id: string; reason: string };

const ALT = { "sim:metric-dimension": "Pool" };

for (const [label, tags] of [["WorkSpaces pool ID", {}], ["Pool", ALT]] as const) {
  Deno.test(`pool metrics published under "${label}" are found and read`, async () => {
    const estate = scenario()
      .pool("wspool-busy00001", { desired: 10, actual: 10, active: 8, tags })
      .pool("wspool-idle00001", { desired: 4, actual: 4, active: 0, tags })
      .build();
    const h = await connect(estate);
    try {
      const d = (await h.call("diagnose_pool", { pool_id: "wspool-busy00001" })).body;
      assert.deepEqual(d.errors, []);
      assert.equal((d.signals as Record<string, unknown>).peak_utilization_percent, 80);
      assert.ok((d.notes as string[]).some((n) => n.includes(`dimension "${label}"`)));
      const hist = (await h.call("get_pool_session_history", { pool_id: "wspool-busy00001" })).body;
      assert.equal((hist.metrics as Record<string, Metric>).ActiveUserSessionCapacity.peak, 8);
      assert.ok((hist.notes as string[]).some((n) => n.includes(`dimension "${label}"`)));
      const unused = (await h.call("list_unused_resources", {})).body.items as Item[];
      const ids = unused.map((i) => i.id);
      assert.ok(ids.includes("wspool-idle00001"), "an unused pool is found whichever dimension it publishes under");
      assert.ok(!ids.includes("wspool-busy00001"));
      assert.equal(h.sim.count("monitoring", "ListMetrics"), 3, "one listing per call and region");
    } finally {
      await h.close();
    }
  });
}
