import assert from "node:assert/strict";
import { forEachWorkspacePage, listWorkspaces, type Workspace } from "../../src/aws/listing.ts";
import { awsOn, scenario } from "../support/harness.ts";
import { scaleEstate } from "../../src/sim/mod.ts";
import { collect } from "../../src/aws/paginate.ts";
import type { Aws } from "../../src/aws/clients.ts";
import { withActions } from "../../src/aws/scope.ts";

function estate() {
  return scenario()
    .directory("d-1111111111")
    .directory("d-2222222222")
    .workspaces(30, { prefix: "a", directory: "d-1111111111" })
    .workspaces(20, { prefix: "b", directory: "d-2222222222" })
    .pool("wspool-abcdefghi", {})
    .build();
}

Deno.test("listWorkspaces: one chain per Personal directory, grouped in directory order; a Pools directory costs no call", async () => {
  const { sim, aws } = awsOn(estate());
  const listing = await listWorkspaces(aws, "us-east-1");
  assert.equal(listing.strategy, "by-directory");
  assert.equal(listing.workspaces.length, 50);
  assert.equal(new Set(listing.workspaces.map((w) => w.WorkspaceId)).size, 50, "each desktop once");
  const dirs = listing.workspaces.map((w) => w.DirectoryId);
  assert.deepEqual(dirs, [...Array(30).fill("d-1111111111"), ...Array(20).fill("d-2222222222")]);
  assert.ok(listing.directories?.some((d) => d.WorkspaceType === "POOLS"), "the Pools directory is still reported");
  // 30 desktops → 2 pages, 20 → 1 page; the pool's directory is skipped.
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 3);
});

Deno.test("forEachWorkspacePage streams the same desktops as listWorkspaces, each once, with the same calls", async () => {
  const { sim, aws } = awsOn(estate());
  const streamed: Workspace[] = [];
  const r = await forEachWorkspacePage(aws, "us-east-1", undefined, (page) => streamed.push(...page));
  assert.equal(r.count, 50);
  assert.equal(r.strategy, "by-directory");
  const listed = await listWorkspaces(aws, "us-east-1");
  assert.deepEqual(streamed.map((w) => w.WorkspaceId).sort(), listed.workspaces.map((w) => w.WorkspaceId).sort());
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 6, "3 calls per listing");
});

Deno.test("one Personal directory beside a Pools directory is one chain without a directory filter", async () => {
  const { sim, aws } = awsOn(
    scenario().directory("d-1111111111").workspaces(30, { directory: "d-1111111111" }).pool("wspool-abcdefghi", {})
      .build(),
  );
  const listing = await listWorkspaces(aws, "us-east-1");
  assert.equal(listing.strategy, "single");
  assert.equal(listing.workspaces.length, 30);
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 2);
});

/** One directory of `n` desktops spread over the catalogue's bundles (the scale builder's shape). */
function oneDirectory(n: number) {
  return scaleEstate({ desktops: n, directoriesPerRegion: 1, pools: 1, seed: 3 });
}

/** The reference: one DescribeWorkspaces chain without a filter, as AWS pages it. */
async function singleChain(aws: Aws): Promise<Workspace[]> {
  return (await collect(aws, "workspaces", "DescribeWorkspaces", {}, "Workspaces", { region: "us-east-1" })).items;
}

const byId = (list: readonly Workspace[]) => [...list].sort((a, b) => a.WorkspaceId!.localeCompare(b.WorkspaceId!));

Deno.test("a large single directory is split into one BundleId chain per bundle: every desktop exactly once, as the single chain lists them", async () => {
  const { sim, aws } = awsOn(oneDirectory(1_000));
  const listing = await listWorkspaces(aws, "us-east-1");
  assert.equal(listing.strategy, "by-bundle");
  const ids = listing.workspaces.map((w) => w.WorkspaceId);
  assert.equal(new Set(ids).size, ids.length, "no duplicates");
  const calls = sim.count("workspaces", "DescribeWorkspaces");
  const reference = await singleChain(aws);
  assert.equal(listing.workspaces.length, reference.length);
  assert.deepEqual(byId(listing.workspaces), byId(reference), "the same desktops, field for field");
  // Every bundle chain used only the BundleId filter (the API allows no combination).
  const bundleCalls = sim.calls.filter((c) =>
    c.operation === "DescribeWorkspaces" && "BundleId" in ((c.params ?? {}) as object)
  );
  assert.ok(bundleCalls.length > 0);
  assert.ok(
    bundleCalls.every((c) => Object.keys(c.params as object).every((k) => k === "BundleId" || k === "NextToken")),
  );
  // 1,000 desktops are 40 pages; the split costs the pages read before it (8), one call per
  // bundle for its last page, and the bundle listings.
  const bundles = sim.count("workspaces", "DescribeWorkspaceBundles");
  assert.ok(calls <= 40 + 8 + 8, /* bundles in the catalogue */ `${calls} DescribeWorkspaces calls`);
  assert.equal(bundles, 2, "own and AMAZON bundles, one page each");
});

Deno.test("forEachWorkspacePage on a split directory delivers each desktop once", async () => {
  const { aws } = awsOn(oneDirectory(600));
  const streamed: Workspace[] = [];
  const r = await forEachWorkspacePage(aws, "us-east-1", undefined, (page) => streamed.push(...page));
  assert.equal(r.strategy, "by-bundle");
  assert.equal(r.count, 600);
  assert.deepEqual(byId(streamed), byId(await singleChain(aws)));
});

Deno.test("a desktop seen on a bundle no bundle listing returns keeps the directory chain as the authority", async () => {
  const estate = oneDirectory(400);
  const region = estate.region("us-east-1");
  // Retire the first desktop's bundle: DescribeWorkspaceBundles no longer lists it.
  const first = [...region.workspaces.values()][0];
  region.bundles.delete(first.BundleId!);
  const { aws } = awsOn(estate);
  const listing = await listWorkspaces(aws, "us-east-1");
  assert.equal(listing.strategy, "single");
  assert.deepEqual(byId(listing.workspaces), byId(await singleChain(aws)));
});

Deno.test("a tool that does not declare DescribeWorkspaceBundles keeps the directory chains", async () => {
  const { sim, aws } = awsOn(oneDirectory(400));
  const listing = await withActions(
    "t",
    ["workspaces:DescribeWorkspaceDirectories", "workspaces:DescribeWorkspaces"],
    () => listWorkspaces(aws, "us-east-1"),
  );
  assert.equal(listing.strategy, "single");
  assert.equal(listing.workspaces.length, 400);
  assert.equal(sim.count("workspaces", "DescribeWorkspaceBundles"), 0);
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 16);
});
