/**
 * SDK, network and Deno permission errors → `{service, operation, region, code, message, hint}`,
 * the shape every tool reports in `errors`. The hint always says what to do next.
 */
import tier0 from "../../iam/tier0-diagnostics.json" with { type: "json" };
import tier1 from "../../iam/tier1-cost.json" with { type: "json" };
import tier2 from "../../iam/tier2-lifecycle.json" with { type: "json" };
import tier3 from "../../iam/tier3-destructive.json" with { type: "json" };

/** The error codes a tool can report. */
export const ERROR_CODES = [
  "AccessDenied",
  "Throttled",
  "ExpiredCredentials",
  "NoCredentials",
  "NotAvailableInRegion",
  "EndpointUnreachable",
  "InvalidInput",
  "NotFound",
  "AwsError",
] as const;
/** One of ERROR_CODES. */
export type ErrorCode = typeof ERROR_CODES[number];

/** A classified failure of one AWS call (or one input check). */
export interface AwsErrorInfo {
  service: string;
  operation: string;
  region: string;
  code: ErrorCode;
  message: string;
  hint: string;
}

/** The IAM tier policies, lowest first. */
export const IAM_TIERS = [
  { tier: 0, file: "iam/tier0-diagnostics.json", name: "diagnostics", policy: tier0 },
  { tier: 1, file: "iam/tier1-cost.json", name: "cost", policy: tier1 },
  { tier: 2, file: "iam/tier2-lifecycle.json", name: "lifecycle", policy: tier2 },
  { tier: 3, file: "iam/tier3-destructive.json", name: "destructive", policy: tier3 },
] as const;

/** Actions granted by one tier policy. */
export function tierActions(tier: number): string[] {
  const entry = IAM_TIERS.find((t) => t.tier === tier);
  return entry ? entry.policy.Statement.flatMap((s) => s.Action) : [];
}

/** The lowest tier whose policy grants `action`, or undefined. */
export function tierOf(action: string): (typeof IAM_TIERS)[number] | undefined {
  return IAM_TIERS.find((t) => t.policy.Statement.some((s) => (s.Action as string[]).includes(action)));
}

const IAM_PREFIX: Readonly<Record<string, string>> = { cloudwatch: "cloudwatch", pricing: "pricing" };

const ACCESS_DENIED = new Set([
  "AccessDeniedException",
  "AccessDenied",
  "UnauthorizedOperation",
  "UnauthorizedException",
  "AuthorizationError",
  "NotAuthorized",
  "OperationNotPermittedException",
]);
const THROTTLED = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "LimitExceededException", // Cost Explorer throttles with this
  "ProvisionedThroughputExceededException",
  "SlowDown",
]);
const EXPIRED = new Set(["ExpiredTokenException", "ExpiredToken", "RequestExpired", "TokenRefreshRequired"]);

/** Codes by which AWS rejects the signing identity itself: worth one retry after the credentials are read again. */
export const REJECTED_CREDENTIALS: ReadonlySet<string> = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestExpired",
  "TokenRefreshRequired",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
  "AuthFailure",
]);

/** How much of one name, key or AWS text an error message may echo. */
export const CLIP_CHARS = 100;

/** Cuts `text` to `max` characters (default CLIP_CHARS), marking the cut with how much was left out. */
export function clip(text: string, max: number = CLIP_CHARS): string {
  if (text.length <= max) return text;
  // Never cut a surrogate pair in half.
  const end = /[\uD800-\uDBFF]/.test(text[max - 1]) ? max - 1 : max;
  return `${text.slice(0, end)}… (${text.length - end} more characters)`;
}
const NO_CREDENTIALS = new Set([
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "AuthFailure",
  "IncompleteSignature",
  "MissingAuthenticationToken",
]);
const INVALID = new Set([
  "ValidationException",
  "InvalidParameterValuesException",
  "InvalidParameterException",
  "InvalidParameterValueException",
  "InvalidParameterCombinationException",
  "InvalidParameterValue",
  "InvalidRequestException",
  "InvalidInputException",
  "InvalidNextTokenException",
  "InvalidResourceStateException",
  "OperationNotSupportedException",
  "InvalidAccountStatusException",
]);
const NOT_FOUND = new Set([
  "ResourceNotFoundException",
  "ResourceNotFound",
  "EntityDoesNotExistException",
  "DirectoryDoesNotExistException",
  "NotFoundException",
  "InvalidInstanceID.NotFound",
]);

