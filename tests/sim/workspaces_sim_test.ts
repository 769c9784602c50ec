/**
 * The simulator answers the real AWS SDK v3 WorkSpaces client over its wire protocol: shapes,
 * pagination, filters and refusals as the SDK sees them; the scale estate and the tag API.
 */
import assert from "node:assert/strict";
import {
  DescribeTagsCommand,
  DescribeWorkspaceBundlesCommand,
  DescribeWorkspaceDirectoriesCommand,
  DescribeWorkspacesCommand,
  DescribeWorkspacesConnectionStatusCommand,
  DescribeWorkspacesPoolsCommand,
  MigrateWorkspaceCommand,
  paginateDescribeWorkspaces,
  WorkSpacesClient,
} from "@aws-sdk/client-workspaces";
import {
  ListPortalsCommand,
  ListTagsForResourceCommand as ListWebTagsCommand,
  WorkSpacesWebClient,
} from "@aws-sdk/client-workspaces-web";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DEMO, type Estate, scaleEstate, scenario, Simulator } from "../../src/sim/mod.ts";
import { config, CREDENTIALS, demo, failure } from "../support/sim_sdk.ts";

// ---------------------------------------------------------------- WorkSpaces

Deno.test("DescribeWorkspaces pages 60 desktops as 25 + 25 + 10", async () => {
  const sim = new Simulator(scenario().workspaces(60).build());
  const ws = new WorkSpacesClient(config(sim));
  const pages: number[] = [];
  const ids: string[] = [];
  for await (const page of paginateDescribeWorkspaces({ client: ws }, {})) {
    pages.push(page.Workspaces?.length ?? 0);
    ids.push(...(page.Workspaces ?? []).map((w) => w.WorkspaceId!));
  }
  assert.deepEqual(pages, [25, 25, 10]);
  assert.equal(new Set(ids).size, 60);
  assert.equal(ids[0], "ws-00000001");
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 3);
});

Deno.test("DescribeWorkspaces honours Limit and NextToken", async () => {
  const sim = new Simulator(scenario().workspaces(12, { prefix: "a" }).build());
  const ws = new WorkSpacesClient(config(sim));
  const first = await ws.send(new DescribeWorkspacesCommand({ Limit: 5 }));
  assert.equal(first.Workspaces?.length, 5);
  assert.ok(first.NextToken);
  const second = await ws.send(
    new DescribeWorkspacesCommand({ Limit: 10, NextToken: first.NextToken }),
  );
  assert.equal(second.Workspaces?.length, 7);
  assert.equal(second.NextToken, undefined);
  assert.equal(second.Workspaces?.[0].WorkspaceId, "ws-a0000006");
});

Deno.test("DescribeWorkspaces rejects what AWS rejects", async () => {
  const sim = demo();
  const ws = new WorkSpacesClient(config(sim));
  const tooMany = await failure(
    ws.send(new DescribeWorkspacesCommand({ Limit: 26 })),
  );
  assert.equal(tooMany.name, "ValidationException");
  assert.match(tooMany.message, /less than or equal to 25/);
  const ids = Array.from({ length: 26 }, (_, i) => `ws-${String(i).padStart(9, "0")}`);
  const idsTooMany = await failure(
    ws.send(new DescribeWorkspacesCommand({ WorkspaceIds: ids })),
  );
  assert.equal(idsTooMany.name, "ValidationException");
  const combined = await failure(
    ws.send(
      new DescribeWorkspacesCommand({
        WorkspaceIds: [DEMO.available],
        DirectoryId: DEMO.directory,
      }),
    ),
  );
  assert.equal(combined.name, "InvalidParameterValuesException");
  const badToken = await failure(
    ws.send(new DescribeWorkspacesCommand({ NextToken: "bm90LWEtdG9rZW4=" })),
  );
  assert.equal(badToken.name, "InvalidParameterValuesException");
});

