/**
 * The simulator's identities and faults as the SDK sees them: AssumeRole, throttles, access
 * denied, expired tokens, 5xx, unreachable endpoints, latency and aborts, host-name scopes.
 */
import assert from "node:assert/strict";
import { DescribeTagsCommand, DescribeWorkspacesCommand, WorkSpacesClient } from "@aws-sdk/client-workspaces";
import { AppStreamClient, DescribeFleetsCommand } from "@aws-sdk/client-appstream";
import { ListPortalsCommand, WorkSpacesWebClient } from "@aws-sdk/client-workspaces-web";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { DEMO, demoEstate, Simulator } from "../../src/sim/mod.ts";
import { config, CREDENTIALS, demo, failure } from "../support/sim_sdk.ts";

// ---------------------------------------------------------------- STS

/** A WorkSpaces client whose credentials come from AssumeRole on the simulator (fromTemporaryCredentials). */
function assumedRoleClient(sim: Simulator, params: { RoleArn: string; RoleSessionName?: string; ExternalId?: string }) {
  return new WorkSpacesClient({
    region: "us-east-1",
    requestHandler: sim.handler,
    credentials: fromTemporaryCredentials({
      masterCredentials: CREDENTIALS,
      params,
      clientConfig: { requestHandler: sim.handler, region: "us-east-1" },
    }),
  });
}

Deno.test("AssumeRole through fromTemporaryCredentials, then a call signed with the role", async () => {
  const sim = demo();
  const roleArn = "arn:aws:iam::123456789012:role/EucMcpReadOnly";
  const ws = assumedRoleClient(sim, { RoleArn: roleArn, RoleSessionName: "euc-mcp", ExternalId: "ext-123" });
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
  const ws = assumedRoleClient(sim, { RoleArn: "arn:aws:iam::123456789012:role/Nope" });
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
  const ws = assumedRoleClient(sim, { RoleArn: "arn:aws:iam::123456789012:role/EucMcpReadOnly" });
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
