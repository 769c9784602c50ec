/**
 * Every AWS credential source the server supports, run under THE production permission flags.
 *
 * The flags are read from `deno.json` `tasks.start` (the `--allow-*` items), so they stay defined once.
 * Each test spawns `deno run <those flags> tests/e2e/sdk_probe.ts …` with a temp HOME, a cleared
 * environment plus the variables of one credential source, and a loopback fake of AWS
 * (`fake_aws.ts`). The probe makes one WorkSpaces `DescribeWorkspaces` through `src/aws/clients.ts`;
 * the fake records which access key signed it, which proves the source really was used.
 *
 * Nothing leaves 127.0.0.1: IMDS is disabled (or pointed at the fake), and the SDK's nested STS, SSO,
 * SSO OIDC and Sign-in clients are pointed at the fake with `AWS_ENDPOINT_URL_<SERVICE>`.
 *
 * Test permissions: --allow-read --allow-env --allow-net=127.0.0.1 --allow-run (Deno.execPath()), plus --allow-write
 * for the temp HOME directories.
 */
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  FAKE_IMDS_ROLE,
  FAKE_IMDS_TOKEN,
  FAKE_KEYS,
  FAKE_REFRESHED_SSO_TOKEN,
  type FakeAws,
  type RecordedRequest,
  startFakeAws,
} from "./fake_aws.ts";
import { DENO_DIR, MAIN, PROD_FLAGS, ROOT } from "./prod_flags.ts";

const PROBE = fileURLToPath(new URL("./sdk_probe.ts", import.meta.url));

/** The server's permission flags: the `--allow-*` items of `deno.json` `tasks.start`. */
const SERVER_FLAGS = PROD_FLAGS;

/** The values of one `--allow-NAME=a,b` flag in SERVER_FLAGS; `["*"]` when granted without a list. */
function flagValues(flags: readonly string[], name: string): string[] {
  const flag = flags.find((f) => f === `--allow-${name}` || f.startsWith(`--allow-${name}=`));
  if (!flag) return [];
  return flag.includes("=") ? flag.slice(flag.indexOf("=") + 1).split(",") : ["*"];
}

/** SERVER_FLAGS with one flag's value list replaced (for "what if" runs). */
function withFlag(name: string, values: readonly string[]): string[] {
  const rest = SERVER_FLAGS.filter((f) => f !== `--allow-${name}` && !f.startsWith(`--allow-${name}=`));
  return values.length ? [...rest, `--allow-${name}=${values.join(",")}`] : rest;
}

const ISO_IN = (ms: number) => new Date(Date.now() + ms).toISOString().replace(/\.\d{3}Z$/, "Z");

interface ProbeRun {
  code: number;
  stdout: string;
  stderr: string;
  /** `"ok"`, or the classified error the probe printed. */
  result: "ok" | Record<string, string>;
}

/** The environment every child gets: nothing from this process but the Deno cache. */
function baseEnv(home: string, fake: FakeAws): Record<string, string> {
  const env: Record<string, string> = {
    HOME: home,
    DENO_DIR,
    DENO_NO_UPDATE_CHECK: "1",
    NO_COLOR: "1",
    // Never let the chain fall through to the real instance metadata service.
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_EC2_METADATA_SERVICE_ENDPOINT: fake.url,
    // The SDK's nested credential clients honour service-specific endpoint variables.
    AWS_ENDPOINT_URL_STS: fake.url,
    AWS_ENDPOINT_URL_SSO: fake.url,
    AWS_ENDPOINT_URL_SSO_OIDC: fake.url,
    AWS_ENDPOINT_URL_SIGNIN: fake.url,
  };
  const systemRoot = Deno.build.os === "windows" ? Deno.env.get("SYSTEMROOT") : undefined;
  if (systemRoot) env.SYSTEMROOT = systemRoot;
  return env;
}

