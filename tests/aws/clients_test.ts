import assert from "node:assert/strict";
import { Aws, AwsCallError, type OpInput, type OpName, type OpOutput } from "../../src/aws/clients.ts";
import { PROGRAM, VERSION } from "../../src/config.ts";
import { scenario, Simulator } from "../../src/sim/mod.ts";

const BASE = { accessKeyId: "AKIDBASEIDENTITY00", secretAccessKey: "base" };
const ROLE = "arn:aws:iam::123456789012:role/EucAdmin";

function aws(sim: Simulator, extra: Partial<ConstructorParameters<typeof Aws>[0]> = {}) {
  return new Aws({
    requestHandler: sim.handler,
    credentials: BASE,
    region: "us-east-1",
    userAgent: `${PROGRAM}/${VERSION}`,
    ...extra,
  });
}

Deno.test("every request carries the workspaces-euc-mcp/<version> user agent, with the SDK's own sections each time", async () => {
  const sim = new Simulator(scenario().workspace("ws-ua00000001").build());
  const client = aws(sim);
  for (let i = 0; i < 3; i++) await client.call("workspaces", "DescribeWorkspaces", {}, { region: "us-east-1" });
  assert.match(sim.calls[0].userAgent ?? "", new RegExp(`${PROGRAM}/${VERSION.replace(/\./g, "\\.")}`));
  // The SDK's sections are built once per client (they hold an os.release() call), and every request still sends them.
  assert.match(sim.calls[0].userAgent ?? "", /aws-sdk-js\/\S+ .*os\/\S+.*api\/workspaces/);
  assert.equal(new Set(sim.calls.map((c) => c.userAgent)).size, 1, "the same user agent on every request");
});

Deno.test("--assume-role-arn is lazy, uses the session name and ExternalId, and is assumed once for many calls", async () => {
  const sim = new Simulator(scenario().workspace("ws-role0000001").fleet("f1").build());
  const client = aws(sim, { assumeRoleArn: ROLE, externalId: "euc-ext-42" });
  assert.equal(sim.calls.length, 0, "constructing the client calls nothing");
  await client.call("workspaces", "DescribeWorkspaces", {}, { region: "us-east-1" });
  await client.call("appstream", "DescribeFleets", {}, { region: "us-east-1" });
  await client.call("workspaces", "DescribeWorkspaces", {}, { region: "eu-west-1" });
  const assumes = sim.calls.filter((c) => c.operation === "AssumeRole");
  assert.equal(assumes.length, 1);
  const params = assumes[0].params as Record<string, string>;
  assert.equal(params.RoleArn, ROLE);
  assert.equal(params.RoleSessionName, "workspaces-euc-mcp");
  assert.equal(params.ExternalId, "euc-ext-42");
  assert.equal(assumes[0].accessKeyId, BASE.accessKeyId, "AssumeRole is signed by the base identity");
  const work = sim.calls.filter((c) => c.operation !== "AssumeRole");
  assert.equal(work.length, 3);
  for (const c of work) assert.notEqual(c.accessKeyId, BASE.accessKeyId, "service calls use the assumed role");
});

Deno.test("a failed AssumeRole is reported (not cached), and the next call succeeds once it is fixed", async () => {
  const sim = new Simulator(scenario().workspace("ws-role0000001").build());
  sim.inject({ kind: "access-denied", service: "sts", times: 1 });
  const client = aws(sim, { assumeRoleArn: ROLE });
  await assert.rejects(
    client.call("workspaces", "DescribeWorkspaces", {}, { region: "us-east-1" }),
    (e: unknown) => {
      assert.ok(e instanceof AwsCallError);
      assert.equal(e.info.code, "AccessDenied");
      assert.equal(e.info.service, "sts");
      assert.match(e.info.hint, /sts:AssumeRole/);
      return true;
    },
  );
  const out = await client.call("workspaces", "DescribeWorkspaces", {}, { region: "us-east-1" });
  assert.equal(out.Workspaces?.length, 1);
});

Deno.test("an expired session fails with the login hint and works after re-login without a restart", async () => {
  const sim = new Simulator(scenario().workspace("ws-sso00000001").build());
  sim.inject({ kind: "expired-token", service: "sts", times: 1 });
  const client = aws(sim, { assumeRoleArn: ROLE, profile: "euc-sso" });
  await assert.rejects(client.call("workspaces", "DescribeWorkspaces", {}, { region: "us-east-1" }), (e: unknown) => {
    assert.ok(e instanceof AwsCallError);
    assert.equal(e.info.code, "ExpiredCredentials");
    assert.match(e.info.hint, /aws sso login --profile euc-sso/);
    return true;
  });
  const out = await client.call("workspaces", "DescribeWorkspaces", {}, { region: "us-east-1" });
  assert.equal(out.Workspaces?.length, 1);
});

Deno.test("Cost Explorer is always called in us-east-1, whatever region the tool works in", async () => {
  const sim = new Simulator(scenario().build());
  await aws(sim).call("ce", "GetCostAndUsage", {
    TimePeriod: { Start: "2026-10-01", End: "2026-11-01" },
    Granularity: "MONTHLY",
    Metrics: ["UnblendedCost"],
  }, { region: "eu-west-1" }).catch(() => undefined);
  assert.equal(sim.calls[0].service, "ce");
  assert.equal(sim.calls[0].region, "us-east-1");
});

// Type-level checks: the operation types must resolve to the SDK's shapes, never to `never`
// (property access on `never` type-checks, so a silent `never` would hide every mistake).
type IsNever<T> = [T] extends [never] ? true : false;
type Expect<T extends false> = T;
type _Out = Expect<IsNever<OpOutput<"workspaces", "DescribeWorkspaces">>>;
type _In = Expect<IsNever<OpInput<"appstream", "DescribeFleets">>>;
type _Web = Expect<IsNever<OpOutput<"workspaces-web", "ListPortals">>>;

Deno.test("operation types resolve to the SDK's input and output shapes", () => {
  const out: OpOutput<"workspaces", "DescribeWorkspaces"> = {
    Workspaces: [{ WorkspaceId: "ws-typed0001" }],
    $metadata: {},
  };
  const input: OpInput<"ec2", "DescribeInstances"> = { InstanceIds: ["i-0123456789abcdef0"] };
  // @ts-expect-error: an unknown input member is a type error
  const bad: OpInput<"workspaces", "DescribeWorkspaces"> = { NotAMember: 1 };
  const ops: OpName<"workspaces">[] = ["DescribeWorkspaces", "DescribeWorkspaceBundles"];
  assert.equal(out.Workspaces?.[0].WorkspaceId, "ws-typed0001");
  assert.equal(input.InstanceIds?.length, 1);
  assert.ok(bad);
  assert.equal(ops.length, 2);
});