Deno.test("DescribeWorkspaces filters by ids, directory + user, and bundle", async () => {
  const sim = demo();
  const ws = new WorkSpacesClient(config(sim));
  const byIds = await ws.send(
    new DescribeWorkspacesCommand({
      WorkspaceIds: [DEMO.error, "ws-doesnotexist"],
    }),
  );
  assert.deepEqual(byIds.Workspaces?.map((w) => w.WorkspaceId), [DEMO.error]);
  const w = byIds.Workspaces![0];
  assert.equal(w.State, "ERROR");
  assert.equal(w.ErrorCode, "DomainJoinFailed");
  assert.ok(w.ErrorMessage);
  const byUser = await ws.send(
    new DescribeWorkspacesCommand({
      DirectoryId: DEMO.directory,
      UserName: "jane.doe",
    }),
  );
  assert.deepEqual(byUser.Workspaces?.map((w) => w.WorkspaceId), [
    DEMO.available,
  ]);
  const byBundle = await ws.send(
    new DescribeWorkspacesCommand({ BundleId: "wsb-gm4d5tx2v" }),
  );
  assert.deepEqual(byBundle.Workspaces?.map((w) => w.WorkspaceId), [
    DEMO.graphicsUnencrypted,
  ]);
  const g = byBundle.Workspaces![0];
  assert.equal(g.RootVolumeEncryptionEnabled, undefined, "AWS omits the flag for an unencrypted volume");
  assert.equal(g.UserVolumeEncryptionEnabled, undefined);
  assert.equal(g.WorkspaceProperties?.ComputeTypeName, "GRAPHICSPRO_G4DN");
  assert.equal(g.WorkspaceProperties?.RunningMode, "ALWAYS_ON");
});

Deno.test("the demo covers every desktop state in us-east-1 and has desktops in eu-west-1", async () => {
  const sim = demo();
  const states = new Set<string>();
  for await (
    const page of paginateDescribeWorkspaces({
      client: new WorkSpacesClient(config(sim)),
    }, {})
  ) {
    for (const w of page.Workspaces ?? []) states.add(w.State!);
  }
  for (
    const s of [
      "AVAILABLE",
      "STOPPED",
      "ERROR",
      "UNHEALTHY",
      "SUSPENDED",
      "PENDING",
      "IMPAIRED",
      "REBOOTING",
      "MAINTENANCE",
    ]
  ) assert.ok(states.has(s), s);
  const eu = await new WorkSpacesClient(config(sim, "eu-west-1")).send(
    new DescribeWorkspacesCommand({}),
  );
  assert.equal(eu.Workspaces?.length, 3);
  assert.deepEqual(sim.estate.regions(), ["us-east-1", "eu-west-1"]);
});

Deno.test("DescribeWorkspaceBundles: own bundles, Amazon's, or by id", async () => {
  const ws = new WorkSpacesClient(config(demo()));
  const own = await ws.send(new DescribeWorkspaceBundlesCommand({}));
  assert.deepEqual(own.Bundles?.map((b) => b.BundleId), [DEMO.customBundle]);
  const amazon = await ws.send(
    new DescribeWorkspaceBundlesCommand({ Owner: "AMAZON" }),
  );
  assert.ok((amazon.Bundles?.length ?? 0) >= 6);
  assert.ok(amazon.Bundles?.every((b) => b.Owner === "AMAZON"));
  const byId = await ws.send(
    new DescribeWorkspaceBundlesCommand({ BundleIds: ["wsb-b0s22j3d7"] }),
  );
  const b = byId.Bundles![0];
  assert.equal(b.ComputeType?.Name, "POWERPRO");
  assert.equal(b.RootStorage?.Capacity, "175");
  assert.ok(b.CreationTime instanceof Date);
});

