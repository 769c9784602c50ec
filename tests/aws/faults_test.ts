/**
 * The AWS layer under injected faults: rejected credentials, a throttling and 5xx storm, and
 * malformed answers, each against the simulator through the real SDK.
 */
import assert from "node:assert/strict";
import { Aws, AwsCallError, RETRY_BUDGET } from "../../src/aws/clients.ts";
import { collect } from "../../src/aws/paginate.ts";
import { type Fault, scaleEstate, scenario, Simulator } from "../../src/sim/mod.ts";

const BASE = { accessKeyId: "AKIDBASEIDENTITY00", secretAccessKey: "base" };
const ROLE = "arn:aws:iam::123456789012:role/EucAdmin";
const opts = { region: "us-east-1" };

function aws(sim: Simulator, extra: Partial<ConstructorParameters<typeof Aws>[0]> = {}) {
  return new Aws({
    requestHandler: sim.handler,
    credentials: BASE,
    region: "us-east-1",
    userAgent: "test",
    retryDelayScale: 0.001,
    ...extra,
  });
}

async function rejects(p: Promise<unknown>): Promise<AwsCallError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof AwsCallError, String(e));
    return e;
  }
  throw new Error("expected the call to fail");
}

for (const kind of ["expired-token", "invalid-token", "bad-signature"] as const) {
  Deno.test(`a ${kind} rejection re-reads the credentials and retries the call once with the fresh identity`, async () => {
    const sim = new Simulator(scenario().workspace("ws-rot0000001").build());
    sim.inject({ kind, service: "workspaces", times: 1 });
    const client = aws(sim, { assumeRoleArn: ROLE });
    const out = await client.call("workspaces", "DescribeWorkspaces", {}, opts);
    assert.equal(out.Workspaces?.length, 1);
    const work = sim.calls.filter((c) => c.service === "workspaces");
    assert.deepEqual(work.map((c) => c.status), [
      kind === "bad-signature" || kind === "expired-token" ? 400 : 400,
      200,
    ]);
    assert.notEqual(work[0].accessKeyId, work[1].accessKeyId, "the retry is signed by a new identity");
    assert.equal(sim.count("sts", "AssumeRole"), 2);
  });
}

Deno.test("a rejection that persists after the re-read is retried exactly once, then reported", async () => {
  const sim = new Simulator(scenario().workspace("ws-rot0000001").build());
  sim.inject({ kind: "expired-token", service: "workspaces" });
  const e = await rejects(aws(sim, { assumeRoleArn: ROLE }).call("workspaces", "DescribeWorkspaces", {}, opts));
  assert.equal(e.info.code, "ExpiredCredentials");
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 2);
});

Deno.test("fixed credentials (demo) are not re-read: nothing new to sign with, so no pointless retry", async () => {
  const sim = new Simulator(scenario().workspace("ws-rot0000001").build());
  sim.inject({ kind: "invalid-token", service: "workspaces", times: 1 });
  const e = await rejects(aws(sim).call("workspaces", "DescribeWorkspaces", {}, opts));
  assert.equal(e.info.code, "NoCredentials");
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 1);
});

const STORM: Fault[] = [
  { kind: "throttle", probability: 0.2 },
  { kind: "server-error", probability: 0.05 },
];