interface Where {
  service: string;
  operation: string;
  region: string;
}

interface Who {
  profile?: string;
  assumeRoleArn?: string;
}

function errName(e: unknown): string {
  if (e && typeof e === "object") {
    const o = e as Record<string, unknown>;
    if (typeof o.name === "string" && o.name !== "Error") return o.name;
    if (typeof o.Code === "string") return o.Code;
    if (typeof o.code === "string") return o.code;
    if (typeof o.name === "string") return o.name;
  }
  return "Error";
}

function errMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  if (e && typeof e === "object" && typeof (e as { message?: unknown }).message === "string") {
    return (e as { message: string }).message;
  }
  return String(e);
}

function netCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === "object"; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

// Errors the SDK raises when it cannot parse an answer (its JSON/XML parsers), and ours from http.ts.
const MALFORMED = new Set(["MalformedResponse", "SyntaxError", "DeserializationError"]);

const NET_HINT = "Check network access to AWS from this machine: DNS, firewall, VPN; behind a corporate proxy set " +
  "HTTPS_PROXY (and NO_PROXY), and NODE_EXTRA_CA_CERTS or DENO_CERT for a TLS-inspecting proxy's CA; in a VPC " +
  "without internet access, an interface VPC endpoint for the service (or --endpoint-url). The call was retried " +
  "before giving up.";

function loginHint(who: Who): string {
  return who.profile
    ? `run \`aws sso login --profile ${who.profile}\` (or refresh that profile's credentials), then retry; the server picks the new credentials up without a restart`
    : "refresh the credentials (e.g. `aws sso login --profile <profile>` and start the server with --profile <profile>, or export fresh AWS_* keys), then retry";
}

