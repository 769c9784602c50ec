/**
 * The metric catalogue: ListMetrics through the real SDK on the simulator, one listing per region
 * and filter per call, every page followed; the Pools dimension and Secure Browser metrics found.
 */
import assert from "node:assert/strict";
import { MetricCatalog, poolDimensions, portalMetrics } from "../../src/aws/metric_catalog.ts";
import { awsOn, scenario } from "../support/harness.ts";

const P1 = "11111111-2222-4333-8444-555555555555";
const P2 = "22222222-2222-4333-8444-555555555555";

Deno.test("a portal with no published metrics is known to publish nothing; another's names are read as they exist", async () => {
  const estate = scenario()
    .portal(P1)
    .portal(P2)
    .metric("AWS/WorkSpacesWeb", "ActiveSession", { PortalId: P2 }, 3)
    .metric("AWS/WorkSpacesWeb", "DisplayLatency", { PortalId: P2, UserName: "ana" }, 40)
    .build();
  const { aws, sim } = awsOn(estate);
  const catalog = new MetricCatalog(aws);
  const found = await portalMetrics(catalog, "us-east-1", [P1, P2]);
  assert.deepEqual(found.get(P1), { known: true, metrics: [], series: [] });
  assert.deepEqual(found.get(P2)!.metrics, ["ActiveSession", "DisplayLatency"]);
  assert.ok(found.get(P2)!.series.some((s) => s.dimensions.UserName === "ana"));
  await portalMetrics(catalog, "us-east-1", [P1]);
  assert.equal(sim.count("monitoring", "ListMetrics"), 1, "cached for the call");
  assert.deepEqual(catalog.errors, []);
});

Deno.test("ListMetrics is followed through NextToken (500 metrics a page)", async () => {
  let b = scenario();
  for (let i = 0; i < 620; i++) b = b.metric("AWS/WorkSpacesWeb", "ActiveSession", { PortalId: `p-${i}` }, 1);
  const { aws, sim } = awsOn(b.build());
  const catalog = new MetricCatalog(aws);
  const listed = await catalog.list("us-east-1", { namespace: "AWS/WorkSpacesWeb" });
  assert.equal(listed!.length, 620);
  assert.equal(sim.count("monitoring", "ListMetrics"), 2);
  assert.equal(catalog.requests, 2);
});

Deno.test("a pool's dimension is read from ListMetrics: 'WorkSpaces pool ID' or 'Pool'", async () => {
  const estate = scenario()
    .pool("wspool-docname1", { desired: 4, actual: 4, active: 1 })
    .pool("wspool-altname1", { desired: 4, actual: 4, active: 1, tags: { "sim:metric-dimension": "Pool" } })
    .pool("wspool-stopped1", { state: "STOPPED" })
    .build();
  const { aws, sim } = awsOn(estate);
  const catalog = new MetricCatalog(aws);
  const dims = await poolDimensions(catalog, "us-east-1", ["wspool-docname1", "wspool-altname1", "wspool-stopped1"]);
  assert.equal(dims.get("wspool-docname1"), "WorkSpaces pool ID");
  assert.equal(dims.get("wspool-altname1"), "Pool");
  assert.equal(dims.get("wspool-stopped1"), "WorkSpaces pool ID", "nothing listed: the documented name");
  assert.equal(sim.count("monitoring", "ListMetrics"), 1, "one listing per region");
});

Deno.test("ListMetrics denied: the catalogue says unknown (null) and records the error, never 'nothing published'", async () => {
  const { aws, sim } = awsOn(scenario().portal(P1).build());
  sim.inject({ kind: "access-denied", service: "monitoring", operation: "ListMetrics" });
  const catalog = new MetricCatalog(aws);
  const found = await portalMetrics(catalog, "us-east-1", [P1]);
  assert.equal(found.get(P1)!.known, false);
  assert.equal(catalog.errors.length, 1);
});