Deno.test("DescribeWorkspacesPools returns capacity and dates", async () => {
  const ws = new WorkSpacesClient(config(demo()));
  const all = await ws.send(new DescribeWorkspacesPoolsCommand({}));
  assert.equal(all.WorkspacesPools?.length, 2);
  const full = await ws.send(
    new DescribeWorkspacesPoolsCommand({ PoolIds: [DEMO.poolAtCapacity] }),
  );
  const p = full.WorkspacesPools![0];
  assert.deepEqual(p.CapacityStatus, {
    AvailableUserSessions: 0,
    DesiredUserSessions: 10,
    ActualUserSessions: 10,
    ActiveUserSessions: 10,
  });
  assert.ok(p.CreatedAt instanceof Date);
  assert.equal(p.DirectoryId, DEMO.poolsDirectory);
  const paged = await ws.send(new DescribeWorkspacesPoolsCommand({ Limit: 1 }));
  assert.equal(paged.WorkspacesPools?.length, 1);
  assert.ok(paged.NextToken);
  const named = await ws.send(
    new DescribeWorkspacesPoolsCommand({
      Filters: [{ Name: "PoolName", Values: ["Training"], Operator: "EQUALS" }],
    }),
  );
  assert.deepEqual(named.WorkspacesPools?.map((x) => x.PoolId), [
    DEMO.poolHealthy,
  ]);
});

Deno.test("DescribeTags, DescribeWorkspaceDirectories and connection status", async () => {
  const ws = new WorkSpacesClient(config(demo()));
  const tags = await ws.send(
    new DescribeTagsCommand({ ResourceId: DEMO.protected }),
  );
  assert.deepEqual(
    tags.TagList?.find((t) => t.Key === "euc-mcp:protected")?.Value,
    "true",
  );
  const untagged = await ws.send(
    new DescribeTagsCommand({ ResourceId: DEMO.pending }),
  );
  assert.deepEqual(untagged.TagList, []);
  const missing = await failure(
    ws.send(new DescribeTagsCommand({ ResourceId: "ws-nothere00" })),
  );
  assert.equal(missing.name, "ResourceNotFoundException");

  const dirs = await ws.send(new DescribeWorkspaceDirectoriesCommand({}));
  const byId = new Map(dirs.Directories?.map((d) => [d.DirectoryId, d]));
  assert.equal(byId.get(DEMO.directory)?.State, "REGISTERED");
  assert.equal(byId.get(DEMO.deregisteredDirectory)?.State, "DEREGISTERED");
  assert.equal(byId.get(DEMO.poolsDirectory)?.WorkspaceType, "POOLS");
  const one = await ws.send(
    new DescribeWorkspaceDirectoriesCommand({ DirectoryIds: [DEMO.directory] }),
  );
  assert.deepEqual(one.Directories?.[0].ipGroupIds, ["wsipg-a1b2c3d4e"]);

  const status = await ws.send(
    new DescribeWorkspacesConnectionStatusCommand({
      WorkspaceIds: [DEMO.available, DEMO.neverUsed],
    }),
  );
  const [connected, never] = status.WorkspacesConnectionStatus!;
  assert.equal(connected.ConnectionState, "CONNECTED");
  assert.ok(connected.LastKnownUserConnectionTimestamp instanceof Date);
  assert.ok(connected.ConnectionStateCheckTimestamp instanceof Date);
  assert.equal(never.LastKnownUserConnectionTimestamp, undefined);
});

Deno.test("an operation the simulator lacks fails loudly with UnknownOperationException", async () => {
  const sim = demo();
  const ws = new WorkSpacesClient(config(sim));
  const e = await failure(
    ws.send(new MigrateWorkspaceCommand({ SourceWorkspaceId: DEMO.available, BundleId: "wsb-c7n2k9d4x" })),
  );
  assert.equal(e.name, "UnknownOperationException");
  assert.equal((e.$metadata as { httpStatusCode: number }).httpStatusCode, 400);
  assert.equal(sim.calls.at(-1)?.operation, "MigrateWorkspace");
  assert.equal(sim.calls.at(-1)?.status, 400);
});

// ---------------------------------------------------------------- serve, scale

