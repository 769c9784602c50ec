import assert from "node:assert/strict";
import { Simulator } from "../../../src/sim/mod.ts";
import { connect, scenario } from "../../support/harness.ts";

type Finding = {
  severity: "critical" | "warning" | "info";
  title: string;
  detail: string;
  recommendation: string;
  resource_id: string | null;
  region?: string;
  check?: string;
};
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

async function audit(estate: Parameters<typeof connect>[0], args: Record<string, unknown> = {}) {
  const h = await connect(estate);
  try {
    const { body, result } = await h.call("audit_security_posture", args);
    return { body, result, findings: (body.findings ?? []) as Finding[], errors: (body.errors ?? []) as Err[], h };
  } finally {
    await h.close();
  }
}

function about(findings: Finding[], id: string) {
  return findings.filter((f) => f.resource_id === id);
}

// ---------------------------------------------------------------- volume encryption

Deno.test("audit: a desktop with unencrypted volumes is a warning naming root/user; encrypted ones are not", async () => {
  const { findings } = await audit(
    scenario()
      .workspace("ws-plain0001", { rootEncrypted: false, userEncrypted: false, user: "jane" })
      .workspace("ws-useronly1", { userEncrypted: false })
      .workspace("ws-secure001")
      .build(),
  );
  const both = about(findings, "ws-plain0001");
  assert.equal(both.length, 1);
  assert.equal(both[0].severity, "warning");
  assert.equal(both[0].title, "Volumes not encrypted: root/user");
  assert.match(both[0].detail, /jane/);
  assert.equal(about(findings, "ws-useronly1")[0].title, "Volumes not encrypted: user");
  assert.deepEqual(about(findings, "ws-secure001"), []);
});

// ---------------------------------------------------------------- directories

Deno.test("audit: a Personal directory without IP groups is flagged; one with a group, a Pools directory and a deregistered one are not", async () => {
  const { findings, body } = await audit(
    scenario()
      .directory("d-9067aaaaaa", { ipGroupIds: [] })
      .directory("d-9067bbbbbb", { ipGroupIds: ["wsipg-corp00001"] })
      .directory("wsd-pools0001", { workspaceType: "POOLS" })
      .directory("d-9067cccccc", { state: "DEREGISTERED" })
      // An IAM Identity Center / Entra ID Personal directory also has a wsd- id and does take IP groups.
      .directory("wsd-personal01", { workspaceType: "PERSONAL" })
      .ipGroup("wsipg-corp00001", { rules: ["203.0.113.0/24"] })
      .build(),
  );
  const flagged = findings.filter((f) => f.check === "directory_ip_groups").map((f) => f.resource_id).sort();
  assert.deepEqual(flagged, ["d-9067aaaaaa", "wsd-personal01"]);
  const f = about(findings, "d-9067aaaaaa")[0];
  assert.equal(f.severity, "warning");
  assert.equal(f.title, "No IP access control groups");
  assert.match(f.detail, /default group/);
  assert.ok((body.notes as string[]).some((n) => /1 WorkSpaces Pools directory/.test(n)));
});

// ---------------------------------------------------------------- IP groups

Deno.test("audit: any /0 in an IP group is critical (IPv4 and IPv6); a /6 is a broad-range warning; /24s are fine", async () => {
  const { findings } = await audit(
    scenario()
      .directory("d-9067aaaaaa", { ipGroupIds: [] })
      .ipGroup("wsipg-anyv4000", { rules: ["0.0.0.0/0"], directories: ["d-9067aaaaaa"] })
      .ipGroup("wsipg-anyv6000", { rules: ["203.0.113.0/24", "::/0"] })
      .ipGroup("wsipg-broad000", { rules: ["4.0.0.0/6", "2001:db8::/16"] })
      .ipGroup("wsipg-narrow00", { rules: ["203.0.113.0/24", "2001:db8:1200::/48", "10.0.0.0/8"] })
      .ipGroup("wsipg-junk0000", { rules: ["office"] })
      .build(),
  );
  const v4 = about(findings, "wsipg-anyv4000");
  assert.equal(v4.length, 1);
  assert.equal(v4[0].severity, "critical");
  assert.match(v4[0].title, /open to the internet/);
  assert.match(v4[0].detail, /every IPv4 address; the group is associated with d-9067aaaaaa/);
  const v6 = about(findings, "wsipg-anyv6000");
  assert.equal(v6[0].severity, "critical");
  assert.match(v6[0].detail, /::\/0 allows every IPv6 address/);
  assert.match(v6[0].detail, /not associated with any directory/);
  const broad = about(findings, "wsipg-broad000");
  assert.equal(broad.length, 1);
  assert.equal(broad[0].severity, "warning");
  assert.match(broad[0].detail, /4\.0\.0\.0\/6 \(67,108,864 addresses\)/);
  assert.match(broad[0].detail, /2001:db8::\/16/);
  assert.deepEqual(about(findings, "wsipg-narrow00"), []);
  assert.equal(about(findings, "wsipg-junk0000")[0].severity, "info");
  assert.equal(findings[0].severity, "critical", "critical findings rank first");
});

