import assert from "node:assert/strict";
import { forEachWorkspacePage, listWorkspaces, type Workspace } from "../../src/aws/listing.ts";
import { awsOn, scenario } from "../support/harness.ts";

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
