/**
 * get_euc_audit_trail through MCP. CloudTrail allows 2 LookupEvents per second, and the tool paces
 * every call (across tool calls) ≥ 0.5 s apart, so these scenarios keep the number of calls small.
 */
import { RETRY_BUDGET } from "../../../src/aws/clients.ts";
import { LOOKUP_SPACING_MS, usePacerClock } from "../../../src/aws/cloudtrail.ts";
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { type CallRecord, Simulator } from "../../../src/sim/mod.ts";

type Finding = { severity: string; title: string; detail: string; recommendation: string; resource_id: string | null };
type Err = { service: string; operation: string; region: string; code: string; message: string; hint: string };
type Event = {
  time: string;
  service: string;
  event_name: string;
  username: string;
  source_ip: string | null;
  resources: string[];
  resource_details: { type: string; name: string }[];
  error_code: string | null;
  read_only: boolean;
};
type Coverage = { service: string; complete: boolean; scanned_back_to: string | null };

const WS = "workspaces.amazonaws.com";
const AS = "appstream.amazonaws.com";
const WEB = "workspaces-web.amazonaws.com";
const CORE = "workspaces-instances.amazonaws.com";

function lookups(calls: CallRecord[]): CallRecord[] {
  return calls.filter((c) => c.operation === "LookupEvents");
}

/**
 * A virtual pacer clock: `now()` is read once per LookupEvents, and `sleep` (called right after,
 * synchronously) moves that call's start to its slot. Time advances only by those waits, so the
 * pacing rule is checked exactly, never against machine load.
 */
function virtualPacer(): { starts: number[]; restore: () => void } {
  let t = 1_000_000;
  const starts: number[] = [];
  const restore = usePacerClock({
    now: () => {
      starts.push(t);
      return t;
    },
    sleep: (ms) => {
      const wake = starts[starts.length - 1] + ms;
      starts[starts.length - 1] = wake;
      t = Math.max(t, wake);
      return Promise.resolve();
    },
  });
  return { starts, restore };
}

/** Every LookupEvents started at least LOOKUP_SPACING_MS (≥ 0.5 s) after the one before, by the pacer's clock. */
function assertPaced(starts: number[], calls: CallRecord[]): void {
  assert.equal(starts.length, lookups(calls).length, "every LookupEvents went through the pacer");
  const sorted = [...starts].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    assert.ok(
      sorted[i] - sorted[i - 1] >= LOOKUP_SPACING_MS,
      `LookupEvents ${i} started ${sorted[i] - sorted[i - 1]} ms after the previous one`,
    );
  }
  assert.ok(LOOKUP_SPACING_MS >= 500, "CloudTrail allows 2 LookupEvents per second");
}

/** A quiet account: a handful of EUC events among a few other writes (one page covers the window). */
function quiet() {
  return scenario()
    .trailNoise(10, { startMinutesAgo: 2, everyMinutes: 30 })
    .trailEvent({
      name: "TerminateWorkspaces",
      source: WS,
      minutesAgo: 60,
      user: "it-admin",
      resources: [{ type: "AWS::WorkSpaces::Workspace", name: "ws-0t3rm4x8k" }],
    })
    .trailEvent({ name: "CreateWorkspaces", source: WS, minutesAgo: 90, user: "it-admin" })
    .trailEvent({ name: "UpdateWorkspacesPool", source: WS, minutesAgo: 100, user: "it-admin" })
    .trailEvent({ name: "DescribeWorkspaces", source: WS, minutesAgo: 30, user: "viewer" })
    .trailEvent({
      name: "StopWorkspaces",
      source: WS,
      minutesAgo: 120,
      user: "contractor-bob",
      userType: "IAMUser",
      sourceIp: "198.51.100.77",
      errorCode: "AccessDenied",
      errorMessage: "not authorized",
    })
    .trailEvent({
      name: "CreateImageBuilder",
      source: AS,
      minutesAgo: 150,
      user: "jane.ops",
      errorCode: "ResourceLimitExceededException",
      errorMessage: "limit",
    })
    .trailEvent({ name: "StopFleet", source: AS, minutesAgo: 200, user: "jane.ops" })
    .trailEvent({ name: "UpdatePortal", source: WEB, minutesAgo: 300, user: "it-admin" })
    .trailEvent({ name: "DeleteWorkspaceInstance", source: CORE, minutesAgo: 400, user: "it-admin" })
    .trailEvent({ name: "TerminateWorkspaces", source: WS, minutesAgo: 3 * 1440, user: "old-admin" });
}

