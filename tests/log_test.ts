import assert from "node:assert/strict";
import { createLogger } from "../src/log.ts";

Deno.test("logs are JSON lines, filtered by level, and secret-looking fields are redacted", () => {
  const lines: string[] = [];
  const log = createLogger("info", (l) => lines.push(l));
  log.debug("hidden");
  log.info("call", {
    tool: "x",
    secretAccessKey: "s3cr3t",
    sessionToken: "tok",
    authorization: "AWS4",
    region: "us-east-1",
  });
  log.error("boom");
  assert.equal(lines.length, 2);
  const first = JSON.parse(lines[0]);
  assert.equal(first.msg, "call");
  assert.equal(first.region, "us-east-1");
  assert.equal(first.secretAccessKey, "[redacted]");
  assert.equal(first.sessionToken, "[redacted]");
  assert.equal(first.authorization, "[redacted]");
  assert.ok(!lines.join("").includes("s3cr3t"));
  assert.equal(JSON.parse(lines[1]).level, "error");
});
