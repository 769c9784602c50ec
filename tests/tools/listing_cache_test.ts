/**
 * The per-process listing cache as a conversation sees it: three questions list the estate once,
 * a write drops the cache, `refresh: true` lists again, another region, another simulator (another
 * server's handle) or an expired entry is never served, and results say when the listing was reused.
 */
import assert from "node:assert/strict";
import { awsOn, connect, scenario } from "../support/harness.ts";
import { listWorkspaces } from "../../src/aws/listing.ts";
import { scaleEstate, Simulator } from "../../src/sim/mod.ts";
import { LISTING_CACHE } from "../../src/aws/listing_cache.ts";

type Listing = { cached: boolean; age_seconds: number | null };

const listings = (sim: Simulator) => sim.count("workspaces", "DescribeWorkspaceDirectories");
/** DescribeWorkspaces listing pages (a write's plan reads its targets by WorkspaceIds: not a listing). */
const pages = (sim: Simulator) =>
  sim.calls.filter((c) =>
    c.operation === "DescribeWorkspaces" && !("WorkspaceIds" in ((c.params ?? {}) as Record<string, unknown>))
  ).length;

function estate() {
  return scenario()
    .directory("d-1111111111")
    .directory("d-2222222222")
    .workspaces(40, { prefix: "a", directory: "d-1111111111" })
    .workspaces(30, { prefix: "b", directory: "d-2222222222" })
    .build();
}

Deno.test("three questions in a conversation list the desktops once; the later answers say the listing was reused", async () => {
  const h = await connect(estate());
  try {
    const first = await h.call("get_euc_inventory_summary", {});
    assert.deepEqual(first.body.listing, { cached: false, age_seconds: null });
    const listed = pages(h.sim);
    assert.equal(listed, 2 + 2, "40 + 30 desktops in two directories: 2 + 2 pages");
    const second = await h.call("analyze_workspace_utilization", {});
    const third = await h.call("audit_security_posture", {});
    assert.equal(pages(h.sim), listed, "no DescribeWorkspaces after the first question");
    assert.equal(listings(h.sim), 1, "nor DescribeWorkspaceDirectories");
    for (const { body } of [second, third]) {
      const l = body.listing as Listing;
      assert.equal(l.cached, true);
      assert.ok(l.age_seconds !== null && l.age_seconds >= 0 && l.age_seconds < 60, JSON.stringify(l));
      assert.ok((body.notes as string[]).some((n) => /earlier call.*refresh: true/.test(n)), "the note says so");
    }
    assert.equal(second.body.total, 70, "the reused listing is the whole estate");
    assert.equal((third.body.resources_checked as { workspaces: number }).workspaces, 70);
  } finally {
    await h.close();
  }
});

Deno.test("refresh: true lists again (and the fresh listing is what the next call reuses)", async () => {
  const h = await connect(estate());
  try {
    await h.call("get_euc_inventory_summary", {});
    const before = pages(h.sim);
    // A change AWS made on its own (not through this server): only a refresh sees it within the TTL.
    h.sim.estate.region("us-east-1").workspaces.get("ws-a0000001")!.State = "STOPPED";
    const stale = await h.call("get_euc_inventory_summary", {});
    assert.equal(pages(h.sim), before);
    const fresh = await h.call("get_euc_inventory_summary", { refresh: true });
    assert.equal(pages(h.sim), before * 2, "listed again");
    assert.deepEqual(fresh.body.listing, { cached: false, age_seconds: null });
    const state = (b: Record<string, unknown>) =>
      ((b.services as { resource_type: string; by_state: Record<string, number> }[])
        .find((s) => s.resource_type === "WorkSpace")!).by_state.STOPPED ?? 0;
    assert.equal(state(fresh.body), state(stale.body) + 1);
    const next = await h.call("analyze_workspace_utilization", {});
    assert.equal((next.body.listing as Listing).cached, true);
    assert.equal(pages(h.sim), before * 2);
  } finally {
    await h.close();
  }
});

Deno.test("a write execution drops the cache: the next question lists again and sees the change", async () => {
  const h = await connect(estate(), ["--region", "us-east-1", "--enable-writes"]);
  try {
    const first = await h.call("get_euc_inventory_summary", {});
    const before = pages(h.sim);
    // A dry run changes nothing and keeps the cache.
    await h.call("stop_workspaces", { workspace_ids: ["ws-a0000002"] });
    assert.equal(((await h.call("get_euc_inventory_summary", {})).body.listing as Listing).cached, true);
    assert.equal(pages(h.sim), before, "a dry run keeps the cache");
    const stop = await h.call("stop_workspaces", { workspace_ids: ["ws-a0000002"], confirm: true });
    assert.ok(!stop.result.isError, JSON.stringify(stop.body).slice(0, 300));
    const after = await h.call("get_euc_inventory_summary", {});
    assert.equal(pages(h.sim), before * 2, "listed again after the write");
    assert.deepEqual(after.body.listing, { cached: false, age_seconds: null });
    const available = (b: Record<string, unknown>) =>
      ((b.services as { resource_type: string; by_state: Record<string, number> }[])
        .find((s) => s.resource_type === "WorkSpace")!).by_state.AVAILABLE ?? 0;
    assert.equal(available(after.body), available(first.body) - 1, "the stopped desktop is no longer AVAILABLE");
  } finally {
    await h.close();
  }
});

