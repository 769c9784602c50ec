import assert from "node:assert/strict";
import { Simulator } from "../../src/sim/mod.ts";
import { connect, scenario } from "../support/harness.ts";

type Finding = { severity: string; title: string; detail: string; recommendation: string; resource_id: string | null };
type Err = { service: string; operation: string; region: string; code: string; message: string; hint: string };

const P1 = "11111111-2222-4333-8444-555555555555";
const P2 = "22222222-2222-4333-8444-555555555555";
const arn = (id: string, region = "us-east-1") => `arn:aws:workspaces-web:${region}:123456789012:portal/${id}`;

// ---------------------------------------------------------------- get_secure_browser_portal_details

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
    assert.equal(`${errors[0].service}:${errors[0].operation}`, "workspaces-web:GetUserSettings");
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

// ---------------------------------------------------------------- get_secure_browser_portal_usage

/** Hourly sign-ins on the hour between 09:00 and 11:00 UTC, every day: 2 attempts, 1 success, 1 failure. */
function busy(metric: "attempt" | "success" | "failure") {
  return (t: number) => {
    const d = new Date(t);
    if (d.getUTCMinutes() !== 0 || d.getUTCHours() < 9 || d.getUTCHours() > 11) return undefined;
    return metric === "attempt" ? 2 : 1;
  };
}

Deno.test("portal usage: live sessions come from ListSessions and the history from one batched metric read", async () => {
  const estate = scenario()
    .portal(P1, {
      web: {
        sessions: [
          { user: "a@example.com", startedMinutesAgo: 30 },
          { user: "b@example.com", startedMinutesAgo: 5 },
          { user: "c@example.com", status: "Terminated", startedMinutesAgo: 300 },
        ],
      },
    })
    .metric("AWS/WorkSpacesWeb", "SessionAttempt", { PortalId: P1 }, busy("attempt"))
    .metric("AWS/WorkSpacesWeb", "SessionSuccess", { PortalId: P1 }, busy("success"))
    .metric("AWS/WorkSpacesWeb", "SessionFailure", { PortalId: P1 }, busy("failure"))
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("get_secure_browser_portal_usage", { portal: P1, lookback_days: 3 });
    assert.equal(body.active_session_count, 2);
    const sessions = body.active_sessions as { username: string; status: string; start_time: string }[];
    assert.deepEqual(sessions.map((s) => s.username), ["b@example.com", "a@example.com"], "newest first");
    assert.ok(sessions.every((s) => s.status === "Active"));
    const live = h.sim.calls.find((c) => c.operation === "ListSessions")!;
    assert.equal((live.params as { status: string }).status, "Active");
    assert.equal(h.sim.count("monitoring", "GetMetricData"), 1, "nine queries, one request");
    const totals = body.totals as { attempts: number; successes: number; failures: number; success_rate_pct: number };
    assert.ok(totals.attempts > 0);
    assert.equal(totals.attempts, totals.successes + totals.failures);
    assert.equal(totals.success_rate_pct, 50);
    const series = body.historic_metrics as { metric: string; stat: string; datapoint_count: number }[];
    assert.equal(series.length, 9);
    assert.ok(series.find((s) => s.metric === "SessionFailure" && s.stat === "Maximum")!.datapoint_count > 0);
    assert.match(body.summary as string, /2 active sessions now; last 3 days: \d+ session attempts/);
    assert.equal(body.period_hours, 24);
    assert.deepEqual(body.errors, []);
  } finally {
    await h.close();
  }
});

Deno.test("portal usage: an idle portal publishes no metrics and is reported as idle, not failed", async () => {
  const h = await connect(scenario().portal(P1).build());
  try {
    const { body, result } = await h.call("get_secure_browser_portal_usage", { portal: arn(P1) });
    assert.ok(!result.isError);
    assert.equal(body.active_session_count, 0);
    assert.match(
      body.summary as string,
      /no session activity in the last 7 days \(idle portals publish no CloudWatch metrics\)/,
    );
    assert.deepEqual(body.totals, { attempts: 0, successes: 0, failures: 0, success_rate_pct: null });
    assert.deepEqual(body.errors, []);
  } finally {
    await h.close();
  }
});

