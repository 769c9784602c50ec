import assert from "node:assert/strict";
import { classifyError, clip, ERROR_CODES } from "../../src/aws/errors.ts";

const where = { service: "workspaces", operation: "DescribeWorkspaces", region: "us-east-1" };

function sdkError(name: string, message: string, status = 400) {
  return Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: status },
    $fault: status >= 500 ? "server" : "client",
  });
}

Deno.test("AccessDenied names the missing IAM action and the tier policy that grants it", () => {
  const info = classifyError(sdkError("AccessDeniedException", "User x is not authorized"), where);
  assert.equal(info.code, "AccessDenied");
  assert.match(info.hint, /workspaces:DescribeWorkspaces/);
  assert.match(info.hint, /tier0-diagnostics\.json/);
  const ec2 = classifyError(sdkError("UnauthorizedOperation", "You are not authorized"), {
    ...where,
    service: "ec2",
    operation: "DescribeInstances",
  });
  assert.equal(ec2.code, "AccessDenied");
  assert.match(ec2.hint, /ec2:DescribeInstances/);
});

Deno.test("an action no tier grants is still named", () => {
  const info = classifyError(sdkError("AccessDeniedException", "no"), { ...where, operation: "DescribeMagic" });
  assert.match(info.hint, /workspaces:DescribeMagic: add it to the policy/);
});

Deno.test("throttling codes and HTTP 429 are Throttled", () => {
  for (
    const name of [
      "ThrottlingException",
      "Throttling",
      "RequestLimitExceeded",
      "TooManyRequestsException",
      "LimitExceededException",
    ]
  ) {
    assert.equal(classifyError(sdkError(name, "slow down"), where).code, "Throttled", name);
  }
  assert.equal(classifyError(sdkError("Whatever", "x", 429), where).code, "Throttled");
});

Deno.test("expired tokens and SSO sessions say exactly which login command to run", () => {
  const info = classifyError(
    sdkError("ExpiredTokenException", "The security token included in the request is expired"),
    where,
    { profile: "admin" },
  );
  assert.equal(info.code, "ExpiredCredentials");
  assert.match(info.hint, /aws sso login --profile admin/);
  const sso = classifyError(
    Object.assign(new Error("The SSO session associated with this profile has expired or is otherwise invalid."), {
      name: "TokenProviderError",
    }),
    where,
    { profile: "dev" },
  );
  assert.equal(sso.code, "ExpiredCredentials");
  assert.match(sso.hint, /aws sso login --profile dev/);
});

Deno.test("missing credentials say how to provide them", () => {
  const info = classifyError(
    Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }),
    where,
  );
  assert.equal(info.code, "NoCredentials");
  assert.match(info.hint, /--profile/);
  assert.equal(classifyError(sdkError("UnrecognizedClientException", "bad token"), where).code, "NoCredentials");
});

Deno.test("a DNS or connection failure is EndpointUnreachable with a network, proxy and VPC endpoint hint", () => {
  const web = { ...where, service: "workspaces-web", region: "ap-east-1" };
  const failures = [
    Object.assign(new Error("getaddrinfo ENOTFOUND workspaces-web.ap-east-1.amazonaws.com"), { code: "ENOTFOUND" }),
    Object.assign(new Error("getaddrinfo EAI_AGAIN workspaces.us-east-1.amazonaws.com"), { code: "EAI_AGAIN" }),
    Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
    Object.assign(new Error("timed out"), { name: "TimeoutError" }),
    new TypeError("fetch failed"),
    new Error("timeout connecting to workspaces.us-east-1.amazonaws.com"),
    Object.assign(new Error("fetch failed (ENOTFOUND) for ds.us-east-1.amazonaws.com: dns error"), {
      name: "NetworkError",
      code: "ENOTFOUND",
    }),
  ];
  for (const e of failures) {
    const info = classifyError(e, web);
    assert.equal(info.code, "EndpointUnreachable", e.message);
    assert.match(info.hint, /proxy/i, e.message);
    assert.match(info.hint, /VPC endpoint/, e.message);
    assert.doesNotMatch(info.hint + info.message, /not offered/, e.message);
  }
  assert.match(classifyError(failures[0], web).message, /name lookup failed/);
});

