/**
 * audit_application_images through MCP, on simulator scenarios (the fan-out, throttling and input
 * tests cover audit_workspace_images too).
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";

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

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

function about(findings: Finding[], pattern: RegExp): Finding[] {
  return findings.filter((f) => pattern.test(f.title));
}

Deno.test("a healthy image and a stopped builder give no findings; AWS public base images are not audited", async () => {
  const h = await connect(
    scenario().appImage("golden", { baseReleased: ago(30) }).imageBuilder("b1", { state: "STOPPED" })
      .appBlockBuilder("abb1", { state: "STOPPED" }).build(),
  );
  try {
    const { body } = await h.call("audit_application_images");
    assert.equal(body.image_count, 1);
    assert.equal(body.image_builder_count, 1);
    assert.equal(body.running_image_builders, 0);
    assert.equal(body.app_block_builder_count, 1);
    assert.equal(body.running_app_block_builders, 0);
    assert.deepEqual(body.findings, []);
    const img = (body.images as Record<string, unknown>[])[0];
    assert.equal(img.name, "golden");
    assert.equal(img.visibility, "PRIVATE");
    assert.equal(img.agent_version, "LATEST");
    assert.equal(img.base_image_age_days, 30);
    assert.equal(img.region, "us-east-1");
    // PUBLIC is never asked for: one PRIVATE and one SHARED listing.
    const types = h.sim.calls.filter((c) => c.operation === "DescribeImages").map((c) =>
      (c.params as { Type?: string }).Type
    );
    assert.deepEqual(types.sort(), ["PRIVATE", "SHARED"]);
  } finally {
    await h.close();
  }
});

Deno.test("failed, erroring, pinned, stale and shared images are each flagged with the right severity", async () => {
  const h = await connect(
    scenario()
      .appImage("failed-img", { state: "FAILED", errors: [{ code: "INTERNAL_SERVICE_ERROR", message: "disk full" }] })
      .appImage("pinned-old", { agentVersion: "1.1.1100", latestAgent: false })
      .appImage("pinned-current", { agentVersion: "1.1.1500", latestAgent: true })
      .appImage("stale-base", { baseReleased: ago(200) })
      .appImage("fresh-base", { baseReleased: ago(170) })
      .appImage("shared-in", {
        visibility: "SHARED",
        owner: "210987654321",
        allowFleet: true,
        allowImageBuilder: false,
      })
      .appImage("shared-out", { sharedWithOthers: true })
      .build(),
  );
  try {
    const { body } = await h.call("audit_application_images");
    const f = body.findings as Finding[];
    assert.equal(about(f, /failed-img is FAILED/)[0].severity, "warning");
    assert.match(about(f, /failed-img reports 1 error/)[0].detail, /INTERNAL_SERVICE_ERROR: disk full/);
    assert.equal(about(f, /pinned-old is pinned/)[0].severity, "warning");
    assert.equal(about(f, /pinned-current is pinned/)[0].severity, "info", "pinned to today's newest agent");
    const stale = about(f, /stale-base has a stale base/)[0];
    assert.equal(stale.severity, "warning");
    assert.match(stale.detail, /180 days/);
    assert.equal(about(f, /fresh-base/).length, 0, "170 days is not stale");
    const shared = about(f, /shared-in is shared with this account by account 210987654321/)[0];
    assert.equal(shared.severity, "info");
    assert.match(shared.detail, /fleets allowed, image builders not allowed/);
    assert.equal(about(f, /shared-out is shared with other accounts/)[0].severity, "info");
    assert.equal(f.length, 7);
    assert.deepEqual(body.finding_counts, { critical: 0, warning: 4, info: 3 });
    assert.deepEqual(
      f.map((x) => x.severity),
      [...f.map((x) => x.severity)].sort((a, b) =>
        ["critical", "warning", "info"].indexOf(a) - ["critical", "warning", "info"].indexOf(b)
      ),
      "ranked",
    );
    const row = (body.images as Record<string, unknown>[]).find((i) => i.name === "shared-in")!;
    assert.equal(row.allow_fleet, true);
    assert.equal(row.allow_image_builder, false);
  } finally {
    await h.close();
  }
});

Deno.test("running builders are warnings that point to the price tool; stopped ones are not", async () => {
  const h = await connect(
    scenario()
      .imageBuilder("ib-running", { state: "RUNNING", instanceType: "stream.standard.large" })
      .imageBuilder("ib-stopped", { state: "STOPPED" })
      .imageBuilder("ib-failed", {
        state: "FAILED",
        errors: [{ code: "NETWORK_INTERFACE_LIMIT_EXCEEDED", message: "x" }],
      })
      .appBlockBuilder("abb-running", { state: "RUNNING" })
      .appBlockBuilder("abb-stopped", { state: "STOPPED" })
      .build(),
  );
  try {
    const { body, result } = await h.call("audit_application_images");
    assert.equal(body.running_image_builders, 1);
    assert.equal(body.running_app_block_builders, 1);
    const f = body.findings as Finding[];
    const ib = about(f, /Image builder ib-running is running/)[0];
    assert.equal(ib.severity, "warning");
    assert.match(ib.title, /bills by the hour/);
    assert.match(ib.detail, /get_euc_service_prices/);
    assert.match(ib.detail, /stream\.standard\.large/);
    assert.match(ib.recommendation, /StopImageBuilder/);
    assert.match(about(f, /App-block builder abb-running is running/)[0].recommendation, /StopAppBlockBuilder/);
    assert.equal(about(f, /ib-failed FAILED/)[0].severity, "warning");
    assert.equal(about(f, /stopped/).length, 0);
    assert.ok((body.notes as string[]).some((n) => /get_euc_service_prices/.test(n)));
    assert.match((result.content as { text: string }[])[0].text, /1 running/);
    // The list price of the running builder comes from the Price List (optional tier-1 enrichment).
    assert.match(ib.detail, /\$0\.192\/h \(~\$140\.16\/month\)/);
    const rows = body.image_builders as { name: string; hourly_usd: number | null }[];
    assert.ok((rows.find((b) => b.name === "ib-running")?.hourly_usd ?? 0) > 0);
    assert.equal(rows.find((b) => b.name === "ib-stopped")?.hourly_usd, null);
  } finally {
    await h.close();
  }
});

Deno.test("without Price List access a running builder is still flagged, the rate is unknown and the error names tier 1", async () => {
  const sim = new Simulator(
    scenario().imageBuilder("ib-running", { state: "RUNNING", instanceType: "stream.standard.large" }).build(),
  );
  sim.inject({ kind: "access-denied", service: "pricing" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("audit_application_images");
    assert.ok(!result.isError);
    const ib = about(body.findings as Finding[], /Image builder ib-running is running/)[0];
    assert.match(ib.detail, /rate is unknown/);
    const errors = body.errors as Err[];
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0].code, "AccessDenied");
    assert.match(errors[0].hint, /pricing:GetProducts/);
    assert.match(errors[0].hint, /tier1/);
  } finally {
    await h.close();
  }
});

Deno.test("image audits fan out over regions and stamp every item with its region", async () => {
  const h = await connect(
    scenario().appImage("east-img").imageBuilder("east-b", { state: "RUNNING" })
      .inRegion("eu-west-1").appImage("west-img", { baseReleased: ago(300) }).workspaceImage("wsi-west00001")
      .build(),
  );
  try {
    const { body } = await h.call("audit_application_images", { regions: ["us-east-1", "eu-west-1"] });
    assert.deepEqual(body.regions, ["us-east-1", "eu-west-1"]);
    const where = Object.fromEntries(
      (body.images as { name: string; region: string }[]).map((i) => [i.name, i.region]),
    );
    assert.deepEqual(where, { "east-img": "us-east-1", "west-img": "eu-west-1" });
    assert.equal((body.image_builders as { region: string }[])[0].region, "us-east-1");
    assert.ok((body.findings as Finding[]).some((f) => f.resource_id?.includes(":eu-west-1:")));
    const ws = await h.call("audit_workspace_images", { regions: ["us-east-1", "eu-west-1"] });
    assert.deepEqual((ws.body.images as { image_id: string; region: string }[]).map((i) => [i.image_id, i.region]), [
      ["wsi-west00001", "eu-west-1"],
    ]);
  } finally {
    await h.close();
  }
});

Deno.test("AccessDenied on the builder listing leaves the images answered and names the IAM action and tier", async () => {
  const sim = new Simulator(scenario().appImage("img-1", { state: "FAILED" }).imageBuilder("b1").build());
  sim.inject({ kind: "access-denied", service: "appstream", operation: "DescribeImageBuilders" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("audit_application_images");
    assert.ok(!result.isError);
    assert.equal(body.image_count, 1);
    assert.equal((body.findings as Finding[]).length, 1);
    const errors = body.errors as Err[];
    assert.equal(errors.length, 1);
    assert.equal(errors[0].api, "appstream");
    assert.equal(
      errors[0].service,
      "Amazon WorkSpaces Applications",
      "the product label, as the Python server gives it",
    );
    assert.equal(errors[0].operation, "DescribeImageBuilders");
    assert.equal(errors[0].code, "AccessDenied");
    assert.match(errors[0].hint, /appstream:DescribeImageBuilders/);
    assert.match(errors[0].hint, /tier0-diagnostics\.json \(IAM tier 0/);
  } finally {
    await h.close();
  }
});

Deno.test("with every WorkSpaces Applications call denied the image audit fails as a whole", async () => {
  const sim = new Simulator(scenario().appImage("img-1").build());
  sim.inject({ kind: "access-denied", service: "appstream" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("audit_application_images");
    assert.ok(result.isError);
    assert.equal((body.error as { code: string }).code, "AccessDenied");
  } finally {
    await h.close();
  }
});

Deno.test("a throttled image listing is retried and the audit still answers", async () => {
  const sim = new Simulator(scenario().appImage("img-1").workspaceImage("wsi-000000001").build());
  sim.inject({ kind: "throttle", service: "appstream", operation: "DescribeImages", times: 1 });
  sim.inject({ kind: "throttle", service: "workspaces", operation: "DescribeWorkspaceImagePermissions", times: 1 });
  const h = await connect(sim);
  try {
    const app = await h.call("audit_application_images");
    assert.equal(app.body.image_count, 1);
    assert.deepEqual(app.body.errors, []);
    const ws = await h.call("audit_workspace_images");
    assert.equal(ws.body.image_count, 1);
    assert.deepEqual(ws.body.errors, []);
    assert.ok(sim.calls.some((c) => c.status === 400 && c.operation === "DescribeImages"), "was throttled once");
  } finally {
    await h.close();
  }
});

Deno.test("limit caps the image lists while counts and findings stay complete", async () => {
  let s = scenario();
  for (let i = 0; i < 30; i++) s = s.appImage(`img-${String(i).padStart(2, "0")}`, { baseReleased: ago(400) });
  const h = await connect(s.build());
  try {
    const { body } = await h.call("audit_application_images", { limit: 5 });
    assert.equal(body.image_count, 30, "paged past 25");
    assert.equal((body.images as unknown[]).length, 5);
    assert.equal(body.truncated, true);
    assert.equal((body.findings as Finding[]).length, 30);
  } finally {
    await h.close();
  }
});

Deno.test("invalid image-audit input is refused before any AWS call", async () => {
  const h = await connect(scenario().build());
  try {
    for (const args of [{ limit: 0 }, { region: "mars-1" }, { regions: [] }, { limit: 5000 }, { bogus: 1 }]) {
      const a = await h.call("audit_application_images", args);
      assert.ok(a.result.isError, JSON.stringify(args));
      const w = await h.call("audit_workspace_images", args);
      assert.ok(w.result.isError, JSON.stringify(args));
    }
    assert.equal(h.sim.calls.length, 0);
  } finally {
    await h.close();
  }
});