Deno.test("the cache never serves another region, and a failed listing is not cached", async () => {
  const s = scenario();
  s.workspaces(30, { prefix: "e" });
  s.inRegion("eu-west-1").workspaces(12, { prefix: "w" });
  const sim = new Simulator(s.build());
  sim.inject({ kind: "access-denied", service: "workspaces", operation: "DescribeWorkspaces", region: "eu-west-1" });
  const h = await connect(sim);
  try {
    const east = await h.call("get_euc_inventory_summary", { region: "us-east-1" });
    assert.equal(east.body.total_resources, 30);
    const west = await h.call("get_euc_inventory_summary", { region: "eu-west-1" });
    assert.deepEqual(west.body.listing, { cached: false, age_seconds: null }, "another region is listed");
    assert.ok((west.body.errors as unknown[]).length > 0, "eu-west-1's listing failed");
    sim.clearFaults();
    const again = await h.call("get_euc_inventory_summary", { region: "eu-west-1" });
    assert.deepEqual(again.body.listing, { cached: false, age_seconds: null }, "the failure was not cached");
    assert.equal(again.body.total_resources, 12);
    const both = await h.call("get_euc_inventory_summary", { regions: ["us-east-1", "eu-west-1"] });
    assert.equal((both.body.listing as Listing).cached, true);
    assert.equal(both.body.total_resources, 42);
    assert.ok((both.body.notes as string[]).some((n) => n.includes("eu-west-1, us-east-1")));
  } finally {
    await h.close();
  }
});

Deno.test("cached listings are never shared between servers (simulator instances) with the same credentials", async () => {
  const a = await connect(scaleEstate({ desktops: 60, seed: 1 }));
  const b = await connect(scaleEstate({ desktops: 35, seed: 2 }));
  try {
    assert.equal((await a.call("get_euc_inventory_summary", {})).body.total_resources, 60);
    const other = await b.call("get_euc_inventory_summary", {});
    assert.equal(other.body.total_resources, 35);
    assert.deepEqual(other.body.listing, { cached: false, age_seconds: null });
    assert.equal(((await a.call("get_euc_inventory_summary", {})).body.listing as Listing).cached, true);
    assert.equal(pages(a.sim), 3, "server a listed once (60 desktops: 3 pages) and reused it");
  } finally {
    await a.close();
    await b.close();
  }
});

Deno.test("an expired listing is not reused", async () => {
  const h = await connect(estate());
  const ttl = LISTING_CACHE.ttlMs;
  LISTING_CACHE.ttlMs = 30;
  try {
    await h.call("get_euc_inventory_summary", {});
    await new Promise((r) => setTimeout(r, 40));
    const later = await h.call("get_euc_inventory_summary", {});
    assert.deepEqual(later.body.listing, { cached: false, age_seconds: null });
    assert.equal(listings(h.sim), 2);
  } finally {
    LISTING_CACHE.ttlMs = ttl;
    await h.close();
  }
});

Deno.test("the health report's collectors share one fresh listing with refresh: true", async () => {
  const h = await connect(estate());
  try {
    await h.call("get_euc_inventory_summary", {});
    const before = pages(h.sim);
    const report = await h.call("generate_euc_health_report", { refresh: true });
    assert.ok(!report.result.isError);
    assert.deepEqual(report.body.listing, { cached: false, age_seconds: null });
    assert.equal(pages(h.sim), before * 2, "one listing for inventory, running mode and security together");
    assert.equal(listings(h.sim), 2);
    const cached = await h.call("generate_euc_health_report", {});
    assert.equal((cached.body.listing as Listing).cached, true);
    assert.equal(pages(h.sim), before * 2);
  } finally {
    await h.close();
  }
});

// Regression: a harness call's context outlived the call, and an engine-level read in the next test
// joined that call's memo — it saw the other simulator's desktops instead of its own. Two tests on
// purpose (the context crossed from one test into the next).
Deno.test("a call's listings end with it (1/2): a tool call lists an estate of 2 desktops", async () => {
  const h = await connect(scenario().workspaces(2, { prefix: "a" }).build());
  try {
    const r = await h.call("analyze_workspace_utilization", {});
    assert.equal(r.body.total_count, 2);
  } finally {
    await h.close();
  }
});

Deno.test("a call's listings end with it (2/2): a read outside any tool call afterwards lists its own estate", async () => {
  const { aws, sim } = awsOn(scenario().workspaces(3, { prefix: "b" }).build());
  const listing = await listWorkspaces(aws, "us-east-1");
  assert.deepEqual(listing.workspaces.map((w) => w.WorkspaceId!.slice(0, 4)), ["ws-b", "ws-b", "ws-b"]);
  assert.ok(sim.count("workspaces", "DescribeWorkspaces") >= 1, "it listed through its own simulator");
});
