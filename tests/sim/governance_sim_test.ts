/**
 * The simulator's governance operations answer the real SDK clients with AWS's shapes, page sizes,
 * filters and errors: AppStream images, builders and user pool, WorkSpaces images, CloudTrail
 * LookupEvents and Service Quotas (with their AWS/Usage metrics).
 */
import assert from "node:assert/strict";
import {
  AppStreamClient,
  DescribeAppBlockBuildersCommand,
  DescribeImageBuildersCommand,
  DescribeImagesCommand,
  DescribeUsersCommand,
  DescribeUserStackAssociationsCommand,
} from "@aws-sdk/client-appstream";
import {
  DescribeWorkspaceImagePermissionsCommand,
  DescribeWorkspaceImagesCommand,
  WorkSpacesClient,
} from "@aws-sdk/client-workspaces";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { ListServiceQuotasCommand, ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { demoEstate, scenario, Simulator } from "../../src/sim/mod.ts";

const CREDENTIALS = { accessKeyId: "AKIDSIM", secretAccessKey: "sim" };
const HOUR = 3_600_000;

function config(sim: Simulator, region = "us-east-1") {
  return { region, credentials: CREDENTIALS, requestHandler: sim.handler, maxAttempts: 1 };
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the call to fail");
}

Deno.test("DescribeImages filters by Type, Names and Arns and pages 25 at a time", async () => {
  let s = scenario();
  for (let i = 0; i < 30; i++) s = s.appImage(`img-${String(i).padStart(2, "0")}`);
  s = s.appImage("partner-img", { visibility: "SHARED", owner: "210987654321" });
  const sim = new Simulator(s.build());
  const as = new AppStreamClient(config(sim));
  const first = await as.send(new DescribeImagesCommand({ Type: "PRIVATE" }));
  assert.equal(first.Images?.length, 25);
  assert.ok(first.NextToken);
  const second = await as.send(new DescribeImagesCommand({ Type: "PRIVATE", NextToken: first.NextToken }));
  assert.equal(second.Images?.length, 5);
  assert.equal(second.NextToken, undefined);
  const shared = await as.send(new DescribeImagesCommand({ Type: "SHARED" }));
  assert.deepEqual(shared.Images?.map((i) => i.Name), ["partner-img"]);
  assert.ok(shared.Images?.[0].Arn?.includes(":210987654321:"));
  const pub = await as.send(new DescribeImagesCommand({ Type: "PUBLIC" }));
  assert.ok((pub.Images?.length ?? 0) >= 2 && pub.Images!.every((i) => i.Visibility === "PUBLIC"));
  const named = await as.send(new DescribeImagesCommand({ Names: ["img-03"] }));
  assert.equal(named.Images?.[0].Name, "img-03");
  assert.ok(named.Images?.[0].CreatedTime instanceof Date);
  const byArn = await as.send(new DescribeImagesCommand({ Arns: [named.Images![0].Arn!] }));
  assert.equal(byArn.Images?.[0].Name, "img-03");
  const missing = await failure(as.send(new DescribeImagesCommand({ Names: ["nope"] })));
  assert.equal(missing.name, "ResourceNotFoundException");
});

Deno.test("DescribeImages also knows the undeclared images fleets run, by name or by the fleet's ImageArn", async () => {
  const estate = scenario().fleet("byol", { image: "corp-win11-byol-2025" }).appImage("declared").build();
  const sim = new Simulator(estate);
  const as = new AppStreamClient(config(sim));
  const fleet = estate.region("us-east-1").fleets.get("byol")!;
  const byName = await as.send(new DescribeImagesCommand({ Names: ["corp-win11-byol-2025"] }));
  assert.equal(byName.Images?.[0].Platform, "WINDOWS");
  const byArn = await as.send(new DescribeImagesCommand({ Arns: [fleet.ImageArn!] }));
  assert.equal(byArn.Images?.[0].Name, "corp-win11-byol-2025");
  const own = await as.send(new DescribeImagesCommand({ Type: "PRIVATE" }));
  assert.deepEqual(own.Images?.map((i) => i.Name).sort(), ["corp-win11-byol-2025", "declared"]);
});

Deno.test("image builders, app-block builders, users and stack associations come back in SDK shapes", async () => {
  const sim = new Simulator(
    scenario()
      .imageBuilder("ib-1", { state: "RUNNING", instanceType: "stream.standard.large" })
      .appBlockBuilder("abb-1", { state: "RUNNING" })
      .stack("s1")
      .appUser("a@example.com", { stacks: ["s1"] })
      .appUser("b@example.com", { enabled: false })
      .build(),
  );
  const as = new AppStreamClient(config(sim));
  const ib = await as.send(new DescribeImageBuildersCommand({}));
  assert.equal(ib.ImageBuilders?.[0].State, "RUNNING");
  assert.equal(ib.ImageBuilders?.[0].InstanceType, "stream.standard.large");
  const abb = await as.send(new DescribeAppBlockBuildersCommand({}));
  assert.equal(abb.AppBlockBuilders?.[0].Name, "abb-1");
  const users = await as.send(new DescribeUsersCommand({ AuthenticationType: "USERPOOL" }));
  assert.deepEqual(users.Users?.map((u) => [u.UserName, u.Enabled]), [["a@example.com", true], [
    "b@example.com",
    false,
  ]]);
  const saml = await failure(as.send(new DescribeUsersCommand({ AuthenticationType: "SAML" })));
  assert.equal(saml.name, "InvalidParameterCombinationException");
  const assoc = await as.send(new DescribeUserStackAssociationsCommand({ StackName: "s1" }));
  assert.deepEqual(assoc.UserStackAssociations?.map((a) => a.UserName), ["a@example.com"]);
  const neither = await failure(as.send(new DescribeUserStackAssociationsCommand({})));
  assert.equal(neither.name, "InvalidParameterCombinationException");
});

Deno.test("DescribeWorkspaceImages splits OWNED and SHARED; permissions only for owned images", async () => {
  const sim = new Simulator(
    scenario()
      .workspaceImage("wsi-own000001", { sharedWith: ["111122223333", "444455556666"] })
      .workspaceImage("wsi-shared0001", { owner: "999988887777" })
      .build(),
  );
  const ws = new WorkSpacesClient(config(sim));
  const owned = await ws.send(new DescribeWorkspaceImagesCommand({ ImageType: "OWNED" }));
  assert.deepEqual(owned.Images?.map((i) => i.ImageId), ["wsi-own000001"]);
  const shared = await ws.send(new DescribeWorkspaceImagesCommand({ ImageType: "SHARED" }));
  assert.deepEqual(shared.Images?.map((i) => i.ImageId), ["wsi-shared0001"]);
  const all = await ws.send(new DescribeWorkspaceImagesCommand({}));
  assert.equal(all.Images?.length, 2);
  const perms = await ws.send(new DescribeWorkspaceImagePermissionsCommand({ ImageId: "wsi-own000001" }));
  assert.deepEqual(perms.ImagePermissions?.map((p) => p.SharedAccountId), ["111122223333", "444455556666"]);
  const foreign = await failure(ws.send(new DescribeWorkspaceImagePermissionsCommand({ ImageId: "wsi-shared0001" })));
  assert.equal(foreign.name, "ResourceNotFoundException");
});

Deno.test("LookupEvents: one attribute, newest first, 50 a page, window, token bound to the query", async () => {
  const sim = new Simulator(
    scenario()
      .trailEvent({ name: "TerminateWorkspaces", source: "workspaces.amazonaws.com", minutesAgo: 10 })
      .trailEvent({ name: "DescribeWorkspaces", source: "workspaces.amazonaws.com", minutesAgo: 20 })
      .trailEvent({
        name: "StopFleet",
        source: "appstream.amazonaws.com",
        minutesAgo: 30,
        errorCode: "AccessDenied",
        errorMessage: "User is not authorized",
      })
      .trailNoise(120, { startMinutesAgo: 1, everyMinutes: 1 })
      .build(),
  );
  const ct = new CloudTrailClient(config(sim));
  const writes = await ct.send(
    new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: "false" }] }),
  );
  assert.equal(writes.Events?.length, 50);
  assert.ok(writes.NextToken);
  const times = writes.Events!.map((e) => e.EventTime!.getTime());
  assert.deepEqual(times, [...times].sort((a, b) => b - a), "newest first");
  const other = await failure(ct.send(new LookupEventsCommand({ NextToken: writes.NextToken })));
  assert.equal(other.name, "InvalidNextTokenException", "a token belongs to its query");
  const byName = await ct.send(
    new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "StopFleet" }] }),
  );
  const ev = byName.Events![0];
  assert.equal(ev.EventSource, "appstream.amazonaws.com");
  const detail = JSON.parse(ev.CloudTrailEvent!);
  assert.equal(detail.errorCode, "AccessDenied");
  assert.equal(detail.readOnly, false);
  assert.equal(detail.eventID, ev.EventId);
  assert.ok(detail.userIdentity.arn.includes("assumed-role"));
  const window = await ct.send(
    new LookupEventsCommand({
      LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: "workspaces.amazonaws.com" }],
      StartTime: new Date(Date.now() - 15 * 60_000),
      EndTime: new Date(),
    }),
  );
  assert.deepEqual(window.Events?.map((e) => e.EventName), ["TerminateWorkspaces"]);
  const two = await failure(ct.send(
    new LookupEventsCommand({
      LookupAttributes: [
        { AttributeKey: "ReadOnly", AttributeValue: "false" },
        { AttributeKey: "EventName", AttributeValue: "StopFleet" },
      ],
    }),
  ));
  assert.equal(two.name, "InvalidLookupAttributesException");
  const big = await failure(ct.send(new LookupEventsCommand({ MaxResults: 51 })));
  assert.equal(big.name, "InvalidMaxResultsException");
  const backwards = await failure(
    ct.send(new LookupEventsCommand({ StartTime: new Date(), EndTime: new Date(Date.now() - HOUR) })),
  );
  assert.equal(backwards.name, "InvalidTimeRangeException");
});

