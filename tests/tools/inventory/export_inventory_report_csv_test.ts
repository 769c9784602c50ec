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
    assert.ok(csv.startsWith("\uFEFF"), "UTF-8 BOM, as the Python server writes it");
    const header = csv.slice(1).split("\r\n")[0].split(",");
    // The Python server's core columns first, then our region.
    assert.deepEqual(header.slice(0, 6), ["service", "resource_type", "id", "name", "state", "region"]);
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

Deno.test("CSV export: the Python server's `path` is accepted, nothing is written, the note says where the CSV is", async () => {
  const h = await connect(scenario().workspace("ws-csv000001").build());
  try {
    const target = "/tmp/euc-compat-should-not-exist.csv";
    const { body, result } = await h.call("export_inventory_report_csv", { path: target });
    assert.ok(!result.isError, JSON.stringify(body));
    assert.equal(body.path, body.resource_uri);
    assert.equal(body.requested_path, target);
    assert.ok(
      (body.notes as string[]).some((n) =>
        n.includes("this server writes no files") && n.includes(String(body.resource_uri))
      ),
    );
    assert.equal(await Deno.stat(target).then(() => true, () => false), false, "no file written");
  } finally {
    await h.close();
  }
});

Deno.test("CSV export with include_tags: tags are a sorted attribute column, filled from the tags", async () => {
  const h = await connect(scenario().workspace("ws-csv000001").build());
  try {
    const { body, result } = await h.call("export_inventory_report_csv", { include_tags: true });
    const columns = body.columns as string[];
    assert.equal(columns.filter((c) => c === "tags").length, 1);
    const attrs = columns.slice(6);
    assert.deepEqual(attrs, [...attrs].sort());
    const block = (result.content as { type: string; resource?: { text: string } }[]).find((c) =>
      c.type === "resource"
    );
    assert.ok(block?.resource?.text.includes("{"), "tags cell is JSON");
  } finally {
    await h.close();
  }
});
