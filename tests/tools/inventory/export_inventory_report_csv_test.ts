import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";

Deno.test("CSV export: embedded text/csv resource, also readable as a session resource, no file", async () => {
  const h = await connect(
    scenario().workspace("ws-csv000001", { user: "=cmd|' /C calc'!A0" }).workspace("ws-csv000002", {
      user: "jane, doe",
    }).build(),
  );
  try {
    const { body, result } = await h.call("export_inventory_report_csv", {});
    assert.equal(body.rows, 2);
    assert.equal(body.embedded, true);
    assert.match(String(body.resource_uri), /^euc:\/\/reports\/.+\.csv$/);
    const block = (result.content as { type: string; resource?: { uri: string; mimeType: string; text: string } }[])
      .find((c) => c.type === "resource");
    assert.equal(block?.resource?.mimeType, "text/csv");
    const csv = block!.resource!.text;
    const header = csv.split("\r\n")[0].split(",");
    assert.deepEqual(header.slice(0, 6), ["service", "resource_type", "region", "id", "name", "state"]);
    assert.ok(header.includes("root_volume_encrypted"));
    assert.match(csv, /"jane, doe"/, "commas are quoted");
    assert.match(csv, /'=cmd/, "formula injection is neutralised");
    const read = await h.client.readResource({ uri: String(body.resource_uri) });
    assert.equal((read.contents[0] as { text: string }).text, csv);
    const listed = await h.client.listResources();
    assert.ok(listed.resources.some((r: { uri: string }) => r.uri === body.resource_uri));
  } finally {
    await h.close();
  }
});

Deno.test("a large CSV is linked, not embedded, so the result stays within budget", async () => {
  const h = await connect(scenario().workspaces(600).build());
  try {
    const { body, result } = await h.call("export_inventory_report_csv", {});
    assert.equal(body.rows, 600);
    assert.equal(body.embedded, false);
    const link = (result.content as { type: string; uri?: string }[]).find((c) => c.type === "resource_link");
    assert.equal(link?.uri, body.resource_uri);
    const read = await h.client.readResource({ uri: String(body.resource_uri) });
    assert.equal((read.contents[0] as { text: string }).text.trim().split("\r\n").length, 601);
    assert.ok(JSON.stringify(result).length < 80_000);
  } finally {
    await h.close();
  }
});