// ---------------------------------------------------------------- Secure Browser portals

Deno.test("audit: a portal without IP restriction or logging is flagged; a restricted, logged one is not", async () => {
  const { findings } = await audit(
    scenario()
      .portal(P1, { displayName: "Open", ipAccessSettings: false, logging: false })
      .portal(P2, { displayName: "Closed" })
      .build(),
  );
  const open = findings.filter((f) => f.resource_id?.endsWith(P1));
  assert.deepEqual(open.map((f) => [f.check, f.severity]).sort(), [
    ["portal_ip_access", "warning"],
    ["portal_logging", "warning"],
  ]);
  assert.deepEqual(findings.filter((f) => f.resource_id?.endsWith(P2)), []);
});

Deno.test("audit: a portal only a session logger watches has logging; one not yet Active without logging is info", async () => {
  const { findings } = await audit(
    scenario()
      .portal(P1, { logging: false, web: { sessionLogger: true } })
      .portal(P2, { logging: false, status: "Incomplete" })
      .build(),
  );
  assert.deepEqual(findings.filter((f) => f.resource_id?.endsWith(P1) && f.check === "portal_logging"), []);
  const incomplete = findings.filter((f) => f.resource_id?.endsWith(P2) && f.check === "portal_logging");
  assert.equal(incomplete[0].severity, "info");
});

Deno.test("audit: portal IP access settings with a /0 are critical", async () => {
  const { findings } = await audit(
    scenario().portal(P1, { web: { ipRanges: ["198.51.100.0/24", "0.0.0.0/0"] } }).build(),
  );
  const f = findings.filter((x) => x.check === "portal_ip_access");
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, "critical");
  assert.match(f[0].detail, /0\.0\.0\.0\/0/);
});

Deno.test("audit: user settings allowing download and print are 'data egress' naming which; locked ones are not", async () => {
  const { findings } = await audit(
    scenario()
      .portal(P1, { web: { userSettings: { download: true, print: true } } })
      .portal(P2, { web: { userSettings: { copy: false, download: false, print: false, upload: false } } })
      .build(),
  );
  const f = findings.filter((x) => x.check === "portal_user_settings");
  assert.equal(f.length, 1);
  assert.ok(f[0].resource_id?.endsWith(P1));
  assert.equal(f[0].title, "Secure Browser user settings allow data egress (download, print)");
});

Deno.test("audit: upload alone is reported as file upload, not egress", async () => {
  const { findings } = await audit(scenario().portal(P1, { web: { userSettings: { upload: true } } }).build());
  const f = findings.filter((x) => x.check === "portal_user_settings");
  assert.equal(f[0].title, "Secure Browser user settings allow file upload into sessions");
});

Deno.test("audit: user settings shared by two portals are read once and both portals are reported", async () => {
  const estate = scenario()
    .portal(P1, { web: { sharedUserSettings: "corp", userSettings: { copy: true } } })
    .portal(P2, { web: { sharedUserSettings: "corp" } })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("audit_security_posture");
    const f = (body.findings as Finding[]).filter((x) => x.check === "portal_user_settings");
    assert.equal(f.length, 2);
    assert.equal(h.sim.count("workspaces-web", "GetUserSettings"), 1);
  } finally {
    await h.close();
  }
});