async function runDeno(
  args: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 90_000);
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args,
      cwd: ROOT,
      env,
      clearEnv: true,
      stdin: stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
      signal: abort.signal,
    }).spawn();
    if (stdin !== undefined) {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(stdin));
      await writer.close();
    }
    const out = await child.output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the probe under `flags` (default: the server's) with the base env plus `env`. */
async function probe(
  home: string,
  fake: FakeAws,
  opts: { env?: Record<string, string>; args?: string[]; flags?: readonly string[]; endpoint?: string } = {},
): Promise<ProbeRun> {
  const args = ["run", "--no-prompt", ...(opts.flags ?? SERVER_FLAGS), PROBE];
  args.push("--endpoint-url", opts.endpoint ?? fake.url, ...(opts.args ?? []));
  const run = await runDeno(args, { ...baseEnv(home, fake), ...opts.env });
  const lines = run.stdout.trim().split("\n");
  const last = lines.at(-1) ?? "";
  let result: ProbeRun["result"];
  if (last === "ok") result = "ok";
  else {
    try {
      result = JSON.parse(last);
    } catch {
      result = { code: "NoOutput", message: last };
    }
  }
  return { ...run, result };
}

/** Asserts the probe succeeded, its output was one line, and no raw permission error leaked. */
function assertOk(run: ProbeRun): void {
  assert.equal(run.result, "ok", `probe failed (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  assert.equal(run.code, 0);
  assert.doesNotMatch(run.stderr, /NotCapable|PermissionDenied/);
}

/** Asserts a clean, classified failure: exit 1, one JSON line with code/message/hint, no raw stack. */
function assertClassified(run: ProbeRun): Record<string, string> {
  assert.equal(run.code, 1, `expected a classified failure:\n${run.stdout}\n${run.stderr}`);
  assert.notEqual(run.result, "ok");
  const info = run.result as Record<string, string>;
  assert.equal(run.stdout.trim().split("\n").length, 1, run.stdout);
  assert.ok(info.code && info.code !== "Unclassified" && info.code !== "NoOutput", JSON.stringify(info));
  assert.ok(info.message && info.hint, JSON.stringify(info));
  assert.doesNotMatch(run.stderr, /NotCapable|PermissionDenied|^\s+at /m, run.stderr);
  return info;
}

/** The WorkSpaces calls the fake answered. */
function workspacesCalls(fake: FakeAws): RecordedRequest[] {
  return fake.requests.filter((r) => r.operation === "WorkspacesService.DescribeWorkspaces");
}

/** Asserts exactly one WorkSpaces call, signed with `accessKeyId` (and, if given, for `region`). */
function assertSignedBy(fake: FakeAws, accessKeyId: string, region?: string): void {
  const calls = workspacesCalls(fake);
  assert.equal(calls.length, 1, JSON.stringify(fake.requests.map((r) => [r.method, r.path, r.operation])));
  assert.equal(calls[0].accessKeyId, accessKeyId);
  if (region) assert.match(calls[0].headers.authorization, new RegExp(`/${region}/workspaces/aws4_request`));
}

/** A temp HOME and a running fake for one test; both are cleaned up afterwards. */
async function withHome(fn: (home: string, fake: FakeAws) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "euc-mcp-creds-" });
  const fake = startFakeAws();
  try {
    await fn(home, fake);
  } finally {
    await fake.close();
    await Deno.remove(home, { recursive: true });
  }
}

async function writeAws(home: string, file: string, text: string): Promise<string> {
  const path = join(home, ".aws", file);
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeTextFile(path, text);
  return path;
}

const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

const SSO_CONFIG = `[profile sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly
region = us-east-2

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`;

// ---------------------------------------------------------------------------------------------

Deno.test("permissions: the server flag set is scoped and grants no run, write, ffi or import", () => {
  assert.ok(SERVER_FLAGS.length >= 4, `flags parsed from deno.json: ${SERVER_FLAGS.join(" ")}`);
  for (const banned of ["run", "write", "ffi", "all", "import", "scripts"]) {
    assert.deepEqual(flagValues(SERVER_FLAGS, banned), [], `--allow-${banned} must not be granted`);
  }
  for (const scoped of ["net", "env", "sys"]) {
    const values = flagValues(SERVER_FLAGS, scoped);
    assert.ok(values.length > 0 && !values.includes("*"), `--allow-${scoped} must be a list: ${values}`);
  }
});

Deno.test("credentials: static AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN", async () => {
  await withHome(async (home, fake) => {
    const run = await probe(home, fake, {
      env: { AWS_ACCESS_KEY_ID: "AKIASTATICENVKEYS001", AWS_SECRET_ACCESS_KEY: "x", AWS_SESSION_TOKEN: "t" },
      args: ["--region", "us-east-1"],
    });
    assertOk(run);
    assertSignedBy(fake, "AKIASTATICENVKEYS001", "us-east-1");
  });
});

Deno.test("credentials: --profile from ~/.aws/credentials, region from ~/.aws/config", async () => {
  await withHome(async (home, fake) => {
    await writeAws(home, "credentials", "[dev]\naws_access_key_id = AKIAPROFILECREDS0001\naws_secret_access_key = x\n");
    await writeAws(home, "config", "[profile dev]\nregion = eu-west-1\n");
    const run = await probe(home, fake, { args: ["--profile", "dev"] });
    assertOk(run);
    assertSignedBy(fake, "AKIAPROFILECREDS0001", "eu-west-1");
  });
});

Deno.test("credentials: AWS_PROFILE with keys in ~/.aws/config, and a custom AWS_CONFIG_FILE", async () => {
  await withHome(async (home, fake) => {
    const config =
      "[profile cfg]\naws_access_key_id = AKIACONFIGFILEKEYS01\naws_secret_access_key = x\nregion = us-west-2\n";
    await writeAws(home, "config", config);
    assertOk(await probe(home, fake, { env: { AWS_PROFILE: "cfg" } }));
    assertSignedBy(fake, "AKIACONFIGFILEKEYS01", "us-west-2");

    const custom = join(home, "elsewhere", "aws-config");
    await Deno.mkdir(join(home, "elsewhere"));
    await Deno.writeTextFile(custom, config.replace("AKIACONFIGFILEKEYS01", "AKIACUSTOMCONFIGKEY1"));
    fake.requests.length = 0;
    assertOk(await probe(home, fake, { env: { AWS_PROFILE: "cfg", AWS_CONFIG_FILE: custom } }));
    assertSignedBy(fake, "AKIACUSTOMCONFIGKEY1", "us-west-2");
  });
});

Deno.test("credentials: --assume-role-arn calls STS AssumeRole (awsQuery XML) on the endpoint", async () => {
  await withHome(async (home, fake) => {
    const run = await probe(home, fake, {
      env: { AWS_ACCESS_KEY_ID: "AKIABASEFORASSUME001", AWS_SECRET_ACCESS_KEY: "x" },
      args: ["--region", "us-east-1", "--assume-role-arn", "arn:aws:iam::123456789012:role/EucAdmin"],
    });
    assertOk(run);
    const sts = fake.requests.filter((r) => r.operation === "AssumeRole");
    assert.equal(sts.length, 1);
    assert.equal(sts[0].accessKeyId, "AKIABASEFORASSUME001");
    assert.match(sts[0].body, /RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FEucAdmin/);
    assertSignedBy(fake, FAKE_KEYS.assumeRole);
  });
});

Deno.test("credentials: profile with role_arn + source_profile (nested STS via AWS_ENDPOINT_URL_STS)", async () => {
  await withHome(async (home, fake) => {
    await writeAws(
      home,
      "credentials",
      "[base]\naws_access_key_id = AKIASOURCEPROFILE001\naws_secret_access_key = x\n",
    );
    await writeAws(
      home,
      "config",
      "[profile chained]\nrole_arn = arn:aws:iam::123456789012:role/Chained\nsource_profile = base\nregion = eu-central-1\n",
    );
    assertOk(await probe(home, fake, { args: ["--profile", "chained"] }));
    const sts = fake.requests.filter((r) => r.operation === "AssumeRole");
    assert.equal(sts.length, 1);
    assert.equal(sts[0].accessKeyId, "AKIASOURCEPROFILE001");
    assertSignedBy(fake, FAKE_KEYS.assumeRole, "eu-central-1");
  });
});

Deno.test("credentials: web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN → AssumeRoleWithWebIdentity)", async () => {
  await withHome(async (home, fake) => {
    const tokenFile = join(home, "web-identity-token");
    await Deno.writeTextFile(tokenFile, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJmYWtlIn0.");
    const run = await probe(home, fake, {
      env: {
        AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
        AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/Irsa",
        AWS_ROLE_SESSION_NAME: "probe",
        AWS_REGION: "us-east-1",
      },
    });
    assertOk(run);
    const sts = fake.requests.filter((r) => r.operation === "AssumeRoleWithWebIdentity");
    assert.equal(sts.length, 1);
    assert.match(sts[0].body, /WebIdentityToken=eyJhbGciOiJub25lIn0/);
    assertSignedBy(fake, FAKE_KEYS.webIdentity, "us-east-1");
  });
});

Deno.test("credentials: SSO sso-session profile with a cached token (GetRoleCredentials)", async () => {
  await withHome(async (home, fake) => {
    await writeAws(home, "config", SSO_CONFIG);
    await writeAws(
      home,
      `sso/cache/${sha1("corp")}.json`,
      JSON.stringify({ accessToken: "cached-sso-token", expiresAt: ISO_IN(3_600_000), region: "us-east-1" }),
    );
    assertOk(await probe(home, fake, { args: ["--profile", "sso"] }));
    const portal = fake.requests.filter((r) => r.path === "/federation/credentials");
    assert.equal(portal.length, 1);
    assert.equal(portal[0].headers["x-amz-sso_bearer_token"], "cached-sso-token");
    assertSignedBy(fake, FAKE_KEYS.sso, "us-east-2");
  });
});

Deno.test("credentials: legacy SSO profile (sso_start_url in the profile)", async () => {
  await withHome(async (home, fake) => {
    const startUrl = "https://legacy.awsapps.com/start";
    await writeAws(
      home,
      "config",
      `[profile legacy]\nsso_start_url = ${startUrl}\nsso_region = us-east-1\nsso_account_id = 123456789012\n` +
        "sso_role_name = ReadOnly\nregion = us-east-1\n",
    );
    await writeAws(
      home,
      `sso/cache/${sha1(startUrl)}.json`,
      JSON.stringify({ accessToken: "legacy-token", expiresAt: ISO_IN(3_600_000), region: "us-east-1", startUrl }),
    );
    assertOk(await probe(home, fake, { args: ["--profile", "legacy"] }));
    assertSignedBy(fake, FAKE_KEYS.sso, "us-east-1");
  });
});

Deno.test("credentials: SSO token refresh (OIDC CreateToken) works without --allow-write", async () => {
  await withHome(async (home, fake) => {
    await writeAws(home, "config", SSO_CONFIG);
    const cached = JSON.stringify({
      accessToken: "nearly-expired-token",
      expiresAt: ISO_IN(120_000), // inside the SDK's 5-minute refresh window
      region: "us-east-1",
      startUrl: "https://corp.awsapps.com/start",
      clientId: "fake-client-id",
      clientSecret: "fake-client-secret",
      registrationExpiresAt: ISO_IN(86_400_000),
      refreshToken: "fake-refresh-token",
    });
    const cacheFile = await writeAws(home, `sso/cache/${sha1("corp")}.json`, cached);
    assertOk(await probe(home, fake, { args: ["--profile", "sso"] }));
    const oidc = fake.requests.filter((r) => r.path === "/token");
    assert.equal(oidc.length, 1);
    assert.match(oidc[0].body, /"grantType":"refresh_token"/);
    const portal = fake.requests.filter((r) => r.path === "/federation/credentials");
    assert.equal(portal[0].headers["x-amz-sso_bearer_token"], FAKE_REFRESHED_SSO_TOKEN);
    assertSignedBy(fake, FAKE_KEYS.sso);
    // The SDK's write-back of the refreshed token is denied and ignored: the cache stays as it was.
    assert.equal(await Deno.readTextFile(cacheFile), cached);
  });
});

Deno.test("credentials: an expired SSO token is a clean ExpiredCredentials error", async () => {
  await withHome(async (home, fake) => {
    await writeAws(home, "config", SSO_CONFIG);
    await writeAws(
      home,
      `sso/cache/${sha1("corp")}.json`,
      JSON.stringify({ accessToken: "expired", expiresAt: ISO_IN(-60_000), region: "us-east-1" }),
    );
    const info = assertClassified(await probe(home, fake, { args: ["--profile", "sso"] }));
    assert.equal(info.code, "ExpiredCredentials");
    assert.match(info.hint, /aws sso login --profile sso/);
    assert.equal(workspacesCalls(fake).length, 0);
  });
});

Deno.test("credentials: ECS/EKS container credentials (FULL_URI on loopback + authorization token)", async () => {
  await withHome(async (home, fake) => {
    const run = await probe(home, fake, {
      env: {
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `${fake.url}/creds`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: "ecs-auth-token",
        AWS_REGION: "us-east-1",
      },
    });
    assertOk(run);
    const creds = fake.requests.filter((r) => r.path === "/creds");
    assert.equal(creds.length, 1);
    assert.equal(creds[0].headers.authorization, "ecs-auth-token");
    assertSignedBy(fake, FAKE_KEYS.ecs);
  });
});

Deno.test("credentials: EKS Pod Identity style AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", async () => {
  await withHome(async (home, fake) => {
    const tokenFile = join(home, "eks-pod-identity-token");
    await Deno.writeTextFile(tokenFile, "token-from-file");
    const run = await probe(home, fake, {
      env: {
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `${fake.url}/creds`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile,
        AWS_REGION: "us-east-1",
      },
    });
    assertOk(run);
    const creds = fake.requests.filter((r) => r.path === "/creds");
    assert.equal(creds[0].headers.authorization, "token-from-file");
    assertSignedBy(fake, FAKE_KEYS.ecs);
  });
});

Deno.test("credentials: EC2 instance role over IMDSv2 (AWS_EC2_METADATA_SERVICE_ENDPOINT on loopback)", async () => {
  await withHome(async (home, fake) => {
    const run = await probe(home, fake, { env: { AWS_EC2_METADATA_DISABLED: "false", AWS_REGION: "us-east-1" } });
    assertOk(run);
    const paths = fake.requests.filter((r) => r.path.startsWith("/latest/")).map((r) => `${r.method} ${r.path}`);
    assert.ok(paths.includes("PUT /latest/api/token"), paths.join(", "));
    assert.ok(paths.includes(`GET /latest/meta-data/iam/security-credentials/${FAKE_IMDS_ROLE}`), paths.join(", "));
    const credsCall = fake.requests.find((r) => r.path.endsWith(FAKE_IMDS_ROLE));
    assert.equal(credsCall?.headers["x-aws-ec2-metadata-token"], FAKE_IMDS_TOKEN);
    assertSignedBy(fake, FAKE_KEYS.imds);
  });
});

Deno.test("credentials: credential_process is refused cleanly (needs --allow-run, not granted)", async () => {
  await withHome(async (home, fake) => {
    const marker = join(home, "credential-process-ran");
    await writeAws(
      home,
      "config",
      `[profile helper]\ncredential_process = /bin/sh -c "touch '${marker}'"\nregion = us-east-1\n`,
    );
    const info = assertClassified(await probe(home, fake, { args: ["--profile", "helper"] }));
    assert.equal(info.code, "NoCredentials");
    assert.match(info.message, /--allow-run/);
    assert.match(info.message + info.hint, /credential_process/);
    await assert.rejects(Deno.stat(marker), Deno.errors.NotFound);
    assert.equal(workspacesCalls(fake).length, 0);
  });
});

/** An `aws login` (login_session) profile with its token cache; returns the token file path. */
async function writeLoginProfile(home: string, expiresInMs: number): Promise<string> {
  const session = "arn:aws:iam::123456789012:user/console-user";
  await writeAws(home, "config", `[profile console]\nlogin_session = ${session}\nregion = us-east-1\n`);
  const { privateKey } = generateKeyPairSync("ec", {
    namedCurve: "prime256v1",
    privateKeyEncoding: { type: "sec1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return await writeAws(
    home,
    `login/cache/${sha256(session)}.json`,
    JSON.stringify({
      accessToken: {
        accessKeyId: "ASIALOGINCACHED00001",
        secretAccessKey: "x",
        sessionToken: "t",
        accountId: "123456789012",
        expiresAt: ISO_IN(expiresInMs),
      },
      tokenType: "aws_sigv4",
      clientId: "arn:aws:signin:::devtools/same-device",
      refreshToken: "fake-login-refresh-token",
      dpopKey: privateKey,
    }),
  );
}

Deno.test("credentials: `aws login` sessions need --allow-sys=homedir (else one clean line)", async () => {
  await withHome(async (home, fake) => {
    await writeLoginProfile(home, 3_600_000);
    const run = await probe(home, fake, { args: ["--profile", "console"] });
    if (flagValues(SERVER_FLAGS, "sys").includes("homedir")) {
      assertOk(run);
      assertSignedBy(fake, "ASIALOGINCACHED00001");
    } else {
      const info = assertClassified(run);
      assert.match(info.message, /--allow-sys does not include homedir/);
      assert.equal(workspacesCalls(fake).length, 0);
    }
  });
});

Deno.test("credentials: what `aws login` would need: homedir, and write access for its 15-minute refresh", async () => {
  await withHome(async (home, fake) => {
    const tokenFile = await writeLoginProfile(home, -60_000); // expired: must refresh
    const sys = withFlag("sys", [...flagValues(SERVER_FLAGS, "sys"), "homedir"]);
    const denied = assertClassified(await probe(home, fake, { args: ["--profile", "console"], flags: sys }));
    assert.match(denied.message, /--allow-write/);

    fake.requests.length = 0;
    const write = [...sys, `--allow-write=${join(home, ".aws", "login", "cache")}`];
    assertOk(await probe(home, fake, { args: ["--profile", "console"], flags: write }));
    assert.ok(fake.requests.some((r) => r.path === "/v1/token" && r.headers.dpop));
    assertSignedBy(fake, FAKE_KEYS.login);
    assert.match(await Deno.readTextFile(tokenFile), /fake-rotated-login-refresh-token/);
  });
});

Deno.test("permissions: minimal: every --allow-env and --allow-sys entry is needed by a plain call", async () => {
  await withHome(async (home, fake) => {
    const env = { AWS_ACCESS_KEY_ID: "AKIASTATICENVKEYS001", AWS_SECRET_ACCESS_KEY: "x" };
    // Needed only when neither HOME nor USERPROFILE is set (see the HOME test below), if ever granted.
    const onlyWithoutHome = ["uid", "homedir"];
    // Read by the launch-flag parser (the Python server's variables), not by the SDK: stdio_test covers them.
    const readByConfig = ["FASTMCP_LOG_LEVEL", "EUC_MCP_LOG_LEVEL", "WORKSPACES_EUC_SSO_AUTO_LOGIN"];
    for (const kind of ["env", "sys"]) {
      const values = flagValues(SERVER_FLAGS, kind);
      for (const dropped of values.filter((v) => !onlyWithoutHome.includes(v) && !readByConfig.includes(v))) {
        const flags = withFlag(kind, values.filter((v) => v !== dropped));
        const info = assertClassified(await probe(home, fake, { env, args: ["--region", "us-east-1"], flags }));
        const name = dropped.endsWith("*") ? `${dropped.slice(0, -1)}\\w+` : dropped;
        assert.match(info.message, new RegExp(`--allow-${kind} does not include ${name}$`), `without ${dropped}`);
      }
    }
    assert.equal(workspacesCalls(fake).length, 0);
  });
});

Deno.test("permissions: without --allow-read the SDK silently skips ~/.aws (so it is needed for profiles)", async () => {
  await withHome(async (home, fake) => {
    await writeAws(home, "credentials", "[dev]\naws_access_key_id = AKIAPROFILECREDS0001\naws_secret_access_key = x\n");
    const flags = SERVER_FLAGS.filter((f) => f !== "--allow-read" && !f.startsWith("--allow-read="));
    const info = assertClassified(
      await probe(home, fake, { args: ["--profile", "dev", "--region", "us-east-1"], flags }),
    );
    assert.equal(info.code, "NoCredentials");
    assert.equal(workspacesCalls(fake).length, 0);
  });
});

Deno.test("permissions: an endpoint outside --allow-net is one clear line naming the flag and host", async () => {
  await withHome(async (home, fake) => {
    const net = withFlag("net", flagValues(SERVER_FLAGS, "net").filter((h) => h !== "127.0.0.1" && h !== "localhost"));
    const env = { AWS_ACCESS_KEY_ID: "AKIASTATICENVKEYS001", AWS_SECRET_ACCESS_KEY: "x" };
    // An IP literal fails in Deno's permission check, a host name in node:dns ("getaddrinfo EPERM").
    for (const endpoint of [fake.url, `http://localhost:${fake.port}`]) {
      const info = assertClassified(
        await probe(home, fake, { env, args: ["--region", "us-east-1"], flags: net, endpoint }),
      );
      assert.equal(info.code, "EndpointUnreachable", JSON.stringify(info));
      assert.match(info.message, /--allow-net does not include (127\.0\.0\.1|localhost)/);
    }
    assert.equal(fake.requests.length, 0);
  });
});

