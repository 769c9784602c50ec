/**
 * The simulator answers the real AWS SDK v3 clients over their real wire protocols: shapes,
 * pagination, errors and retries as the SDK sees them.
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
  AppStreamClient,
  DescribeFleetsCommand,
  DescribeStacksCommand,
  ListAssociatedFleetsCommand,
  ListTagsForResourceCommand as ListAppStreamTagsCommand,
} from "@aws-sdk/client-appstream";
import {
  ListPortalsCommand,
  ListTagsForResourceCommand as ListWebTagsCommand,
  WorkSpacesWebClient,
} from "@aws-sdk/client-workspaces-web";
import { ListWorkspaceInstancesCommand, WorkspacesInstancesClient } from "@aws-sdk/client-workspaces-instances";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { DEMO, demoEstate, type Estate, scaleEstate, scenario, Simulator } from "../../src/sim/mod.ts";

const CREDENTIALS = { accessKeyId: "AKIDSIM", secretAccessKey: "sim" };

/** Client options that send every request to the simulator. */
function config(sim: Simulator, region = "us-east-1") {
  return { region, credentials: CREDENTIALS, requestHandler: sim.handler };
}

function demo(): Simulator {
  return new Simulator(demoEstate());
}

/** The error a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error("expected the call to fail");
}

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

// ---------------------------------------------------------------- WorkSpaces Applications

Deno.test("AppStream fleets, stacks, associations and tags", async () => {
  const as = new AppStreamClient(config(demo()));
  const fleets = await as.send(new DescribeFleetsCommand({}));
  assert.equal(fleets.Fleets?.length, 3);
  const broken = await as.send(
    new DescribeFleetsCommand({ Names: [DEMO.fleetCapacityError] }),
  );
  const f = broken.Fleets![0];
  assert.equal(f.FleetErrors?.[0].ErrorCode, "FLEET_INSTANCE_PROVISIONING_FAILURE");
  assert.match(f.FleetErrors?.[0].ErrorMessage ?? "", /InsufficientCapacity/);
  assert.equal(f.ComputeCapacityStatus?.Desired, 10);
  assert.equal(f.ComputeCapacityStatus?.Running, 4);
  assert.ok(f.CreatedTime instanceof Date);
  const missing = await failure(
    as.send(new DescribeFleetsCommand({ Names: ["no-such-fleet"] })),
  );
  assert.equal(missing.name, "ResourceNotFoundException");

  const stacks = await as.send(
    new DescribeStacksCommand({ Names: [DEMO.stackOpen] }),
  );
  const settings = stacks.Stacks![0].UserSettings!;
  assert.equal(
    settings.find((s) => s.Action === "FILE_DOWNLOAD")?.Permission,
    "ENABLED",
  );
  const assoc = await as.send(
    new ListAssociatedFleetsCommand({ StackName: DEMO.stackOpen }),
  );
  assert.deepEqual(assoc.Names, [DEMO.fleetCapacityError]);
  const tags = await as.send(
    new ListAppStreamTagsCommand({ ResourceArn: f.Arn }),
  );
  assert.equal(tags.Tags?.CostCenter, "CC-1001");
});

// ---------------------------------------------------------------- Secure Browser (restJson1)

Deno.test("WorkSpaces Secure Browser ListPortals pages with maxResults and lists tags", async () => {
  const sim = demo();
  const web = new WorkSpacesWebClient(config(sim));
  const first = await web.send(new ListPortalsCommand({ maxResults: 1 }));
  assert.equal(first.portals?.length, 1);
  assert.ok(first.nextToken);
  const second = await web.send(
    new ListPortalsCommand({ maxResults: 1, nextToken: first.nextToken }),
  );
  assert.equal(second.nextToken, undefined);
  const open = second.portals![0];
  assert.equal(
    open.portalArn,
    `arn:aws:workspaces-web:us-east-1:123456789012:portal/${DEMO.portalOpen}`,
  );
  assert.equal(open.ipAccessSettingsArn, undefined);
  assert.equal(open.userAccessLoggingSettingsArn, undefined);
  assert.ok(open.creationDate instanceof Date);
  assert.ok(first.portals![0].ipAccessSettingsArn);
  const tags = await web.send(
    new ListWebTagsCommand({ resourceArn: first.portals![0].portalArn }),
  );
  assert.deepEqual(tags.tags, [{ Key: "CostCenter", Value: "CC-PARTNER" }]);
  const missing = await failure(
    web.send(
      new ListWebTagsCommand({
        resourceArn: "arn:aws:workspaces-web:us-east-1:123456789012:portal/00000000-0000-4000-8000-000000000000",
      }),
    ),
  );
  assert.equal(missing.name, "ResourceNotFoundException");
  assert.equal(
    (missing.$metadata as { httpStatusCode: number }).httpStatusCode,
    404,
  );
  assert.deepEqual(sim.calls.map((c) => c.operation), [
    "ListPortals",
    "ListPortals",
    "ListTagsForResource",
    "ListTagsForResource",
  ]);
});

// ---------------------------------------------------------------- Core managed instances + EC2

Deno.test("ListWorkspaceInstances pages and names the EC2 instance", async () => {
  const wi = new WorkspacesInstancesClient(config(demo()));
  const first = await wi.send(
    new ListWorkspaceInstancesCommand({ MaxResults: 1 }),
  );
  assert.deepEqual(first.WorkspaceInstances, [{
    WorkspaceInstanceId: DEMO.managedRunning,
    ProvisionState: "ALLOCATED",
    EC2ManagedInstance: { InstanceId: DEMO.ec2Running },
  }]);
  const second = await wi.send(
    new ListWorkspaceInstancesCommand({ NextToken: first.NextToken }),
  );
  assert.equal(second.WorkspaceInstances?.[0].WorkspaceInstanceId, DEMO.managedStopped);
  const tooMany = await failure(
    wi.send(new ListWorkspaceInstancesCommand({ MaxResults: 26 })),
  );
  assert.equal(tooMany.name, "ValidationException");
});

Deno.test("EC2 DescribeInstances XML decodes into the SDK's shape", async () => {
  const ec2 = new EC2Client(config(demo()));
  const out = await ec2.send(
    new DescribeInstancesCommand({ InstanceIds: [DEMO.ec2Running, DEMO.ec2Stopped] }),
  );
  const instances = out.Reservations!.flatMap((r) => r.Instances ?? []);
  assert.equal(instances.length, 2);
  const [running, stopped] = instances;
  assert.equal(running.InstanceId, DEMO.ec2Running);
  assert.deepEqual(running.State, { Code: 16, Name: "running" });
  assert.equal(running.InstanceType, "m5.xlarge");
  assert.ok(running.LaunchTime instanceof Date);
  assert.match(running.PrivateIpAddress ?? "", /^10\./);
  assert.equal(running.PlatformDetails, "Windows");
  assert.ok(running.Tags?.some((t) => t.Key === "CostCenter"));
  assert.deepEqual(stopped.State, { Code: 80, Name: "stopped" });
  assert.equal(out.Reservations![0].OwnerId, "123456789012");
});

Deno.test("EC2 DescribeInstances pages with MaxResults and reports EC2 errors", async () => {
  let s = scenario();
  for (let i = 0; i < 7; i++) {
    s = s.managedInstance(`wsinst-page0000${i}`, {
      ec2InstanceId: `i-0${String(i).padStart(16, "0")}`,
    });
  }
  const ec2 = new EC2Client(config(new Simulator(s.build())));
  const first = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5 }));
  assert.equal(first.Reservations?.length, 5);
  assert.ok(first.NextToken);
  const second = await ec2.send(
    new DescribeInstancesCommand({ MaxResults: 5, NextToken: first.NextToken }),
  );
  assert.equal(second.Reservations?.length, 2);
  assert.equal(second.NextToken, undefined);
  const notFound = await failure(
    ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"] })),
  );
  assert.equal(notFound.name, "InvalidInstanceID.NotFound");
  assert.match(notFound.message, /i-0123456789abcdef0/);
  const combo = await failure(
    ec2.send(
      new DescribeInstancesCommand({
        InstanceIds: ["i-00000000000000000"],
        MaxResults: 5,
      }),
    ),
  );
  assert.equal(combo.name, "InvalidParameterCombination");
});

// ---------------------------------------------------------------- STS

Deno.test("AssumeRole through fromTemporaryCredentials, then a call signed with the role", async () => {
  const sim = demo();
  const roleArn = "arn:aws:iam::123456789012:role/EucMcpReadOnly";
  const ws = new WorkSpacesClient({
    region: "us-east-1",
    requestHandler: sim.handler,
    credentials: fromTemporaryCredentials({
      masterCredentials: CREDENTIALS,
      params: {
        RoleArn: roleArn,
        RoleSessionName: "euc-mcp",
        ExternalId: "ext-123",
      },
      clientConfig: { requestHandler: sim.handler, region: "us-east-1" },
    }),
  });
  const out = await ws.send(
    new DescribeWorkspacesCommand({ WorkspaceIds: [DEMO.available] }),
  );
  assert.equal(out.Workspaces?.[0].UserName, "jane.doe");
  const [assume, describe] = sim.calls;
  assert.equal(assume.service, "sts");
  assert.equal(assume.operation, "AssumeRole");
  assert.equal(assume.accessKeyId, "AKIDSIM");
  const params = assume.params as Record<string, string>;
  assert.equal(params.RoleArn, roleArn);
  assert.equal(params.RoleSessionName, "euc-mcp");
  assert.equal(params.ExternalId, "ext-123");
  assert.equal(describe.service, "workspaces");
  assert.match(describe.accessKeyId ?? "", /^ASIA[0-9A-Z]{16}$/);
});

Deno.test("an AssumeRole that is denied surfaces as AccessDenied", async () => {
  const sim = demo();
  sim.inject({ kind: "access-denied", service: "sts" });
  const ws = new WorkSpacesClient({
    region: "us-east-1",
    requestHandler: sim.handler,
    credentials: fromTemporaryCredentials({
      masterCredentials: CREDENTIALS,
      params: { RoleArn: "arn:aws:iam::123456789012:role/Nope" },
      clientConfig: { requestHandler: sim.handler, region: "us-east-1" },
    }),
  });
  const e = await failure(ws.send(new DescribeWorkspacesCommand({})));
  assert.equal(e.name, "AccessDenied");
  assert.match(e.message, /sts:AssumeRole on resource: arn:aws:iam::123456789012:role\/Nope/);
  assert.equal(sim.count("workspaces"), 0);
});

// ---------------------------------------------------------------- faults

Deno.test("a throttle is retried by the SDK and the second attempt succeeds", async () => {
  const sim = demo();
  sim.inject({ kind: "throttle", service: "workspaces", times: 1 });
  const ws = new WorkSpacesClient(config(sim));
  const out = await ws.send(new DescribeWorkspacesCommand({ Limit: 1 }));
  assert.equal(out.Workspaces?.length, 1);
  assert.equal(out.$metadata.attempts, 2);
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 2);
  assert.deepEqual(sim.calls.map((c) => c.status), [400, 200]);
});

Deno.test("throttles on EC2 (RequestLimitExceeded) and Secure Browser (429) are retried too", async () => {
  const sim = demo();
  sim.inject({ kind: "throttle", service: "ec2", times: 1 });
  sim.inject({ kind: "throttle", service: "workspaces-web", times: 1 });
  const ec2 = await new EC2Client(config(sim)).send(
    new DescribeInstancesCommand({}),
  );
  assert.equal(ec2.$metadata.attempts, 2);
  const web = await new WorkSpacesWebClient(config(sim)).send(
    new ListPortalsCommand({}),
  );
  assert.equal(web.$metadata.attempts, 2);
  assert.deepEqual(sim.calls.map((c) => c.status), [503, 200, 429, 200]);
});

Deno.test("access denied is not retried and names the IAM action", async () => {
  const sim = demo();
  sim.inject({ kind: "access-denied", service: "workspaces" });
  const e = await failure(
    new WorkSpacesClient(config(sim)).send(new DescribeWorkspacesCommand({})),
  );
  assert.equal(e.name, "AccessDeniedException");
  assert.match(
    e.message,
    /^User: arn:aws:sts::123456789012:assumed-role\/.+ is not authorized to perform: workspaces:DescribeWorkspaces/,
  );
  assert.equal(sim.count(), 1);
  const sim2 = demo();
  sim2.inject({ kind: "access-denied" });
  const appstream = await failure(
    new AppStreamClient(config(sim2)).send(new DescribeFleetsCommand({})),
  );
  assert.equal(appstream.name, "AccessDeniedException");
  assert.match(appstream.message, /appstream:DescribeFleets/);
  const ec2 = await failure(
    new EC2Client(config(sim2)).send(new DescribeInstancesCommand({})),
  );
  assert.equal(ec2.name, "UnauthorizedOperation");
  assert.match(ec2.message, /ec2:DescribeInstances/);
  const web = await failure(
    new WorkSpacesWebClient(config(sim2)).send(new ListPortalsCommand({})),
  );
  assert.equal(web.name, "AccessDeniedException");
  assert.match(web.message, /workspaces-web:ListPortals/);
  assert.equal(sim2.count(), 3);
});

Deno.test("an expired token is not retried", async () => {
  const sim = demo();
  sim.inject({ kind: "expired-token" });
  const e = await failure(
    new WorkSpacesClient(config(sim)).send(new DescribeWorkspacesCommand({})),
  );
  assert.equal(e.name, "ExpiredTokenException");
  assert.equal(e.message, "The security token included in the request is expired");
  const ec2 = await failure(
    new EC2Client(config(sim)).send(new DescribeInstancesCommand({})),
  );
  assert.equal(ec2.name, "RequestExpired");
  assert.equal(sim.count(), 2);
});

Deno.test("a 503 is retried as transient", async () => {
  const sim = demo();
  sim.inject({ kind: "server-error", operation: "DescribeFleets", times: 2 });
  const out = await new AppStreamClient(config(sim)).send(
    new DescribeFleetsCommand({}),
  );
  assert.equal(out.Fleets?.length, 3);
  assert.deepEqual(sim.calls.map((c) => c.status), [503, 503, 200]);
});

Deno.test("an unreachable endpoint fails like Node's ECONNREFUSED after the SDK's retries", async () => {
  const sim = demo();
  sim.inject({ kind: "unreachable", region: "eu-west-1" });
  const e = await failure(
    new WorkSpacesClient(config(sim, "eu-west-1")).send(
      new DescribeWorkspacesCommand({}),
    ),
  );
  assert.equal(e.code, "ECONNREFUSED");
  assert.match(e.message, /^connect ECONNREFUSED/);
  assert.equal(sim.count(), 3);
  assert.ok(sim.calls.every((c) => c.status === 0));
  // Other regions are untouched.
  const us = await new WorkSpacesClient(config(sim)).send(
    new DescribeWorkspacesCommand({ Limit: 1 }),
  );
  assert.equal(us.Workspaces?.length, 1);
});

Deno.test("latency delays answers and an abort cuts it short", async () => {
  const sim = new Simulator(demoEstate(), { latencyMs: 20 });
  const ws = new WorkSpacesClient(config(sim));
  const started = performance.now();
  await ws.send(new DescribeWorkspacesCommand({ Limit: 1 }));
  assert.ok(performance.now() - started >= 20);
  sim.inject({ kind: "latency", ms: 10_000 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 30);
  const e = await failure(
    ws.send(new DescribeWorkspacesCommand({}), {
      abortSignal: controller.signal,
    }),
  );
  assert.equal(e.name, "AbortError");
  assert.ok(performance.now() - started < 5_000);
});

Deno.test("faults match by operation and clearFaults removes them", async () => {
  const sim = demo();
  sim.inject({ kind: "access-denied", operation: "DescribeTags" });
  const ws = new WorkSpacesClient(config(sim));
  await ws.send(new DescribeWorkspacesCommand({ Limit: 1 }));
  const e = await failure(
    ws.send(new DescribeTagsCommand({ ResourceId: DEMO.available })),
  );
  assert.equal(e.name, "AccessDeniedException");
  sim.clearFaults();
  const ok = await ws.send(new DescribeTagsCommand({ ResourceId: DEMO.available }));
  assert.ok(ok.TagList?.length);
});

Deno.test("CloudWatch (query-compatible) throttling is classified by the awsQuery code", async () => {
  const sim = demo();
  sim.inject({ kind: "throttle", service: "monitoring" });
  const input = {
    StartTime: new Date(Date.now() - 3_600_000),
    EndTime: new Date(),
    MetricDataQueries: [],
  };
  const once = new CloudWatchClient({ ...config(sim), maxAttempts: 1 });
  const throttled = await failure(once.send(new GetMetricDataCommand(input)));
  assert.equal(throttled.name, "Throttling");
  sim.clearFaults();
  sim.inject({ kind: "throttle", service: "monitoring", times: 1 });
  const e = await failure(new CloudWatchClient(config(sim)).send(new GetMetricDataCommand(input)));
  // The retry after the throttle reaches the operation, which rejects the empty query list the way
  // CloudWatch does (a query-compatible MissingParameter).
  assert.equal(e.name, "MissingRequiredParameterException");
  assert.deepEqual(sim.calls.map((c) => [c.operation, c.status]), [
    ["GetMetricData", 400],
    ["GetMetricData", 400],
    ["GetMetricData", 400],
  ]);
});

Deno.test("a throttled AssumeRole is retried by the STS client", async () => {
  const sim = demo();
  sim.inject({ kind: "throttle", service: "sts", times: 1 });
  const ws = new WorkSpacesClient({
    region: "us-east-1",
    requestHandler: sim.handler,
    credentials: fromTemporaryCredentials({
      masterCredentials: CREDENTIALS,
      params: { RoleArn: "arn:aws:iam::123456789012:role/EucMcpReadOnly" },
      clientConfig: { requestHandler: sim.handler, region: "us-east-1" },
    }),
  });
  await ws.send(new DescribeWorkspacesCommand({ Limit: 1 }));
  assert.deepEqual(sim.calls.map((c) => [c.service, c.status]), [
    ["sts", 400],
    ["sts", 200],
    ["workspaces", 200],
  ]);
});

Deno.test("without a SigV4 scope the service and region come from the host name", async () => {
  const sim = demo();
  const { response } = await sim.handler.handle({
    method: "POST",
    protocol: "https:",
    hostname: "appstream2.eu-west-1.amazonaws.com",
    path: "/",
    query: {},
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": "PhotonAdminProxyService.DescribeFleets",
    },
    body: new TextEncoder().encode("{}"),
  });
  const r = response as { statusCode: number; headers: Record<string, string>; body: Uint8Array };
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers["content-type"], "application/x-amz-json-1.1");
  const body = JSON.parse(new TextDecoder().decode(r.body));
  assert.deepEqual(body.Fleets.map((f: { Name: string }) => f.Name), [DEMO.fleetEu]);
  assert.equal(typeof body.Fleets[0].CreatedTime, "number");
  assert.deepEqual(sim.calls[0].service, "appstream");
  assert.deepEqual(sim.calls[0].region, "eu-west-1");

  const unknown = await sim.handler.handle({
    method: "POST",
    hostname: "sqs.us-east-1.amazonaws.com",
    path: "/",
    headers: { "x-amz-target": "AmazonSQS.ListQueues" },
    body: "{}",
  });
  const u = unknown.response as { statusCode: number; headers: Record<string, string> };
  assert.equal(u.statusCode, 400);
  assert.equal(u.headers["x-amzn-errortype"], "UnknownOperationException");
  assert.deepEqual([sim.calls[1].service, sim.calls[1].operation], ["sqs", "ListQueues"]);
});

// ---------------------------------------------------------------- serve, scale

Deno.test("serve() answers a client pointed at the loopback endpoint", async () => {
  const sim = demo();
  const server = await sim.serve();
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const ws = new WorkSpacesClient({
      region: "eu-west-1",
      credentials: CREDENTIALS,
      endpoint: server.url,
    });
    const out = await ws.send(new DescribeWorkspacesCommand({}));
    assert.equal(out.Workspaces?.length, 3);
    const web = new WorkSpacesWebClient({
      region: "us-east-1",
      credentials: CREDENTIALS,
      endpoint: server.url,
    });
    const portals = await web.send(new ListPortalsCommand({}));
    assert.equal(portals.portals?.length, 2);
    const tags = await web.send(
      new ListWebTagsCommand({ resourceArn: portals.portals![0].portalArn }),
    );
    assert.equal(tags.tags?.length, 1);
    const ec2 = new EC2Client({
      region: "us-east-1",
      credentials: CREDENTIALS,
      endpoint: server.url,
    });
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

Deno.test("scaleEstate builds 10,000 desktops in well under a second, deterministically", () => {
  const started = performance.now();
  const big = scaleEstate({
    desktops: 10_000,
    pools: 20,
    fleets: 10,
    portals: 5,
    regions: ["us-east-1", "eu-west-1"],
    seed: 7,
  });
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 1000, `took ${elapsed} ms`);
  const total = big.regions().reduce(
    (n, r) => n + big.region(r).workspaces.size,
    0,
  );
  assert.equal(total, 10_000);
  const again = scaleEstate({
    desktops: 10_000,
    pools: 20,
    fleets: 10,
    portals: 5,
    regions: ["us-east-1", "eu-west-1"],
    seed: 7,
    now: new Date(),
  });
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
