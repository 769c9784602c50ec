/**
 * The simulator answers the real AWS SDK v3 clients of WorkSpaces Applications, Secure Browser,
 * Core Managed Instances and EC2 over their wire protocols (JSON, REST-JSON, EC2 query/XML).
 */
import assert from "node:assert/strict";
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
import { DEMO, scenario, Simulator } from "../../src/sim/mod.ts";
import { config, demo, failure } from "../support/sim_sdk.ts";

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