/** Classifies any error thrown by an AWS call into a code, a one-line message and a next step. */
export function classifyError(e: unknown, where: Where, who: Who = {}): AwsErrorInfo {
  const name = errName(e);
  const raw = clip(errMessage(e).split("\n")[0], 300);
  const status = (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  const action = `${IAM_PREFIX[where.service] ?? where.service}:${where.operation}`;
  const info = (code: ErrorCode, message: string, hint: string): AwsErrorInfo => ({ ...where, code, message, hint });

  // Deno's sandbox: one clear line saying which launch permission is missing. node:http reports a
  // host that --allow-net does not admit as "getaddrinfo EPERM <host>" rather than NotCapable.
  const dnsDenied = netCode(e) === "EPERM" ? /getaddrinfo EPERM (\S+)/.exec(raw) : null;
  if (name === "NotCapable" || name === "PermissionDenied" || dnsDenied) {
    const m = dnsDenied ? [raw, "net", dnsDenied[1]] : /Requires (\w+) access to "?([^",]+)"?/.exec(raw);
    const kind = m?.[1] ?? "net";
    const target = m?.[2] ?? "";
    const flag = `--allow-${kind}`;
    if (kind === "run") {
      return info(
        "NoCredentials",
        `Deno permission missing: ${flag} is not granted, so the profile's credential_process cannot run`,
        "credential_process is not supported: the server does not grant --allow-run (a credential helper could run anything). Use SSO (`aws sso login`), role or web-identity settings, or export the helper's credentials as AWS_* variables.",
      );
    }
    if (kind === "sys" && target === "ca") {
      // Deno's node:https loads NODE_EXTRA_CA_CERTS behind a "ca" sys check that --allow-sys=<list> cannot grant.
      return info(
        "EndpointUnreachable",
        "Deno's node:https cannot load NODE_EXTRA_CA_CERTS under a scoped --allow-sys (Deno has no --allow-sys=ca)",
        "Point DENO_CERT at the same PEM file (or set DENO_TLS_CA_STORE=system) and unset NODE_EXTRA_CA_CERTS for this server.",
      );
    }
    const code: ErrorCode = kind === "net" ? "EndpointUnreachable" : kind === "sys" ? "AwsError" : "NoCredentials";
    return info(
      code,
      `Deno permission missing: ${flag} does not include ${target || "what this call needs"}`,
      `Start the server with the documented permission set (README, "Permissions"), which covers AWS endpoints, AWS_* variables and the credential files; add ${
        target || "the missing entry"
      } to ${flag} only for a non-standard setup.`,
    );
  }

  if (ACCESS_DENIED.has(name) || (status === 403 && !NO_CREDENTIALS.has(name) && !EXPIRED.has(name))) {
    const tier = tierOf(action);
    const where2 = tier ? `it is in ${tier.file} (IAM tier ${tier.tier}, ${tier.name})` : "add it to the policy";
    const whom = who.assumeRoleArn ? `the role ${who.assumeRoleArn}` : "the identity the server runs as";
    if (where.service === "sts") {
      return info(
        "AccessDenied",
        raw,
        `The base identity may not assume ${
          who.assumeRoleArn ?? "the role"
        }: allow sts:AssumeRole on it and check the role's trust policy (and ExternalId).`,
      );
    }
    return info("AccessDenied", raw, `Missing IAM permission ${action}: ${where2}. Attach that policy to ${whom}.`);
  }
  if (THROTTLED.has(name) || status === 429) {
    return info(
      "Throttled",
      raw,
      "AWS throttled this API even after retries with backoff; wait a minute and retry, or narrow the request (one region, fewer resources).",
    );
  }
  if (
    EXPIRED.has(name) || /token (has|is) expired|expired token|sso session .*expired|sso.*token.*expired/i.test(raw) ||
    (/sso/i.test(raw) && /expired|invalid|refresh/i.test(raw))
  ) {
    return info("ExpiredCredentials", raw, `The AWS session has expired: ${loginHint(who)}.`);
  }
  if (
    (NO_CREDENTIALS.has(name) && !(name === "UnrecognizedClientException" && /region|endpoint/i.test(raw))) ||
    name === "CredentialsProviderError" || name === "TokenProviderError" ||
    /could not load credentials|credential.*not found|profile .* could not be found/i.test(raw)
  ) {
    const hint = who.profile
      ? `Check that profile "${who.profile}" exists in ~/.aws/config and is signed in (\`aws sso login --profile ${who.profile}\` for SSO).`
      : "No usable AWS credentials: start the server with --profile <name> (or set AWS_PROFILE), or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; for SSO run `aws sso login --profile <name>` first.";
    return info("NoCredentials", raw, hint);
  }
  if (NOT_FOUND.has(name) || status === 404) {
    return info(
      "NotFound",
      raw,
      "Check the id and the region: the resource does not exist there (ids are per region).",
    );
  }
  if (INVALID.has(name)) {
    return info("InvalidInput", raw, "AWS rejected the request parameters; correct the input as the message says.");
  }
  if (name === "AbortError" || name === "RequestAbortedError") {
    return info("AwsError", "The request was cancelled.", "Nothing to do: the client cancelled the call.");
  }
  if (MALFORMED.has(name) || (e as { $response?: unknown })?.$response !== undefined && status === 200) {
    const detail = name === "MalformedResponse" ? raw : `${name}: ${raw}`;
    return info(
      "AwsError",
      `malformed response from ${where.service} ${where.operation}: ${detail}`,
      "AWS (or a proxy between) sent an answer that cannot be read, so nothing from it is reported; retry, and " +
        "if it persists check proxies or TLS inspection that rewrite responses.",
    );
  }
  const net = netCode(e);
  if (
    // Only AWS (or the SDK's endpoint rules) can say a service is not in a region; a DNS failure is a network fault.
    name === "EndpointError" || /UnknownEndpoint/i.test(name) ||
    (name === "UnrecognizedClientException" && /region|endpoint/i.test(raw))
  ) {
    return info(
      "NotAvailableInRegion",
      `${where.service} is not offered in ${where.region}: ${raw}`,
      `The service is not available in ${where.region} (see the AWS Regional Services list); use a region that offers it.`,
    );
  }
  if (
    net || name === "TimeoutError" || name === "NetworkingError" || name === "NetworkError" ||
    /getaddrinfo|dns error|failed to lookup address|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up|fetch failed|timeout connecting|connect timeout/i
      .test(raw)
  ) {
    const dns = net === "ENOTFOUND" || net === "EAI_AGAIN" ||
      /getaddrinfo|dns error|lookup address|ENOTFOUND/i.test(raw);
    return info(
      "EndpointUnreachable",
      `Could not reach the ${where.service} endpoint in ${where.region}${dns ? " (name lookup failed)" : ""}: ${raw}`,
      NET_HINT,
    );
  }
  if (typeof status === "number" && status >= 500) {
    return info(
      "AwsError",
      raw,
      "AWS returned a server error after retries; retry in a few minutes (see the AWS Health Dashboard).",
    );
  }
  return info("AwsError", `${clip(name)}: ${raw}`, "Unexpected AWS error; the message says what AWS reported.");
}