Deno.test("a quiet account: one lookup covers the day, changes only, destructive and denied calls flagged", async () => {
  const h = await connect(quiet().build());
  try {
    const { body } = await h.call("get_euc_audit_trail", { lookback_days: 1 });
    assert.equal(body.lookup_calls, 1);
    assert.equal(body.window_fully_covered, true);
    assert.equal(body.scanned_back_to, body.window_start);
    const events = body.events as Event[];
    assert.deepEqual(events.map((e) => e.event_name), [
      "TerminateWorkspaces",
      "CreateWorkspaces",
      "UpdateWorkspacesPool",
      "StopWorkspaces",
      "CreateImageBuilder",
      "StopFleet",
      "UpdatePortal",
      "DeleteWorkspaceInstance",
    ], "EUC changes only, newest first, inside the window (no reads, no other services)");
    assert.equal(body.total_events, 8);
    assert.equal(events[0].service, "Amazon WorkSpaces Personal");
    assert.equal(events[2].service, "Amazon WorkSpaces Pools");
    assert.equal(events[5].service, "Amazon WorkSpaces Applications");
    assert.equal(events[6].service, "Amazon WorkSpaces Secure Browser");
    assert.equal(events[7].service, "Amazon WorkSpaces Core Managed Instances");
    assert.equal(events[0].username, "it-admin");
    assert.deepEqual(events[0].resources, ["ws-0t3rm4x8k"]);
    assert.deepEqual(events[0].resource_details, [{ type: "AWS::WorkSpaces::Workspace", name: "ws-0t3rm4x8k" }]);
    assert.equal(events[0].read_only, false);
    assert.equal(events[3].source_ip, "198.51.100.77");
    assert.deepEqual(body.by_user, { "it-admin": 5, "contractor-bob": 1, "jane.ops": 2 });
    assert.equal((body.by_event_name as Record<string, number>).TerminateWorkspaces, 1);
    const f = body.findings as Finding[];
    const titles = f.map((x) => x.title);
    assert.ok(titles.includes("Destructive/high-impact: TerminateWorkspaces ×1"));
    assert.ok(titles.includes("Destructive/high-impact: StopFleet ×1"));
    assert.ok(titles.includes("Destructive/high-impact: DeleteWorkspaceInstance ×1"));
    assert.ok(
      !titles.some((t) => /CreateWorkspaces|UpdatePortal|UpdateWorkspacesPool/.test(t) && /Destructive/.test(t)),
    );
    const denied = f.find((x) => /Access denied/.test(x.title))!;
    assert.equal(denied.severity, "warning");
    assert.match(denied.title, /contractor-bob → StopWorkspaces/);
    assert.match(denied.detail, /198\.51\.100\.77/);
    const failed = f.find((x) => /CreateImageBuilder failed/.test(x.title))!;
    assert.equal(failed.severity, "info");
    assert.equal(f.filter((x) => x.severity === "warning").length, 4);
    assert.ok(!(body.notes as string[]).some((n) => /PARTIAL/.test(n)));
    const sweep = lookups(h.sim.calls)[0].params as { LookupAttributes: unknown[]; MaxResults: number };
    assert.deepEqual(sweep.LookupAttributes, [{ AttributeKey: "ReadOnly", AttributeValue: "false" }]);
    assert.equal(sweep.MaxResults, 50);
  } finally {
    await h.close();
  }
});

Deno.test("service takes current and legacy names; read-only calls on request; max_events cuts newest first", async () => {
  const pacer = virtualPacer();
  const h = await connect(quiet().build());
  try {
    const apps = await h.call("get_euc_audit_trail", { lookback_days: 1, service: "AppStream 2.0" });
    assert.equal(apps.body.service, "applications");
    assert.deepEqual((apps.body.events as Event[]).map((e) => e.event_name), ["CreateImageBuilder", "StopFleet"]);
    const web = await h.call("get_euc_audit_trail", { lookback_days: 1, service: "WorkSpaces Web" });
    assert.deepEqual((web.body.events as Event[]).map((e) => e.event_name), ["UpdatePortal"]);
    const reads = await h.call("get_euc_audit_trail", { lookback_days: 1, service: "pools", include_read_only: true });
    assert.equal(reads.body.service, "workspaces");
    const names = (reads.body.events as Event[]).map((e) => e.event_name);
    assert.equal(names[0], "DescribeWorkspaces", "reads included, newest first");
    assert.equal((reads.body.events as Event[])[0].read_only, true);
    const readScan = lookups(h.sim.calls).at(-1)!.params as { LookupAttributes: unknown[] };
    assert.deepEqual(readScan.LookupAttributes, [{ AttributeKey: "EventSource", AttributeValue: WS }]);
    const cut = await h.call("get_euc_audit_trail", { lookback_days: 1, max_events: 2 });
    assert.equal((cut.body.events as Event[]).length, 2);
    assert.equal(cut.body.truncated, true);
    assert.equal(cut.body.total_events, 8);
    assert.equal((cut.body.events as Event[])[0].event_name, "TerminateWorkspaces");
    assertPaced(pacer.starts, h.sim.calls);
  } finally {
    await h.close();
    pacer.restore();
  }
});