Deno.test("permissions: without HOME/USERPROFILE the SDK needs --allow-sys=uid,homedir (clean error)", async () => {
  await withHome(async (home, fake) => {
    const env = { ...baseEnv(home, fake), AWS_ACCESS_KEY_ID: "AKIASTATICENVKEYS001", AWS_SECRET_ACCESS_KEY: "x" };
    delete (env as Record<string, string | undefined>).HOME;
    const args = ["run", "--no-prompt", ...SERVER_FLAGS, PROBE, "--endpoint-url", fake.url, "--region", "us-east-1"];
    const run = await runDeno(args, env);
    const sys = flagValues(SERVER_FLAGS, "sys");
    if (sys.includes("uid") && sys.includes("homedir")) {
      assert.equal(run.stdout.trim(), "ok", run.stdout + run.stderr);
    } else {
      const info = JSON.parse(run.stdout.trim()) as Record<string, string>;
      assert.match(info.message, /--allow-sys does not include (uid|homedir)/);
      assert.doesNotMatch(run.stderr, /NotCapable/);
    }
  });
});

Deno.test("permissions: every service endpoint host (commercial, GovCloud, China; FIPS, dual-stack) is admitted", async () => {
  const fake = startFakeAws(); // only for baseEnv; nothing is sent
  const home = await Deno.makeTempDir({ prefix: "euc-mcp-creds-" });
  try {
    const regions = "us-east-1,eu-west-1,ap-southeast-2,us-gov-west-1,cn-north-1,cn-northwest-1";
    const run = await runDeno(["run", "--no-prompt", ...SERVER_FLAGS, PROBE, "--resolve-endpoints", regions], {
      ...baseEnv(home, fake),
    });
    assert.equal(run.code, 0, run.stderr);
    const rows = JSON.parse(run.stdout) as {
      service: string;
      region: string;
      variant: string;
      host: string;
      state: string;
    }[];
    assert.ok(rows.length >= 8 * 6, `resolved ${rows.length} endpoints`);
    const refused = rows.filter((r) => r.state !== "granted").map((r) =>
      `${r.service} ${r.region} ${r.variant}: ${r.host}`
    );
    assert.deepEqual(refused, [], `--allow-net refuses:\n${refused.join("\n")}`);

    const hosts = {
      "workspaces.cn-north-1.amazonaws.com.cn": "granted",
      "workspaces.cn-north-1.amazonaws.com.cn:443": "granted",
      "sts.cn-northwest-1.amazonaws.com.cn": "granted",
      "portal.sso.cn-north-1.amazonaws.com.cn": "granted",
      "sts.amazonaws.com": "granted",
      "portal.sso.eu-west-1.amazonaws.com": "granted",
      "oidc.eu-west-1.amazonaws.com": "granted",
      "169.254.169.254:80": "granted",
      "169.254.170.2:80": "granted",
      "169.254.170.23:80": "granted",
      "127.0.0.1:4566": "granted",
      "localhost:4566": "granted",
      "amazonaws.com.example.org": "prompt",
      "notamazonaws.com": "prompt",
      "example.org": "prompt",
    };
    const q = await runDeno(
      ["run", "--no-prompt", ...SERVER_FLAGS, PROBE, "--query-net", Object.keys(hosts).join(",")],
      {
        ...baseEnv(home, fake),
      },
    );
    assert.deepEqual(JSON.parse(q.stdout), hosts);
  } finally {
    await fake.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("permissions: main.ts --help and an MCP initialize over stdio need nothing more", async () => {
  await withHome(async (home, fake) => {
    const env = baseEnv(home, fake);
    const help = await runDeno(["run", "--no-prompt", ...SERVER_FLAGS, MAIN, "--help"], env);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^workspaces-euc-mcp /);

    const initialize = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "credentials-test", version: "0" },
      },
    };
    const serve = await runDeno(
      ["run", "--no-prompt", ...SERVER_FLAGS, MAIN, "--region", "us-east-1", "--endpoint-url", fake.url],
      env,
      JSON.stringify(initialize) + "\n",
    );
    assert.equal(serve.code, 0, serve.stderr);
    assert.doesNotMatch(serve.stderr, /NotCapable|PermissionDenied/);
    const reply = JSON.parse(serve.stdout.trim().split("\n")[0]) as {
      id: number;
      result?: { serverInfo?: { name: string } };
    };
    assert.equal(reply.id, 1);
    assert.equal(reply.result?.serverInfo?.name, "workspaces-euc-mcp");
    assert.equal(fake.requests.length, 0);
  });
});
