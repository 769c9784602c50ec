/** Launch errors a new user meets first: a misspelt flag, and the log-level variables of the awslabs servers. */
import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../../src/config.ts";

const none = () => undefined;

Deno.test("a misspelt flag names the nearest real one and points to --help", () => {
  assert.throws(() => parseConfig(["--regoin", "us-east-1"], none), (e: Error) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.message, "unknown flag --regoin; did you mean --region? (see --help)");
    return true;
  });
  assert.throws(() => parseConfig(["--enable-write"], none), /did you mean --enable-writes\?/);
  assert.throws(() => parseConfig(["--zzzzzzzz"], none), /^ConfigError: unknown flag --zzzzzzzz \(see --help\)$/);
  assert.throws(() => parseConfig(["--region"], none), /argument missing \(see --help\)$/);
});

Deno.test("EUC_MCP_LOG_LEVEL, then FASTMCP_LOG_LEVEL, set the level when --log-level is absent", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assert.equal(parseConfig([], env({ EUC_MCP_LOG_LEVEL: "debug", FASTMCP_LOG_LEVEL: "ERROR" })).logLevel, "debug");
  assert.equal(parseConfig([], env({ EUC_MCP_LOG_LEVEL: "WARNING" })).logLevel, "warn");
  assert.equal(parseConfig([], env({ FASTMCP_LOG_LEVEL: "ERROR" })).logLevel, "error");
  assert.equal(parseConfig(["--log-level", "info"], env({ EUC_MCP_LOG_LEVEL: "debug" })).logLevel, "info");
  assert.match(parseConfig([], env({ EUC_MCP_LOG_LEVEL: "loud" })).notices.join(), /EUC_MCP_LOG_LEVEL="loud"/);
});

Deno.test("a variable the sandbox does not grant reads as unset", () => {
  const denied = (name: string) => {
    if (name === "EUC_MCP_LOG_LEVEL") {
      throw Object.assign(new Error(`Requires env access to "${name}"`), { name: "NotCapable" });
    }
    return name === "FASTMCP_LOG_LEVEL" ? "DEBUG" : undefined;
  };
  assert.equal(parseConfig([], denied).logLevel, "debug");
});