Deno.test("concurrent audits share one pacer: LookupEvents never exceeds 2 per second", async () => {
  const pacer = virtualPacer();
  const h = await connect(quiet().build());
  try {
    await Promise.all([
      h.call("get_euc_audit_trail", { lookback_days: 1 }),
      h.call("get_euc_audit_trail", { lookback_days: 1, service: "core" }),
      h.call("get_euc_audit_trail", { lookback_days: 1, service: "applications" }),
    ]);
    assert.equal(lookups(h.sim.calls).length, 3);
    assertPaced(pacer.starts, h.sim.calls);
    const sorted = [...pacer.starts].sort((a, b) => a - b);
    assert.equal(sorted[2] - sorted[0], 2 * LOOKUP_SPACING_MS, "three calls take exactly two spacings");
  } finally {
    await h.close();
    pacer.restore();
  }
});

Deno.test("the pacer keeps regions apart: each region has its own 2-per-second budget", async () => {
  const pacer = virtualPacer();
  const estate = scenario().inRegion("us-east-1").build();
  const h = await connect(estate);
  try {
    await Promise.all([
      h.call("get_euc_audit_trail", { lookback_days: 1, region: "us-east-1" }),
      h.call("get_euc_audit_trail", { lookback_days: 1, region: "eu-west-1" }),
    ]);
    assert.equal(lookups(h.sim.calls).length, 2);
    assert.deepEqual(pacer.starts, [1_000_000, 1_000_000], "another region's call does not wait");
  } finally {
    await h.close();
    pacer.restore();
  }
});

Deno.test("a noisy account: partial coverage is reported honestly and curated names reach older changes", async () => {
  // 700 writes of other services in the last ~12 hours fill the account-wide scan (12 pages of 50);
  // 260 Core reads fill the Core source's own scan (4 pages); an older Core deletion is still found by name.
  let s = scenario().trailNoise(700, { startMinutesAgo: 1, everyMinutes: 1 });
  for (let i = 0; i < 260; i++) {
    s = s.trailEvent({ name: "ListWorkspaceInstances", source: CORE, minutesAgo: 710 + 2 * i, user: "poller" });
  }
  s = s
    .trailEvent({ name: "CreateWorkspaceInstance", source: CORE, minutesAgo: 300, user: "it-admin" })
    .trailEvent({ name: "DeleteWorkspaceInstance", source: CORE, minutesAgo: 1300, user: "it-admin" });
  const pacer = virtualPacer();
  const h = await connect(s.build());
  try {
    const { body } = await h.call("get_euc_audit_trail", { lookback_days: 1, service: "core" });
    assert.equal(body.window_fully_covered, false);
    const coverage = (body.coverage as Coverage[])[0];
    assert.equal(coverage.complete, false);
    const backTo = Date.parse(body.scanned_back_to as string);
    const minutesBack = (Date.now() - backTo) / 60_000;
    assert.ok(minutesBack > 900 && minutesBack < 1200, `scanned back ${minutesBack} minutes, not the whole day`);
    const note = (body.notes as string[]).find((n) => n.startsWith("PARTIAL WINDOW COVERAGE"));
    assert.ok(note, "the partial-coverage warning is there");
    assert.match(note!, /Do NOT conclude that nothing changed/);
    assert.deepEqual((body.events as Event[]).map((e) => e.event_name), [
      "CreateWorkspaceInstance",
      "DeleteWorkspaceInstance",
    ], "the older deletion came from the curated-name lookup");
    // Every Core write of the SDK (TagResource and UntagResource included) is looked up by name.
    assert.deepEqual(body.curated_lookups, { checked: 8, complete: 8, skipped: [] });
    assert.equal(body.lookup_calls, 12 + 4 + 8);
    const byName = lookups(h.sim.calls).slice(16).map((c) =>
      (c.params as { LookupAttributes: { AttributeKey: string; AttributeValue: string }[] }).LookupAttributes[0]
    );
    assert.ok(byName.every((a) => a.AttributeKey === "EventName"));
    const impact = byName.map((a) => /^(Terminate|Delete|Disassociate|Stop)/.test(a.AttributeValue));
    assert.ok(
      impact[0] && impact.indexOf(false) > 0 && !impact.slice(impact.indexOf(false)).includes(true),
      "high-impact names first",
    );
    assertPaced(pacer.starts, h.sim.calls);
  } finally {
    await h.close();
    pacer.restore();
  }
});