Deno.test("portal usage: live sessions page through nextToken", async () => {
  const h = await connect(scenario().portal(P1, { web: { sessions: 130 } }).build());
  try {
    const { body } = await h.call("get_secure_browser_portal_usage", { portal: P1 });
    assert.equal(body.active_session_count, 130);
    assert.equal(h.sim.count("workspaces-web", "ListSessions"), 2);
  } finally {
    await h.close();
  }
});

Deno.test("portal usage: GetMetricData denied — the live sessions stay and the summary says history is unavailable", async () => {
  const sim = new Simulator(scenario().portal(P1, { web: { sessions: 2 } }).build());
  sim.inject({ kind: "access-denied", service: "monitoring", operation: "GetMetricData" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("get_secure_browser_portal_usage", { portal: P1 });
    assert.ok(!result.isError);
    assert.equal(body.active_session_count, 2);
    assert.match(body.summary as string, /history unavailable \(AccessDenied/);
    assert.deepEqual(body.totals, { attempts: null, successes: null, failures: null, success_rate_pct: null });
    const errors = body.errors as Err[];
    assert.equal(errors[0].operation, "GetMetricData");
    assert.match(errors[0].hint, /cloudwatch:GetMetricData.*tier0-diagnostics/);
  } finally {
    await h.close();
  }
});

Deno.test("portal usage: ListSessions denied — the history still answers; throttled once it retries", async () => {
  const sim = new Simulator(
    scenario().portal(P1).metric("AWS/WorkSpacesWeb", "SessionAttempt", { PortalId: P1 }, busy("attempt")).build(),
  );
  sim.inject({ kind: "access-denied", service: "workspaces-web", operation: "ListSessions", times: 1 });
  const h = await connect(sim);
  try {
    const { body } = await h.call("get_secure_browser_portal_usage", { portal: P1 });
    assert.equal(body.active_session_count, null);
    assert.ok((body.totals as { attempts: number }).attempts > 0);
    assert.match((body.errors as Err[])[0].hint, /workspaces-web:ListSessions/);
    h.sim.inject({ kind: "throttle", service: "workspaces-web", operation: "ListSessions", times: 1 });
    const again = await h.call("get_secure_browser_portal_usage", { portal: P1 });
    assert.equal(again.body.active_session_count, 0);
    assert.deepEqual(again.body.errors, []);
  } finally {
    await h.close();
  }
});

Deno.test("portal usage: an unknown portal is NotFound; bad input is refused with zero AWS calls", async () => {
  const h = await connect(scenario().portal(P1).build());
  try {
    for (
      const args of [{ portal: "nope" }, { portal: P1, lookback_days: 0 }, { portal: P1, lookback_days: 91 }, {
        portal: P1,
        period_hours: 169,
      }]
    ) {
      const { result } = await h.call("get_secure_browser_portal_usage", args);
      assert.equal(result.isError, true, JSON.stringify(args));
    }
    assert.equal(h.sim.calls.length, 0);
    const missing = await h.call("get_secure_browser_portal_usage", { portal: P2 });
    assert.equal(missing.result.isError, true);
    assert.equal((missing.body.error as { code: string }).code, "NotFound");
  } finally {
    await h.close();
  }
});

Deno.test("portal usage: an ARN in another region sends every call there", async () => {
  const h = await connect(scenario().inRegion("eu-west-1").portal(P1, { web: { sessions: 1 } }).build());
  try {
    const { body } = await h.call("get_secure_browser_portal_usage", { portal: arn(P1, "eu-west-1") });
    assert.equal(body.region, "eu-west-1");
    assert.equal(body.active_session_count, 1);
    assert.ok(h.sim.calls.every((c) => c.region === "eu-west-1"));
  } finally {
    await h.close();
  }
});
