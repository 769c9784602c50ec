import assert from "node:assert/strict";
import { Simulator } from "../../../src/sim/mod.ts";
import { connect, scenario } from "../../support/harness.ts";

type Finding = { severity: string; title: string; detail: string; recommendation: string; resource_id: string | null };
type Err = {
  service: string;
  api: string;
  operation: string;
  region: string;
  code: string;
  message: string;
  hint: string;
};

const P1 = "11111111-2222-4333-8444-555555555555";
const P2 = "22222222-2222-4333-8444-555555555555";
const arn = (id: string, region = "us-east-1") => `arn:aws:workspaces-web:${region}:123456789012:portal/${id}`;

Deno.test("portal details: every attached settings object, summarised", async () => {
  const manyUrls = Array.from({ length: 25 }, (_, i) => `https://app${i}.example.com`);
  const estate = scenario().portal(P1, {
    displayName: "Partner Portal",
    authType: "Standard",
    web: {
      userSettings: { paste: true, download: false, disconnectMinutes: 30, idleMinutes: 10 },
      ipRanges: ["203.0.113.0/24", "2001:db8:1200::/48"],
      browserPolicy: {
        chromePolicies: {
          URLAllowlist: { value: ["https://a.example.com"] },
          URLWhitelist: { value: ["https://legacy.example.com"] },
          URLBlacklist: { value: ["*"] },
          ExtensionInstallForcelist: { value: manyUrls },
          HomepageLocation: { value: "https://intranet.example.com/" + "x".repeat(300) },
          IncognitoModeAvailability: { value: 1 },
        },
      },
      dataProtection: {
        builtInPatterns: ["CreditCardNumber"],
        customPatterns: [{
          name: "EmpId",
          regex: "/E\\d{6}/",
          description: "Employee ids",
          keywordRegex: "/employee/i",
        }],
        confidenceLevel: 3,
        enforcedUrls: ["https://hr.example.com"],
      },
      identityProviders: [{ name: "okta", type: "SAML" }],
      sessionLogger: true,
    },
  }).build();
  const h = await connect(estate);
  try {
    const { body, result } = await h.call("get_secure_browser_portal_details", { portal_arn: arn(P1) });
    assert.ok(!result.isError, JSON.stringify(body));
    assert.equal(body.portal_arn, arn(P1));
    assert.equal(body.display_name, "Partner Portal");
    assert.equal(body.authentication_type, "Standard");
    assert.equal(body.status, "Active");
    assert.deepEqual(body.user_settings, {
      copyAllowed: "Disabled",
      pasteAllowed: "Enabled",
      downloadAllowed: "Disabled",
      uploadAllowed: "Disabled",
      printAllowed: "Disabled",
      deepLinkAllowed: "Disabled",
      webAuthnAllowed: "Disabled",
      disconnectTimeoutInMinutes: 30,
      idleDisconnectTimeoutInMinutes: 10,
    });
    const network = body.network as { vpcId: string; subnetIds: string[]; securityGroupIds: string[] };
    assert.match(network.vpcId, /^vpc-/);
    assert.equal(network.subnetIds.length, 2);
    assert.equal(body.has_browser_policy, true);
    const policy = body.browser_policy as {
      policy_count: number;
      policy_names: string[];
      url_allowlist: string[];
      url_blocklist: string[];
      policies: Record<string, unknown>;
    };
    assert.equal(policy.policy_count, 6);
    assert.deepEqual(policy.url_allowlist, ["https://a.example.com", "https://legacy.example.com"]);
    assert.deepEqual(policy.url_blocklist, ["*"]);
    const forced = policy.policies.ExtensionInstallForcelist as string[];
    assert.equal(forced.length, 21);
    assert.equal(forced[20], "... (+5 more)");
    assert.ok((policy.policies.HomepageLocation as string).length <= 201);
    assert.equal(policy.policies.IncognitoModeAvailability, 1);
    assert.deepEqual(body.ip_access, {
      allowed_ranges: ["203.0.113.0/24", "2001:db8:1200::/48"],
      display_name: "Partner Portal allowed networks",
    });
    assert.equal(body.has_session_logging, true);
    assert.deepEqual(body.identity_providers, [{ name: "okta", type: "SAML" }]);
    assert.equal(body.has_data_protection, true);
    assert.deepEqual(body.data_protection, {
      builtin_pattern_ids: ["CreditCardNumber"],
      custom_patterns: [{ name: "EmpId", description: "Employee ids", keyword_regex: "/employee/i" }],
      pattern_count: 2,
      global_confidence_level: 3,
      enforced_urls: ["https://hr.example.com"],
      exempt_urls: [],
    });
    assert.deepEqual(body.findings, []);
    assert.equal(body.status_assessment, "healthy");
    assert.deepEqual(body.errors, []);
  } finally {
    await h.close();
  }
});

Deno.test("portal details: an open portal is flagged for IP access, logging and data egress", async () => {
  const estate = scenario().portal(P1, {
    ipAccessSettings: false,
    logging: false,
    web: { userSettings: { copy: true, download: true } },
  }).build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("get_secure_browser_portal_details", { portal_arn: arn(P1) });
    const titles = (body.findings as Finding[]).map((f) => f.title);
    assert.ok(titles.includes("Secure Browser portal has no IP access restriction"));
    assert.ok(titles.includes("Secure Browser portal has no session logging"));
    assert.ok(titles.includes("Secure Browser user settings allow data egress (copy, download)"));
    assert.equal(body.ip_access, null);
    assert.equal(body.has_session_logging, false);
    assert.equal(body.status_assessment, "degraded");
    assert.equal(h.sim.count("workspaces-web", "GetIpAccessSettings"), 0, "nothing attached, nothing read");
    assert.equal(h.sim.count("workspaces-web", "GetDataProtectionSettings"), 0);
  } finally {
    await h.close();
  }
});

