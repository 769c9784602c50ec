/** audit_workspace_images through MCP, on simulator scenarios. */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";

type Finding = { severity: string; title: string; detail: string; recommendation: string; resource_id: string | null };
type Err = { service: string; operation: string; region: string; code: string; message: string; hint: string };

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

function about(findings: Finding[], pattern: RegExp): Finding[] {
  return findings.filter((f) => pattern.test(f.title));
}

Deno.test("a young, unshared, available WorkSpaces image gives no findings", async () => {
  const h = await connect(scenario().workspaceImage("wsi-healthy01", { name: "golden", created: ago(20) }).build());
  try {
    const { body } = await h.call("audit_workspace_images");
    assert.equal(body.image_count, 1);
    assert.deepEqual(body.findings, []);
    const img = (body.images as Record<string, unknown>[])[0];
    assert.equal(img.image_type, "OWNED");
    assert.deepEqual(img.shared_with_accounts, []);
    assert.equal(img.age_days, 20);
    assert.equal(img.operating_system, "WINDOWS");
    assert.equal(img.owner_account, "123456789012");
  } finally {
    await h.close();
  }
});

Deno.test("WorkSpaces images in ERROR, shared with accounts, old or with updates are flagged", async () => {
  const accounts = Array.from({ length: 30 }, (_, i) => String(100000000000 + i));
  const h = await connect(
    scenario()
      .workspaceImage("wsi-broken001", { state: "ERROR", errorCode: "ImageCreationFailed", errorMessage: "bad app" })
      .workspaceImage("wsi-shared001", { sharedWith: accounts, created: ago(10) })
      .workspaceImage("wsi-old000001", { created: ago(200), updateAvailable: true })
      .workspaceImage("wsi-young0001", { created: ago(170) })
      .workspaceImage("wsi-partner01", { owner: "999988887777" })
      .build(),
  );
  try {
    const { body } = await h.call("audit_workspace_images");
    const f = body.findings as Finding[];
    const broken = about(f, /wsi-broken001.*ERROR/)[0];
    assert.equal(broken.severity, "warning");
    assert.match(broken.detail, /ImageCreationFailed: bad app/);
    const shared = about(f, /wsi-shared001.*shared with 30 other accounts/)[0];
    assert.equal(shared.severity, "info");
    assert.match(shared.detail, /100000000000/);
    assert.equal(about(f, /wsi-old000001.*200 days old/)[0].severity, "info");
    assert.equal(about(f, /wsi-old000001.*update available/)[0].severity, "info");
    assert.equal(about(f, /wsi-young0001/).length, 0, "170 days is not old");
    assert.equal(about(f, /wsi-partner01/).length, 0);
    const rows = body.images as { image_id: string; image_type: string; shared_with_accounts: string[] | null }[];
    const sharedRow = rows.find((r) => r.image_id === "wsi-shared001")!;
    assert.equal(sharedRow.shared_with_accounts?.length, 30, "both permission pages were read");
    const partner = rows.find((r) => r.image_id === "wsi-partner01")!;
    assert.equal(partner.image_type, "SHARED");
    assert.equal(partner.shared_with_accounts, null);
    // Permissions are read once per owned image (two pages for the 30-account share), never for shared-in ones.
    const permissionCalls = h.sim.calls.filter((c) => c.operation === "DescribeWorkspaceImagePermissions");
    assert.equal(permissionCalls.length, 5);
    assert.ok(permissionCalls.every((c) => (c.params as { ImageId: string }).ImageId !== "wsi-partner01"));
  } finally {
    await h.close();
  }
});

Deno.test("AccessDenied on image permissions still lists the images, with sharing unknown", async () => {
  const sim = new Simulator(scenario().workspaceImage("wsi-000000001", { sharedWith: ["111122223333"] }).build());
  sim.inject({ kind: "access-denied", service: "workspaces", operation: "DescribeWorkspaceImagePermissions" });
  const h = await connect(sim);
  try {
    const { body } = await h.call("audit_workspace_images");
    assert.equal(body.image_count, 1);
    assert.equal((body.images as { shared_with_accounts: unknown }[])[0].shared_with_accounts, null);
    const err = (body.errors as Err[])[0];
    assert.equal(err.operation, "DescribeWorkspaceImagePermissions");
    assert.match(err.hint, /workspaces:DescribeWorkspaceImagePermissions.*tier 0/);
    assert.ok((body.notes as string[]).some((n) => /permission lookup failed/.test(n)));
  } finally {
    await h.close();
  }
});
