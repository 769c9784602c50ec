import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../src/config.ts";
import { enabledToolsets } from "../src/tools/mod.ts";

const noEnv = () => undefined;
const parse = (...argv: string[]) => parseConfig(argv, noEnv);

Deno.test("no flags: serve over stdio, read-only toolsets, cap 25", () => {
  const c = parse();
  assert.equal(c.command.kind, "serve");
  assert.equal(c.maxBulkTargets, 25);
  assert.equal(c.enableWrites, false);
  assert.ok(!enabledToolsets(c).includes("lifecycle"));
  assert.ok(!enabledToolsets(c).includes("destructive"));
  assert.ok(enabledToolsets(c).includes("inventory"));
});

Deno.test("an unknown flag is refused with a one-line reason", () => {
  assert.throws(
    () => parse("--regoin", "us-east-1"),
    (e: Error) => e instanceof ConfigError && /--regoin/.test(e.message),
  );
});

Deno.test("--enable-destructive without --enable-writes is refused", () => {
  assert.throws(() => parse("--enable-destructive"), /requires --enable-writes/);
  const c = parse("--enable-writes", "--enable-destructive");
  assert.deepEqual(enabledToolsets(c).slice(-2), ["lifecycle", "destructive"]);
});

Deno.test("bad values are refused: region, regions, max-bulk-targets, toolsets, endpoint, log level, role", () => {
  assert.throws(() => parse("--region", "Mars-1"), /not an AWS region/);
  assert.throws(() => parse("--regions", "us-east-1,nowhere"), /--regions/);
  assert.throws(() => parse("--max-bulk-targets", "many"), /whole number/);
  assert.throws(() => parse("--max-bulk-targets", "2.5"), /whole number/);
  assert.throws(() => parse("--toolsets", "inventory,magic"), /unknown toolset "magic"/);
  assert.throws(() => parse("--toolsets", "lifecycle"), /needs --enable-writes/);
  assert.throws(() => parse("--endpoint-url", "ftp://x"), /http/);
  assert.throws(() => parse("--endpoint-url", "not a url"), /not a URL/);
  assert.throws(() => parse("--log-level", "loud"), /log-level/);
  assert.throws(() => parse("--assume-role-arn", "arn:aws:iam::12:role/x"), /IAM role ARN/);
  assert.throws(() => parse("--external-id", "abc"), /requires --assume-role-arn/);
  assert.throws(() => parse("--demo", "--endpoint-url", "http://127.0.0.1:1"), /--demo/);
});

Deno.test("good values are kept; --regions dedupes; region falls back to AWS_REGION", () => {
  const c = parseConfig(
    ["--regions", "us-east-1, eu-west-1,us-east-1", "--max-bulk-targets", "100", "--toolsets", "Inventory"],
    (k) => (k === "AWS_REGION" ? "eu-central-1" : undefined),
  );
  assert.deepEqual(c.regions, ["us-east-1", "eu-west-1"]);
  assert.equal(c.region, "eu-central-1");
  assert.equal(c.maxBulkTargets, 100);
  assert.deepEqual(enabledToolsets(c), ["inventory"]);
  assert.ok(Object.isFrozen(c));
  const gov = parse(
    "--region",
    "us-gov-west-1",
    "--assume-role-arn",
    "arn:aws-cn:iam::123456789012:role/Ops",
    "--external-id",
    "x-1",
  );
  assert.equal(gov.region, "us-gov-west-1");
  assert.equal(gov.externalId, "x-1");
});

Deno.test("subcommands: tools, call with JSON, tour; bad JSON and unknown commands are refused", () => {
  assert.equal(parse("tools").command.kind, "tools");
  assert.equal(parse("tour", "--demo").command.kind, "tour");
  assert.deepEqual(parse("call", "get_euc_inventory_summary", '{"region":"us-east-1"}').command, {
    kind: "call",
    tool: "get_euc_inventory_summary",
    args: { region: "us-east-1" },
  });
  assert.throws(() => parse("call", "x_tool", "{oops"), /not valid JSON/);
  assert.throws(() => parse("call", "x_tool", "[1]"), /JSON object/);
  assert.throws(() => parse("call"), /usage: call/);
  assert.throws(() => parse("launch"), /unknown command "launch"/);
});

Deno.test("demo mode defaults the region so it works with no AWS configuration", () => {
  assert.equal(parse("--demo").region, "us-east-1");
});

Deno.test("the Python server's flags and variables are accepted: SSO auto-login (with a note), FASTMCP_LOG_LEVEL, any integer cap", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  for (const flag of ["--sso-auto-login", "--no-sso-auto-login"]) {
    const c = parseConfig([flag], () => undefined);
    assert.equal(c.command.kind, "serve");
  }
  assert.match(parseConfig(["--sso-auto-login"], () => undefined).notices.join(" "), /aws sso login --profile/);
  assert.deepEqual(parseConfig(["--no-sso-auto-login"], () => undefined).notices, []);
  assert.equal(parseConfig([], env({ WORKSPACES_EUC_SSO_AUTO_LOGIN: "yes" })).notices.length, 1);
  assert.equal(parseConfig([], env({ WORKSPACES_EUC_SSO_AUTO_LOGIN: "0" })).notices.length, 0);
  assert.equal(parseConfig([], env({ FASTMCP_LOG_LEVEL: "DEBUG" })).logLevel, "debug");
  assert.equal(parseConfig([], env({ FASTMCP_LOG_LEVEL: "WARNING" })).logLevel, "warn");
  assert.equal(parseConfig(["--log-level", "error"], env({ FASTMCP_LOG_LEVEL: "DEBUG" })).logLevel, "error");
  assert.equal(parseConfig(["--max-bulk-targets", "5000"], () => undefined).maxBulkTargets, 5000);
  const zero = parseConfig(["--max-bulk-targets", "0"], () => undefined);
  assert.equal(zero.maxBulkTargets, 0);
  assert.match(zero.notices[0], /refused/);
});