// ---------------------------------------------------------------- Applications stacks and usage reports

Deno.test("audit: a stack allowing clipboard copy and download is flagged; a locked one is not; unset actions count as enabled", async () => {
  const { findings } = await audit(
    scenario()
      .stack("open-stack", {
        userSettings: [
          { action: "CLIPBOARD_COPY_TO_LOCAL_DEVICE", permission: "ENABLED" },
          { action: "FILE_DOWNLOAD", permission: "ENABLED" },
          { action: "PRINTING_TO_LOCAL_DEVICE", permission: "DISABLED" },
        ],
      })
      .stack("locked-stack", {
        userSettings: [
          { action: "CLIPBOARD_COPY_TO_LOCAL_DEVICE", permission: "DISABLED" },
          { action: "FILE_DOWNLOAD", permission: "DISABLED" },
          { action: "PRINTING_TO_LOCAL_DEVICE", permission: "DISABLED" },
          { action: "FILE_UPLOAD", permission: "ENABLED" },
        ],
      })
      .stack("default-stack", { userSettings: [{ action: "FILE_UPLOAD", permission: "DISABLED" }] })
      .usageReports()
      .build(),
  );
  const open = about(findings, "open-stack");
  assert.equal(open.length, 1);
  assert.equal(open[0].severity, "warning");
  assert.match(open[0].title, /copy to the local clipboard, file download\)$/);
  assert.deepEqual(about(findings, "locked-stack"), []);
  const defaults = about(findings, "default-stack");
  assert.match(defaults[0].detail, /by AWS default/);
});

Deno.test("audit: no usage reports where stacks exist is info; subscribed is fine; failing reports warn; no stacks, no finding", async () => {
  const none = await audit(scenario().stack("s1", { userSettings: [] }).build());
  assert.equal(none.findings.filter((f) => f.check === "usage_reports")[0].severity, "info");
  assert.match(none.findings.filter((f) => f.check === "usage_reports")[0].title, /Usage reports not enabled/);
  const ok = await audit(scenario().stack("s1").usageReports().build());
  assert.deepEqual(ok.findings.filter((f) => f.check === "usage_reports"), []);
  const failing = await audit(
    scenario().usageReports({ errors: [{ code: "ACCESS_DENIED", message: "cannot write" }] }).build(),
  );
  assert.equal(failing.findings.filter((f) => f.check === "usage_reports")[0].severity, "warning");
  const empty = await audit(scenario().workspace("ws-secure001").build());
  assert.deepEqual(empty.findings.filter((f) => f.check === "usage_reports"), []);
});

Deno.test("audit: nothing wrong gives one info 'No posture issues found' and counts what was checked", async () => {
  const { findings, body } = await audit(
    scenario()
      .directory("d-9067aaaaaa", { ipGroupIds: ["wsipg-corp00001"] })
      .ipGroup("wsipg-corp00001")
      .workspace("ws-secure001", { directory: "d-9067aaaaaa" })
      .portal(P1)
      .stack("locked", {
        userSettings: [
          { action: "CLIPBOARD_COPY_TO_LOCAL_DEVICE", permission: "DISABLED" },
          { action: "FILE_DOWNLOAD", permission: "DISABLED" },
          { action: "PRINTING_TO_LOCAL_DEVICE", permission: "DISABLED" },
        ],
      })
      .usageReports()
      .build(),
  );
  assert.equal(findings.length, 1);
  assert.equal(findings[0].severity, "info");
  assert.equal(findings[0].title, "No posture issues found");
  assert.equal(findings[0].region, "us-east-1");
  assert.deepEqual(body.resources_checked, { workspaces: 1, directories: 1, ip_groups: 1, portals: 1, stacks: 1 });
  assert.deepEqual(body.severity_counts, { critical: 0, warning: 0, info: 1 });
});

// ---------------------------------------------------------------- fan-out, caps, failures