Deno.test("portal details: IP access settings allowing 0.0.0.0/0 are critical", async () => {
  const h = await connect(scenario().portal(P1, { web: { ipRanges: ["0.0.0.0/0"] } }).build());
  try {
    const { body } = await h.call("get_secure_browser_portal_details", { portal_arn: arn(P1) });
    const f = body.findings as Finding[];
    assert.equal(f[0].severity, "critical");
    assert.equal(body.status_assessment, "unhealthy");
  } finally {
    await h.close();
  }
});

Deno.test("portal details: an Incomplete portal says so and reads only what is attached", async () => {
  const h = await connect(scenario().portal(P1, { status: "Incomplete", statusReason: "No network settings" }).build());
  try {
    const { body } = await h.call("get_secure_browser_portal_details", { portal_arn: arn(P1) });
    assert.equal(body.user_settings, null);
    assert.equal(body.network, null);
    assert.equal(body.has_browser_policy, false);
    assert.deepEqual(body.errors, []);
    assert.ok((body.findings as Finding[]).some((f) => f.title === "Portal is Incomplete"));
  } finally {
    await h.close();
  }
});

Deno.test("portal details: a bare id is resolved in the region; an ARN's region wins over the default", async () => {
  const estate = scenario().portal(P2).inRegion("eu-west-1").portal(P1, { displayName: "EU" }).build();
  const h = await connect(estate);
  try {
    const byId = await h.call("get_secure_browser_portal_details", { portal_arn: P1, region: "eu-west-1" });
    assert.equal(byId.body.portal_arn, arn(P1, "eu-west-1"));
    assert.equal(byId.body.display_name, "EU");
    const calls = h.sim.calls.length;
    const byArn = await h.call("get_secure_browser_portal_details", { portal_arn: arn(P1, "eu-west-1") });
    assert.equal(byArn.body.region, "eu-west-1");
    assert.ok(h.sim.calls.slice(calls).every((c) => c.region === "eu-west-1"), "every call goes to the ARN's region");
    assert.equal(h.sim.calls.slice(calls).filter((c) => c.operation === "ListPortals").length, 0);
  } finally {
    await h.close();
  }
});

Deno.test("portal details: a portal that does not exist is NotFound with a next step", async () => {
  const h = await connect(scenario().portal(P1).build());
  try {
    for (const portal_arn of [arn(P2), P2]) {
      const { body, result } = await h.call("get_secure_browser_portal_details", { portal_arn });
      assert.equal(result.isError, true);
      const error = body.error as { code: string; message: string; hint: string };
      assert.equal(error.code, "NotFound");
      assert.match(error.message, new RegExp(P2));
      assert.match(error.hint, /generate_inventory_report|portal ARN/);
    }
  } finally {
    await h.close();
  }
});

Deno.test("portal details: an invalid portal id or ARN is refused with zero AWS calls", async () => {
  const h = await connect(scenario().portal(P1).build());
  try {
    for (
      const portal_arn of [
        "portal-1",
        "arn:aws:workspaces:us-east-1:123456789012:portal/" + P1,
        `arn:aws:workspaces-web:us-east-1:123456789012:portal/${P1}/extra`,
        `${P1}' OR 1=1`,
        "",
      ]
    ) {
      const { result } = await h.call("get_secure_browser_portal_details", { portal_arn });
      assert.equal(result.isError, true, portal_arn);
    }
    assert.equal(h.sim.calls.length, 0);
  } finally {
    await h.close();
  }
});

Deno.test("portal details: GetUserSettings denied — the rest answers and the error names the action and tier", async () => {
  const sim = new Simulator(scenario().portal(P1, { ipAccessSettings: false }).build());
  sim.inject({ kind: "access-denied", service: "workspaces-web", operation: "GetUserSettings" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("get_secure_browser_portal_details", { portal_arn: arn(P1) });
    assert.ok(!result.isError);
    assert.equal(body.user_settings, null);
    assert.ok(body.network, "network settings still read");
    assert.ok((body.findings as Finding[]).some((f) => /IP access/.test(f.title)));
    const errors = body.errors as Err[];
    assert.equal(errors.length, 1);
    assert.equal(`${errors[0].api}:${errors[0].operation}`, "workspaces-web:GetUserSettings");
    assert.equal(errors[0].service, "Amazon WorkSpaces Secure Browser");
    assert.match(errors[0].hint, /workspaces-web:GetUserSettings.*tier0-diagnostics/);
  } finally {
    await h.close();
  }
});

Deno.test("portal details: GetPortal throttled once still answers", async () => {
  const sim = new Simulator(scenario().portal(P1).build());
  sim.inject({ kind: "throttle", service: "workspaces-web", operation: "GetPortal", times: 1 });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("get_secure_browser_portal_details", { portal_arn: arn(P1) });
    assert.ok(!result.isError);
    assert.equal(body.status, "Active");
    assert.equal(h.sim.count("workspaces-web", "GetPortal"), 2);
  } finally {
    await h.close();
  }
});