Deno.test("20 % throttling + 5 % 5xx on every call: 1,000 desktops are collected complete and identical", async () => {
  const estate = scaleEstate({ desktops: 1000, regions: ["us-east-1"], seed: 7 });
  const clean = await collect(aws(new Simulator(estate)), "workspaces", "DescribeWorkspaces", {}, "Workspaces", opts);
  assert.equal(clean.items.length, 1000);

  const stormy = new Simulator(estate, { seed: 14 });
  for (const f of STORM) stormy.inject(f);
  const started = performance.now();
  const got = await collect(aws(stormy), "workspaces", "DescribeWorkspaces", {}, "Workspaces", opts);
  assert.deepEqual(got.items, clean.items);
  assert.equal(got.truncated, false);
  const failed = stormy.calls.filter((c) => c.status !== 200).length;
  assert.ok(failed >= 8, `the storm hit ${failed} of ${stormy.calls.length} requests`);
  assert.ok(performance.now() - started < 5_000, "test backoff stays short");

  // The same storm with the SDK's default three attempts loses pages (the defect this budget fixes).
  let lost = 0;
  for (const seed of [14, 15, 16, 17, 18, 19]) {
    const old = new Simulator(estate, { seed });
    for (const f of STORM) old.inject(f);
    const r = collect(aws(old, { maxAttempts: 3 }), "workspaces", "DescribeWorkspaces", {}, "Workspaces", opts);
    lost += await r.then(() => 0, (e: AwsCallError) => (assert.match(e.info.code, /Throttled|AwsError/), 1));
  }
  assert.ok(lost > 0, "three attempts lose a page in at least one of six storms");
});

Deno.test("production clients retry adaptively with the read budget", async () => {
  assert.ok(RETRY_BUDGET.maxAttempts >= 8 && RETRY_BUDGET.maxAttempts <= 10);
  const sim = new Simulator(scenario().workspace("ws-ret0000001").build());
  sim.inject({ kind: "throttle", service: "workspaces", times: RETRY_BUDGET.maxAttempts - 1 });
  const out = await aws(sim).call("workspaces", "DescribeWorkspaces", {}, opts);
  assert.equal(out.Workspaces?.length, 1);
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), RETRY_BUDGET.maxAttempts);
});

for (
  const [kind, reason] of [
    ["empty200", /empty body/],
    ["truncated", /unreadable JSON/],
    ["html", /HTML page/],
    ["null-items", /null entry in Workspaces/],
  ] as const
) {
  Deno.test(`a malformed answer (${kind}) is a classified error for that call, never "0 items"`, async () => {
    const sim = new Simulator(scenario().workspace("ws-bad0000001").workspace("ws-bad0000002").build());
    sim.inject({ kind, service: "workspaces" });
    const e = await rejects(collect(aws(sim), "workspaces", "DescribeWorkspaces", {}, "Workspaces", opts));
    assert.equal(e.info.code, "AwsError");
    assert.equal(e.info.service, "workspaces");
    assert.match(e.info.message, /^malformed response from workspaces DescribeWorkspaces: /);
    assert.match(e.info.message, reason);
  });
}

Deno.test("a garbled answer once is retried like a dropped connection, and the retry's answer counts", async () => {
  const sim = new Simulator(scenario().workspace("ws-bad0000001").build());
  sim.inject({ kind: "truncated", service: "workspaces", times: 1 });
  const got = await collect(aws(sim), "workspaces", "DescribeWorkspaces", {}, "Workspaces", opts);
  assert.equal(got.items.length, 1);
});

Deno.test("null entries in a restJson list (Secure Browser ListPortals) fail the call cleanly, no TypeError", async () => {
  const sim = new Simulator(scenario().portal("portal-bad").build());
  sim.inject({ kind: "null-items", service: "workspaces-web" });
  const e = await rejects(collect(aws(sim), "workspaces-web", "ListPortals", {}, "portals", opts));
  assert.match(e.info.message, /^malformed response from workspaces-web ListPortals: 1 null entry in portals/);
});

Deno.test("a seeded probabilistic fault fires on the same requests for the same seed", async () => {
  const run = async () => {
    const sim = new Simulator(scenario().workspace("ws-seed000001").build(), { seed: 3 });
    sim.inject({ kind: "throttle", probability: 0.5 });
    const client = aws(sim);
    for (let i = 0; i < 10; i++) await client.call("workspaces", "DescribeWorkspaces", {}, opts);
    return sim.calls.map((c) => c.status);
  };
  const a = await run();
  assert.deepEqual(await run(), a);
  assert.ok(a.includes(400) && a.includes(200));
});