Deno.test("audit: regions fan out and every finding is stamped with its region", async () => {
  const estate = scenario()
    .workspace("ws-east00001", { rootEncrypted: false })
    .inRegion("eu-west-1").workspace("ws-west00001", { userEncrypted: false })
    .ipGroup("wsipg-anyv4000", { rules: ["0.0.0.0/0"] })
    .build();
  const { findings, body } = await audit(estate, { regions: ["us-east-1", "eu-west-1"] });
  assert.equal(about(findings, "ws-east00001")[0].region, "us-east-1");
  assert.equal(about(findings, "ws-west00001")[0].region, "eu-west-1");
  assert.equal(about(findings, "wsipg-anyv4000")[0].region, "eu-west-1");
  assert.ok(findings.every((f) => f.region === "us-east-1" || f.region === "eu-west-1"));
  assert.equal(body.region, "us-east-1,eu-west-1");
  assert.equal((body.resources_checked as { workspaces: number }).workspaces, 2);
});

Deno.test("audit: findings are capped by limit with complete counts", async () => {
  const { findings, body } = await audit(
    scenario()
      .directory("d-9067aaaaaa", { ipGroupIds: ["wsipg-anyv4000"] })
      .workspaces(30, { rootEncrypted: false, directory: "d-9067aaaaaa" })
      .ipGroup("wsipg-anyv4000", { rules: ["0.0.0.0/0"] })
      .build(),
    { limit: 5 },
  );
  assert.equal(findings.length, 5);
  assert.equal(findings[0].severity, "critical");
  assert.equal(body.total_count, 31);
  assert.equal(body.truncated, true);
  assert.deepEqual(body.severity_counts, { critical: 1, warning: 30, info: 0 });
});

Deno.test("audit: GetUserSettings denied — the other findings stay and the error names the action and tier", async () => {
  const sim = new Simulator(
    scenario()
      .workspace("ws-plain0001", { rootEncrypted: false })
      .portal(P1, { ipAccessSettings: false, web: { userSettings: { download: true } } })
      .portal(P2, { web: { userSettings: { print: true } } })
      .build(),
  );
  sim.inject({ kind: "access-denied", service: "workspaces-web", operation: "GetUserSettings" });
  const { findings, errors, result } = await audit(sim);
  assert.ok(!result.isError);
  assert.equal(about(findings, "ws-plain0001").length, 1, "desktop findings remain");
  assert.equal(findings.filter((f) => f.check === "portal_ip_access").length, 1, "portal findings remain");
  assert.deepEqual(findings.filter((f) => f.check === "portal_user_settings"), []);
  assert.equal(errors.length, 1, "two denied lookups are reported once");
  assert.equal(errors[0].code, "AccessDenied");
  assert.equal(`${errors[0].api}:${errors[0].operation}`, "workspaces-web:GetUserSettings");
  assert.equal(errors[0].service, "Amazon WorkSpaces Secure Browser");
  assert.match(errors[0].message, /\(2 calls\)/);
  assert.match(errors[0].hint, /workspaces-web:GetUserSettings/);
  assert.match(errors[0].hint, /tier0-diagnostics/);
});

Deno.test("audit: throttled once, the SDK retries and the answer is complete", async () => {
  const sim = new Simulator(scenario().ipGroup("wsipg-anyv4000", { rules: ["0.0.0.0/0"] }).build());
  sim.inject({ kind: "throttle", service: "workspaces", operation: "DescribeIpGroups", times: 1 });
  const { findings, errors } = await audit(sim);
  assert.deepEqual(errors, []);
  assert.equal(about(findings, "wsipg-anyv4000")[0].severity, "critical");
});

Deno.test("audit: everything denied is an isError result; bad input is refused before any AWS call", async () => {
  const sim = new Simulator(scenario().workspace("ws-plain0001").build());
  sim.inject({ kind: "access-denied" });
  const denied = await audit(sim);
  assert.equal(denied.result.isError, true);
  assert.equal((denied.body.error as { code: string }).code, "AccessDenied");

  const h = await connect(scenario().workspace("ws-plain0001").build());
  try {
    for (
      const args of [{ limit: 0 }, { limit: 1001 }, { region: "mars-1" }, { regions: [] }, { regoin: "us-east-1" }]
    ) {
      const { result } = await h.call("audit_security_posture", args);
      assert.equal(result.isError, true, JSON.stringify(args));
    }
    assert.equal(h.sim.calls.length, 0);
  } finally {
    await h.close();
  }
});
