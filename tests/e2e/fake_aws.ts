/**
 * A minimal loopback fake of the AWS endpoints the SDK's credential chain and one WorkSpaces call
 * touch, for the credential e2e tests. It listens on 127.0.0.1 with an ephemeral port and never
 * proxies anything: point the SDK at it with `--endpoint-url`, `AWS_EC2_METADATA_SERVICE_ENDPOINT`,
 * `AWS_CONTAINER_CREDENTIALS_FULL_URI`, `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_SSO`,
 * `AWS_ENDPOINT_URL_SSO_OIDC` and `AWS_ENDPOINT_URL_SIGNIN` (the SDK honours these service-specific
 * endpoint variables for its nested credential clients).
 *
 * Every credential source hands out its own access key id (see {@link FAKE_KEYS}), and every request
 * is recorded with the access key id of its SigV4 signature, so a test can prove which source
 * signed the WorkSpaces call.
 *
 * Routes:
 * - IMDSv2: `PUT /latest/api/token`, `GET /latest/meta-data/iam/security-credentials/[role]`
 * - ECS/EKS container credentials: `GET /creds`
 * - SSO portal: `GET /federation/credentials` (GetRoleCredentials); SSO OIDC: `POST /token` (CreateToken)
 * - Sign-in (`aws login` sessions): `POST /v1/token` (CreateOAuth2Token, refresh); `AWS_ENDPOINT_URL_SIGNIN`
 * - STS (awsQuery, form-encoded): `AssumeRole`, `AssumeRoleWithWebIdentity`
 * - anything else that is a JSON RPC call (`X-Amz-Target`): `{"Workspaces":[]}`
 */

/** The access key id each fake credential source returns. */
export const FAKE_KEYS = {
  imds: "ASIAFAKEIMDS00000001",
  ecs: "ASIAFAKEECS000000001",
  assumeRole: "ASIAFAKEASSUMEROLE01",
  webIdentity: "ASIAFAKEWEBIDENTITY1",
  sso: "ASIAFAKESSO000000001",
  login: "ASIAFAKELOGIN0000001",
} as const;

/** The IMDS session token the fake issues and expects back. */
export const FAKE_IMDS_TOKEN = "fake-imds-session-token";
/** The instance profile role name IMDS reports. */
export const FAKE_IMDS_ROLE = "fake-instance-role";
/** The access token a successful SSO OIDC refresh returns. */
export const FAKE_REFRESHED_SSO_TOKEN = "fake-refreshed-sso-access-token";

/** One request the fake answered. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** `X-Amz-Target` (JSON protocols) or the form `Action` (awsQuery), or "" */
  readonly operation: string;
  /** Access key id from the SigV4 `Authorization` header, or "" when unsigned. */
  readonly accessKeyId: string;
  /** Selected request headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Request body as text (form or JSON), for assertions on parameters. */
  readonly body: string;
}

/** A running fake; close it in a `finally`. */
export interface FakeAws {
  /** Base URL, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Requests in arrival order. */
  readonly requests: RecordedRequest[];
  /** Stops the listener and waits for in-flight requests. */
  close(): Promise<void>;
}

const KEPT_HEADERS = [
  "authorization",
  "x-aws-ec2-metadata-token",
  "x-aws-ec2-metadata-token-ttl-seconds",
  "x-amz-sso_bearer_token",
  "dpop",
  "x-amz-target",
  "content-type",
  "user-agent",
  "x-amz-user-agent",
];

const SECRET = "fakeSecretAccessKey0000000000000000000000";
const XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";

