/** The health report's hot quotas at their exact boundary: a quota at exactly 50 % is listed, 49.9 % is not. */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";

type Quota = { quota_name: string; service_code: string; utilization_pct: number | null };

Deno.test("health report: a quota at exactly 50% is hot, one at 49.9% is not", async () => {
  const h = await connect(
    scenario()
      .serviceQuota("workspaces", "WorkSpaces", { value: 10, usage: 5 })
      .serviceQuota("workspaces", "Images", { value: 1000, usage: 499 })
      .serviceQuota("appstream2", "Fleets", { value: 1000, usage: 501 })
      .build(),
  );
  try {
    const { body, result } = await h.call("generate_euc_health_report", {});
    assert.ok(!result.isError);
    const hot = (body.quotas as { at_or_above_50pct: Quota[] }).at_or_above_50pct;
    const pct = (code: string, name: string) =>
      hot.find((q) => q.service_code === code && q.quota_name === name)?.utilization_pct;
    assert.equal(pct("workspaces", "WorkSpaces"), 50, "exactly 50% is hot");
    assert.equal(pct("appstream2", "Fleets"), 50.1, "just above is hot");
    assert.equal(pct("workspaces", "Images"), undefined, "49.9% is not hot");
    // The 49.9% quota was read (it is in the quota section), just not hot.
    const all = await h.call("get_euc_service_quotas", { service: "workspaces" });
    const images = (all.body.quotas as Quota[]).find((q) => q.quota_name === "Images");
    assert.equal(images?.utilization_pct, 49.9);
  } finally {
    await h.close();
  }
});