Deno.test("AccessDenied on LookupEvents stops at once and names cloudtrail:LookupEvents and tier 0", async () => {
  const sim = new Simulator(quiet().build());
  sim.inject({ kind: "access-denied", service: "cloudtrail", operation: "LookupEvents" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("get_euc_audit_trail", { lookback_days: 1 });
    assert.ok(result.isError);
    const error = body.error as { code: string; hint: string };
    assert.equal(error.code, "AccessDenied");
    assert.match(error.hint, /cloudtrail:LookupEvents.*tier0-diagnostics\.json \(IAM tier 0/);
    assert.equal(lookups(sim.calls).length, 1, "no budget spent on calls that would be denied too");
  } finally {
    await h.close();
  }
});

Deno.test("a failing account-wide scan falls back to the service's own scan and still answers", async () => {
  const sim = new Simulator(quiet().build());
  // Three 503s exhaust the SDK's retries for the first lookup only.
  sim.inject({
    kind: "server-error",
    service: "cloudtrail",
    operation: "LookupEvents",
    times: RETRY_BUDGET.maxAttempts,
  });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("get_euc_audit_trail", { lookback_days: 1, service: "applications" });
    assert.ok(!result.isError);
    const errors = body.errors as Err[];
    assert.equal(errors.length, 1);
    assert.equal(errors[0].operation, "LookupEvents");
    assert.deepEqual((body.events as Event[]).map((e) => e.event_name), ["CreateImageBuilder", "StopFleet"]);
    assert.equal(body.window_fully_covered, true, "the source scan read the whole window");
  } finally {
    await h.close();
  }
});

Deno.test("a throttled LookupEvents is retried and the trail still answers", async () => {
  const sim = new Simulator(quiet().build());
  sim.inject({ kind: "throttle", service: "cloudtrail", operation: "LookupEvents", times: 1 });
  const h = await connect(sim);
  try {
    const { body } = await h.call("get_euc_audit_trail", { lookback_days: 1, service: "core" });
    assert.deepEqual(body.errors, []);
    assert.deepEqual((body.events as Event[]).map((e) => e.event_name), ["DeleteWorkspaceInstance"]);
  } finally {
    await h.close();
  }
});

Deno.test("invalid audit-trail input is refused before any AWS call", async () => {
  const h = await connect(quiet().build());
  try {
    for (
      const args of [
        { lookback_days: 0 },
        { lookback_days: 91 },
        { max_events: 0 },
        { max_events: 501 },
        { service: "ec2" },
        { include_read_only: "yes" },
        { regions: ["us-east-1"] },
      ]
    ) {
      const { result } = await h.call("get_euc_audit_trail", args);
      assert.ok(result.isError, JSON.stringify(args));
    }
    const { body } = await h.call("get_euc_audit_trail", { service: "ec2" });
    assert.equal((body.error as { code: string }).code, "InvalidInput");
    assert.equal(h.sim.calls.length, 0);
  } finally {
    await h.close();
  }
});

Deno.test("a repeated NextToken from CloudTrail is truncation, not full coverage", async () => {
  const pacer = virtualPacer();
  // 120 Core writes: three pages of 50 in the Core scan.
  let s = scenario();
  for (let i = 0; i < 120; i++) {
    s = s.trailEvent({ name: "CreateWorkspaceInstance", source: CORE, minutesAgo: 10 + i, user: "it-admin" });
  }
  const sim = new Simulator(s.build());
  // The second page answers with the token it was asked with: the scan stops on the repeat, 20 events unread.
  const original = sim.handler.handle;
  sim.handler.handle = async (req, o) => {
    const out = await original(req, o);
    const r = req as { headers?: Record<string, string>; body?: unknown };
    const target = String(r.headers?.["x-amz-target"] ?? "");
    const res = out.response as { body: Uint8Array };
    if (target.endsWith(".LookupEvents")) {
      const asked = JSON.parse(typeof r.body === "string" ? r.body : new TextDecoder().decode(r.body as Uint8Array));
      const body = JSON.parse(new TextDecoder().decode(res.body));
      if (asked.NextToken && body.NextToken) {
        res.body = new TextEncoder().encode(JSON.stringify({ ...body, NextToken: asked.NextToken }));
      }
    }
    return out;
  };
  const h = await connect(sim);
  try {
    const { body } = await h.call("get_euc_audit_trail", { lookback_days: 1, service: "core" });
    assert.equal(body.window_fully_covered, false, "a repeated token proves nothing about the rest of the window");
    assert.equal((body.coverage as Coverage[])[0].complete, false);
  } finally {
    await h.close();
    pacer.restore();
  }
});