function expiresIn(ms: number): Date {
  return new Date(Date.now() + ms);
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function amzJson(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/x-amz-json-1.1" } });
}

function xml(body: string, status = 200): Response {
  return new Response(body, { status, headers: { "content-type": "text/xml" } });
}

function stsCredentialsXml(action: string, accessKeyId: string, extra = ""): string {
  return `<${action}Response xmlns="${XMLNS}">
  <${action}Result>${extra}
    <AssumedRoleUser>
      <AssumedRoleId>AROAFAKEROLE:fake-session</AssumedRoleId>
      <Arn>arn:aws:sts::123456789012:assumed-role/FakeRole/fake-session</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${accessKeyId}</AccessKeyId>
      <SecretAccessKey>${SECRET}</SecretAccessKey>
      <SessionToken>fake-session-token-${accessKeyId}</SessionToken>
      <Expiration>${expiresIn(3_600_000).toISOString()}</Expiration>
    </Credentials>
  </${action}Result>
  <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>
</${action}Response>`;
}

function stsError(code: string, message: string): Response {
  return xml(
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error>` +
      `<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>`,
    400,
  );
}

function accessKeyOf(authorization: string | null): string {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? "")?.[1] ?? "";
}

async function answer(req: Request, record: (r: RecordedRequest) => void): Promise<Response> {
  const url = new URL(req.url);
  const body = req.method === "GET" || req.method === "HEAD" ? "" : await req.text();
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = req.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const target = req.headers.get("x-amz-target") ?? "";
  const form = headers["content-type"]?.startsWith("application/x-www-form-urlencoded")
    ? new URLSearchParams(body)
    : undefined;
  const operation = target || form?.get("Action") || "";
  record({
    method: req.method,
    path: url.pathname,
    operation,
    accessKeyId: accessKeyOf(headers.authorization),
    headers,
    body,
  });

  // IMDSv2
  if (url.pathname === "/latest/api/token" && req.method === "PUT") {
    return new Response(FAKE_IMDS_TOKEN, { headers: { "x-aws-ec2-metadata-token-ttl-seconds": "21600" } });
  }
  if (url.pathname.startsWith("/latest/meta-data/iam/security-credentials")) {
    if (req.headers.get("x-aws-ec2-metadata-token") !== FAKE_IMDS_TOKEN) return new Response("", { status: 401 });
    const role = url.pathname.slice("/latest/meta-data/iam/security-credentials".length).replace(/^\/|\/$/g, "");
    if (!role) return new Response(FAKE_IMDS_ROLE);
    if (role !== FAKE_IMDS_ROLE) return new Response("", { status: 404 });
    return json({
      Code: "Success",
      LastUpdated: new Date().toISOString(),
      Type: "AWS-HMAC",
      AccessKeyId: FAKE_KEYS.imds,
      SecretAccessKey: SECRET,
      Token: "fake-imds-credentials-token",
      Expiration: expiresIn(3_600_000).toISOString(),
    });
  }
  // ECS / EKS Pod Identity container credentials
  if (url.pathname === "/creds") {
    return json({
      AccessKeyId: FAKE_KEYS.ecs,
      SecretAccessKey: SECRET,
      Token: "fake-container-credentials-token",
      Expiration: expiresIn(3_600_000).toISOString(),
    });
  }
  // SSO portal GetRoleCredentials (restJson)
  if (url.pathname === "/federation/credentials" && req.method === "GET") {
    if (!req.headers.get("x-amz-sso_bearer_token")) {
      return json({ message: "Session token not found or invalid" }, 401);
    }
    return json({
      roleCredentials: {
        accessKeyId: FAKE_KEYS.sso,
        secretAccessKey: SECRET,
        sessionToken: "fake-sso-role-session-token",
        expiration: expiresIn(3_600_000).getTime(),
      },
    });
  }
  // SSO OIDC CreateToken (refresh_token grant)
  if (url.pathname === "/token" && req.method === "POST") {
    const input = JSON.parse(body || "{}") as { grantType?: string; refreshToken?: string };
    if (input.grantType !== "refresh_token" || !input.refreshToken) {
      return json({ error: "invalid_grant", error_description: "fake: expected a refresh_token grant" }, 400);
    }
    return json({
      accessToken: FAKE_REFRESHED_SSO_TOKEN,
      expiresIn: 3600,
      tokenType: "Bearer",
      refreshToken: "fake-rotated-refresh-token",
    });
  }
  // Sign-in CreateOAuth2Token (refresh of an `aws login` session; restJson, DPoP header)
  if (url.pathname === "/v1/token" && req.method === "POST") {
    const input = JSON.parse(body || "{}") as { grantType?: string; refreshToken?: string };
    if (input.grantType !== "refresh_token" || !input.refreshToken || !req.headers.get("dpop")) {
      return json({ error: "invalid_request", message: "fake: expected a DPoP-signed refresh_token grant" }, 400);
    }
    return json({
      accessToken: {
        accessKeyId: FAKE_KEYS.login,
        secretAccessKey: SECRET,
        sessionToken: "fake-login-session-token",
      },
      tokenType: "aws_sigv4",
      expiresIn: 900,
      refreshToken: "fake-rotated-login-refresh-token",
    });
  }
  // STS (awsQuery)
  if (form) {
    const action = form.get("Action") ?? "";
    if (action === "AssumeRole") return xml(stsCredentialsXml(action, FAKE_KEYS.assumeRole));
    if (action === "AssumeRoleWithWebIdentity") {
      const extra = `
    <SubjectFromWebIdentityToken>fake-subject</SubjectFromWebIdentityToken>
    <Audience>sts.amazonaws.com</Audience>
    <Provider>fake-oidc-provider</Provider>`;
      return xml(stsCredentialsXml(action, FAKE_KEYS.webIdentity, extra));
    }
    return stsError("InvalidAction", `fake STS does not implement ${action}`);
  }
  // Any JSON RPC call (WorkSpaces DescribeWorkspaces and friends)
  if (target) return amzJson({ Workspaces: [] });
  return json({ message: `fake AWS: no route for ${req.method} ${url.pathname}` }, 404);
}

/**
 * Starts the fake on 127.0.0.1 with an ephemeral port.
 *
 * @example
 * ```ts
 * const fake = startFakeAws();
 * try {
 *   // run the SDK with --endpoint-url fake.url …
 * } finally {
 *   await fake.close();
 * }
 * ```
 */
export function startFakeAws(): FakeAws {
  const requests: RecordedRequest[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => answer(req, (r) => requests.push(r)),
  );
  const port = server.addr.port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => server.shutdown(),
  };
}
