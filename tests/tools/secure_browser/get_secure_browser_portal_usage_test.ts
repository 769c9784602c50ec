import assert from "node:assert/strict";
import { Simulator } from "../../../src/sim/mod.ts";
import { connect, scenario } from "../../support/harness.ts";

type Err = { service: string; operation: string; region: string; code: string; message: string; hint: string };

const P1 = "11111111-2222-4333-8444-555555555555";
const P2 = "22222222-2222-4333-8444-555555555555";
const arn = (id: string, region = "us-east-1") => `arn:aws:workspaces-web:${region}:123456789012:portal/${id}`;

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
    const series = body.historic_series as { metric: string; stat: string; datapoint_count: number }[];
    assert.equal(series.length, 9);
    assert.ok(series.find((s) => s.metric === "SessionFailure" && s.stat === "Maximum")!.datapoint_count > 0);
    // The Python server's map: metric name → latest/average/peak and the series.
    const map = body.historic_metrics as Record<string, { peak: number | null; series: unknown[] }>;
    assert.deepEqual(Object.keys(map).sort(), ["SessionAttempt", "SessionFailure", "SessionSuccess"]);
    assert.ok((map.SessionAttempt.peak ?? 0) > 0 && map.SessionAttempt.series.length > 0);
    assert.match(body.summary as string, /2 active sessions now; last 3 days: \d+ session attempts/);
    assert.equal(body.period_hours, 24);
    assert.deepEqual(body.errors, []);
  } finally {
    await h.close();
  }
});

Deno.test("portal usage: a portal that publishes no metrics is 'not published' (never zero) and idle only because ListSessions agrees", async () => {
  const h = await connect(scenario().portal(P1).build());
  try {
    const { body, result } = await h.call("get_secure_browser_portal_usage", { portal: arn(P1) });
    assert.ok(!result.isError);
    assert.equal(body.portal, arn(P1), "the portal echoed as given");
    assert.equal(body.portal_id, P1);
    assert.deepEqual(body.historic_metrics, {}, "an idle portal has no metrics in the map");
    assert.equal(body.active_session_count, 0);
    assert.match(body.summary as string, /session metrics are not published for this portal.*; idle\./);
    assert.deepEqual(body.totals, { attempts: null, successes: null, failures: null, success_rate_pct: null });
    assert.deepEqual(body.metrics_published, []);
    assert.equal(body.idle, true);
    assert.equal(h.sim.count("monitoring", "GetMetricData"), 0, "nothing to read when nothing is published");
    assert.deepEqual(body.errors, []);
    // With live sessions the same silent portal is not idle.
    const busyH = await connect(scenario().portal(P1, { web: { sessions: 3 } }).build());
    try {
      const busyBody = (await busyH.call("get_secure_browser_portal_usage", { portal: P1 })).body;
      assert.equal(busyBody.idle, false);
      assert.deepEqual(busyBody.totals, { attempts: null, successes: null, failures: null, success_rate_pct: null });
    } finally {
      await busyH.close();
    }
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
  const sim = new Simulator(
    scenario().portal(P1, { web: { sessions: 2 } })
      .metric("AWS/WorkSpacesWeb", "SessionAttempt", { PortalId: P1 }, busy("attempt")).build(),
  );
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

Deno.test("portal usage: only the metrics CloudWatch lists are read; an ActiveSession peak of 0 with no live session is idle", async () => {
  const h = await connect(
    scenario().portal(P1)
      .metric("AWS/WorkSpacesWeb", "SessionAttempt", { PortalId: P1 }, busy("attempt"))
      .metric("AWS/WorkSpacesWeb", "ActiveSession", { PortalId: P1 }, () => 0).build(),
  );
  try {
    const { body } = await h.call("get_secure_browser_portal_usage", { portal: P1 });
    assert.deepEqual(body.metrics_published, ["ActiveSession", "SessionAttempt"]);
    const totals = body.totals as { attempts: number | null; successes: number | null; failures: number | null };
    assert.ok((totals.attempts ?? 0) > 0);
    assert.equal(totals.successes, null, "SessionSuccess is not published: null, not 0");
    assert.equal(totals.failures, null);
    assert.equal(body.activity_peak, 0);
    assert.equal(body.idle, true);
  } finally {
    await h.close();
  }
});
