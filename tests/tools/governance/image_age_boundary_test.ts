/**
 * Image age at its exact boundary: an image (or an AppStream public base image) 180 whole days old is not
 * flagged; 181 days is (both rules are "more than 180 days").
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";

const DAY = 86_400_000;
// An hour past the whole day: ages are whole days (floor), so this is exactly `days` days old.
const ago = (days: number) => new Date(Date.now() - days * DAY - 3_600_000);

type Finding = { title: string };

Deno.test("WorkSpaces images: 180 days old is not flagged, 181 days is", async () => {
  const h = await connect(
    scenario()
      .workspaceImage("wsi-age180001", { created: ago(180) })
      .workspaceImage("wsi-age181001", { created: ago(181) })
      .build(),
  );
  try {
    const { body } = await h.call("audit_workspace_images");
    const rows = body.images as { image_id: string; age_days: number }[];
    assert.deepEqual(rows.map((r) => [r.image_id, r.age_days]).sort(), [["wsi-age180001", 180], [
      "wsi-age181001",
      181,
    ]]);
    const titles = (body.findings as Finding[]).map((f) => f.title);
    assert.ok(titles.some((t) => /wsi-age181001.*181 days old/.test(t)), titles.join("; "));
    assert.ok(!titles.some((t) => /wsi-age180001/.test(t)), titles.join("; "));
  } finally {
    await h.close();
  }
});

Deno.test("WorkSpaces Applications images: a base image released 180 days ago is not stale, 181 days is", async () => {
  const h = await connect(
    scenario()
      .appImage("base-180", { baseReleased: ago(180) })
      .appImage("base-181", { baseReleased: ago(181) })
      .build(),
  );
  try {
    const { body } = await h.call("audit_application_images");
    const titles = (body.findings as Finding[]).map((f) => f.title);
    assert.ok(titles.some((t) => /base-181 has a stale base image \(181 days old\)/.test(t)), titles.join("; "));
    assert.ok(!titles.some((t) => /base-180 has a stale base/.test(t)), titles.join("; "));
  } finally {
    await h.close();
  }
});