Deno.test("serve() answers a client pointed at the loopback endpoint", async () => {
  const sim = demo();
  const server = await sim.serve();
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    // Clients pointed at the loopback endpoint, as --endpoint-url does.
    const at = (region: string) => ({ region, credentials: CREDENTIALS, endpoint: server.url });
    const ws = new WorkSpacesClient(at("eu-west-1"));
    const out = await ws.send(new DescribeWorkspacesCommand({}));
    assert.equal(out.Workspaces?.length, 3);
    const web = new WorkSpacesWebClient(at("us-east-1"));
    const portals = await web.send(new ListPortalsCommand({}));
    assert.equal(portals.portals?.length, 2);
    const tags = await web.send(
      new ListWebTagsCommand({ resourceArn: portals.portals![0].portalArn }),
    );
    assert.equal(tags.tags?.length, 1);
    const ec2 = new EC2Client(at("us-east-1"));
    const inst = await ec2.send(new DescribeInstancesCommand({}));
    assert.equal(inst.Reservations?.length, 2);
    ws.destroy();
    web.destroy();
    ec2.destroy();
    assert.deepEqual(sim.calls.map((c) => [c.service, c.region]), [
      ["workspaces", "eu-west-1"],
      ["workspaces-web", "us-east-1"],
      ["workspaces-web", "us-east-1"],
      ["ec2", "us-east-1"],
    ]);
  } finally {
    await server.close();
  }
});

Deno.test("scaleEstate builds 10,000 desktops deterministically", () => {
  const shape = { desktops: 10_000, pools: 20, fleets: 10, portals: 5, regions: ["us-east-1", "eu-west-1"], seed: 7 };
  const big = scaleEstate(shape);
  const total = big.regions().reduce(
    (n, r) => n + big.region(r).workspaces.size,
    0,
  );
  assert.equal(total, 10_000);
  const again = scaleEstate({ ...shape, now: new Date() });
  const summary = (e: Estate) =>
    [...e.region("us-east-1").workspaces.values()].slice(0, 50).map((w) =>
      `${w.WorkspaceId}:${w.State}:${w.BundleId}:${w.WorkspaceProperties?.RunningMode}`
    ).join(",");
  assert.equal(summary(big), summary(again));
  assert.equal(big.region("eu-west-1").pools.size, 10);
});

Deno.test("scale estate pages through the SDK paginator", async () => {
  const sim = new Simulator(scaleEstate({ desktops: 1_000, seed: 3 }));
  let n = 0;
  for await (
    const page of paginateDescribeWorkspaces({
      client: new WorkSpacesClient(config(sim)),
    }, {})
  ) n += page.Workspaces?.length ?? 0;
  assert.equal(n, 1_000);
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 40);
});

Deno.test("GetResources by ResourceARNList: the tagged ones among 1–100 ARNs, refused beside pagination or filters", async () => {
  const { GetResourcesCommand, ResourceGroupsTaggingAPIClient } = await import(
    "@aws-sdk/client-resource-groups-tagging-api"
  );
  const sim = new Simulator(
    scenario()
      .workspace("ws-tagged0001", { tags: { Team: "a" } })
      .workspace("ws-untagged01", {})
      .build(),
  );
  const tag = new ResourceGroupsTaggingAPIClient({ ...config(sim), maxAttempts: 1 });
  const swept = await tag.send(new GetResourcesCommand({ ResourceTypeFilters: ["workspaces:workspace"] }));
  const arn = swept.ResourceTagMappingList![0].ResourceARN!;
  const prefix = arn.slice(0, arn.lastIndexOf("/") + 1);
  const r = await tag.send(
    new GetResourcesCommand({ ResourceARNList: [arn, `${prefix}ws-untagged01`, `${prefix}ws-nosuch0001`] }),
  );
  assert.deepEqual(r.ResourceTagMappingList, [{ ResourceARN: arn, Tags: [{ Key: "Team", Value: "a" }] }]);
  for (
    const bad of [
      { ResourceARNList: [arn], ResourcesPerPage: 10 },
      { ResourceARNList: [arn], PaginationToken: "x" },
      { ResourceARNList: [arn], ResourceTypeFilters: ["workspaces:workspace"] },
      { ResourceARNList: Array.from({ length: 101 }, (_, i) => `${prefix}ws-${i}`) },
    ]
  ) {
    await assert.rejects(tag.send(new GetResourcesCommand(bad)), { name: "InvalidParameterException" });
  }
});
