import assert from "node:assert/strict";
import { Aws } from "../../src/aws/clients.ts";
import { chunk, collect, mapLimit } from "../../src/aws/paginate.ts";

/** A wire-level fake: answers awsJson requests from a function of the decoded body. */
function jsonAws(answer: (body: Record<string, unknown>) => unknown) {
  const seen: Record<string, unknown>[] = [];
  const handler = {
    handle(req: { body?: unknown }) {
      const raw = typeof req.body === "string" ? req.body : new TextDecoder().decode(req.body as Uint8Array);
      const body = JSON.parse(raw || "{}");
      seen.push(body);
      return Promise.resolve({
        response: {
          statusCode: 200,
          headers: { "content-type": "application/x-amz-json-1.1" },
          body: new TextEncoder().encode(JSON.stringify(answer(body))),
        },
      });
    },
  };
  const aws = new Aws({
    requestHandler: handler,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "x" },
    userAgent: "test",
  });
  return { aws, seen };
}

const opts = { region: "us-east-1" };

Deno.test("collect follows NextToken across pages and keeps every item", async () => {
  const { aws, seen } = jsonAws((b) => {
    const page = Number(b.NextToken ?? 0);
    return {
      Workspaces: [{ WorkspaceId: `ws-p${page}a0000` }, { WorkspaceId: `ws-p${page}b0000` }],
      ...(page < 2 ? { NextToken: String(page + 1) } : {}),
    };
  });
  const r = await collect(aws, "workspaces", "DescribeWorkspaces", {}, "Workspaces", opts);
  assert.equal(r.items.length, 6);
  assert.equal(r.pages, 3);
  assert.equal(r.truncated, false);
  assert.deepEqual(seen.map((s) => s.NextToken), [undefined, "1", "2"]);
});

Deno.test("a token AWS already returned stops the loop instead of spinning forever", async () => {
  const { aws, seen } = jsonAws(() => ({ Workspaces: [{ WorkspaceId: "ws-same00000" }], NextToken: "again" }));
  const r = await collect(aws, "workspaces", "DescribeWorkspaces", {}, "Workspaces", opts);
  assert.equal(seen.length, 2);
  assert.equal(r.truncated, true);
  assert.equal(r.repeatedToken, true);
});

Deno.test("maxPages and maxItems cap a listing and say it was truncated", async () => {
  const { aws } = jsonAws((b) => ({
    Workspaces: [{ WorkspaceId: "ws-x0000000" }, { WorkspaceId: "ws-y0000000" }],
    NextToken: `t${Number(String(b.NextToken ?? "t0").slice(1)) + 1}`,
  }));
  const byPages = await collect(aws, "workspaces", "DescribeWorkspaces", {}, "Workspaces", { ...opts, maxPages: 3 });
  assert.equal(byPages.items.length, 6);
  assert.equal(byPages.truncated, true);
  const byItems = await collect(aws, "workspaces", "DescribeWorkspaces", {}, "Workspaces", { ...opts, maxItems: 3 });
  assert.equal(byItems.items.length, 3);
  assert.equal(byItems.truncated, true);
});

Deno.test("camelCase nextToken (restJson1, Secure Browser) is followed too", async () => {
  const queries: (string | undefined)[] = [];
  const handler = {
    handle(req: { query?: Record<string, string> }) {
      const token = req.query?.nextToken;
      queries.push(token);
      const body = {
        portals: [{ portalArn: `arn:aws:workspaces-web:us-east-1:123456789012:portal/p${token ?? 0}` }],
        ...(token ? {} : { nextToken: "n1" }),
      };
      return Promise.resolve({
        response: {
          statusCode: 200,
          headers: { "content-type": "application/json" },
          body: new TextEncoder().encode(JSON.stringify(body)),
        },
      });
    },
  };
  const aws = new Aws({
    requestHandler: handler,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "x" },
    userAgent: "test",
  });
  const r = await collect(aws, "workspaces-web", "ListPortals", {}, "portals", opts);
  assert.deepEqual(queries, [undefined, "n1"]);
  assert.equal(r.items.length, 2);
});

Deno.test("chunk splits at API limits and mapLimit keeps order under bounded concurrency", async () => {
  assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(chunk([], 25), []);
  let inFlight = 0;
  let peak = 0;
  const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, n));
    inFlight--;
    return n * 10;
  });
  assert.deepEqual(out, [50, 10, 40, 20, 30]);
  assert.equal(peak, 2);
});