Deno.test("ListServiceQuotas answers the EUC catalogue with usage metrics; unknown codes are NoSuchResource", async () => {
  const sim = new Simulator(
    scenario().workspaces(3).serviceQuota("workspaces", "WorkSpaces", { value: 4 }).noServiceQuotas(
      "workspaces-instances",
    ).build(),
  );
  const sq = new ServiceQuotasClient(config(sim));
  const out = await sq.send(new ListServiceQuotasCommand({ ServiceCode: "workspaces" }));
  const q = out.Quotas!.find((x) => x.QuotaName === "WorkSpaces")!;
  assert.equal(q.Value, 4);
  assert.equal(q.UsageMetric?.MetricNamespace, "AWS/Usage");
  const paged = await sq.send(new ListServiceQuotasCommand({ ServiceCode: "workspaces", MaxResults: 2 }));
  assert.equal(paged.Quotas?.length, 2);
  assert.ok(paged.NextToken);
  const unknown = await failure(sq.send(new ListServiceQuotasCommand({ ServiceCode: "nope" })));
  assert.equal(unknown.name, "NoSuchResourceException");
  const gone = await failure(sq.send(new ListServiceQuotasCommand({ ServiceCode: "workspaces-instances" })));
  assert.equal(gone.name, "NoSuchResourceException");
  // The quota's usage metric reads the live count of desktops.
  const cw = new CloudWatchClient(config(sim));
  const m = q.UsageMetric!;
  const now = Date.now();
  const data = await cw.send(
    new GetMetricDataCommand({
      StartTime: new Date(now - 2 * 86_400_000),
      EndTime: new Date(now),
      MetricDataQueries: [{
        Id: "q0",
        MetricStat: {
          Metric: {
            Namespace: m.MetricNamespace,
            MetricName: m.MetricName,
            Dimensions: Object.entries(m.MetricDimensions!).map(([Name, Value]) => ({ Name, Value })),
          },
          Period: 86400,
          Stat: m.MetricStatisticRecommendation,
        },
      }],
    }),
  );
  assert.equal(data.MetricDataResults?.[0].Values?.at(-1), 3);
});

Deno.test("the demo estate answers every governance operation", async () => {
  const sim = new Simulator(demoEstate());
  const as = new AppStreamClient(config(sim));
  assert.ok(((await as.send(new DescribeImagesCommand({ Type: "PRIVATE" }))).Images?.length ?? 0) > 0);
  const ct = new CloudTrailClient(config(sim));
  assert.ok(((await ct.send(new LookupEventsCommand({}))).Events?.length ?? 0) > 0);
});