Deno.test("NotAvailableInRegion only when AWS or the SDK's endpoint rules say the service is not there", () => {
  const unknown = classifyError(sdkError("UnknownEndpoint", "Inaccessible host: `workspaces-web.ap-east-1`"), where);
  assert.equal(unknown.code, "NotAvailableInRegion");
  const rules = classifyError(
    Object.assign(new Error("No endpoint for region ap-east-1"), { name: "EndpointError" }),
    where,
  );
  assert.equal(rules.code, "NotAvailableInRegion");
  const region = classifyError(sdkError("UnrecognizedClientException", "The region ap-east-1 is not supported"), where);
  assert.equal(region.code, "NotAvailableInRegion");
  assert.equal(
    classifyError(sdkError("UnrecognizedClientException", "The security token is invalid"), where).code,
    "NoCredentials",
  );
});

Deno.test("echoed AWS text and names are clipped to about 100 characters each", () => {
  assert.equal(clip("short"), "short");
  const long = "k".repeat(1024 * 1024);
  const clipped = clip(long);
  assert.ok(clipped.length < 140, `${clipped.length} characters`);
  assert.match(clipped, /^k{100}… \(1048476 more characters\)$/);
  const info = classifyError(Object.assign(new Error("m".repeat(100_000)), { name: "N".repeat(100_000) }), where);
  assert.ok(info.message.length < 500, `message of ${info.message.length} characters`);
});

Deno.test("unreadable answers are a malformed-response AwsError naming the service and operation", () => {
  const info = classifyError(
    Object.assign(new SyntaxError("Unexpected end of JSON input"), {
      $response: {},
      $metadata: { httpStatusCode: 200 },
    }),
    where,
  );
  assert.equal(info.code, "AwsError");
  assert.match(info.message, /^malformed response from workspaces DescribeWorkspaces: SyntaxError/);
});

Deno.test("a missing Deno permission becomes one clear line naming the flag, never a raw NotCapable", () => {
  const e = Object.assign(
    new Error('Requires net access to "workspaces.eu-west-1.amazonaws.com:443", run again with the --allow-net flag'),
    {
      name: "NotCapable",
    },
  );
  const info = classifyError(e, where);
  assert.equal(info.code, "EndpointUnreachable");
  assert.match(info.message, /--allow-net does not include workspaces\.eu-west-1\.amazonaws\.com:443/);
  const env = Object.assign(new Error('Requires env access to "AWS_PROFILE", run again with the --allow-env flag'), {
    name: "NotCapable",
  });
  assert.equal(classifyError(env, where).code, "NoCredentials");
});

Deno.test("the node:https NODE_EXTRA_CA_CERTS denial never suggests the invalid --allow-sys=ca", () => {
  const e = Object.assign(new Error('Requires sys access to "ca", run again with the --allow-sys flag'), {
    name: "NotCapable",
  });
  const info = classifyError(e, where);
  assert.doesNotMatch(info.hint, /--allow-sys/);
  assert.match(info.hint, /DENO_CERT/);
});

Deno.test("validation, not found and server errors", () => {
  assert.equal(classifyError(sdkError("ValidationException", "bad"), where).code, "InvalidInput");
  assert.equal(classifyError(sdkError("ResourceNotFoundException", "gone"), where).code, "NotFound");
  assert.equal(classifyError(sdkError("EntityDoesNotExistException", "gone"), where).code, "NotFound");
  const server = classifyError(sdkError("InternalServerError", "boom", 500), where);
  assert.equal(server.code, "AwsError");
  assert.match(server.hint, /retry/);
});

Deno.test("every code has at least one error that produces it", () => {
  const produced = new Set([
    classifyError(sdkError("AccessDeniedException", ""), where).code,
    classifyError(sdkError("ThrottlingException", ""), where).code,
    classifyError(sdkError("ExpiredTokenException", ""), where).code,
    classifyError(sdkError("InvalidClientTokenId", ""), where).code,
    classifyError(sdkError("UnknownEndpoint", "x"), where).code,
    classifyError(Object.assign(new Error("x"), { code: "ECONNREFUSED" }), where).code,
    classifyError(sdkError("ValidationException", ""), where).code,
    classifyError(sdkError("ResourceNotFoundException", ""), where).code,
    classifyError(new Error("odd"), where).code,
  ]);
  assert.deepEqual([...produced].sort(), [...ERROR_CODES].sort());
});
