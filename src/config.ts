/**
 * Launch flags and environment → a frozen Config. The only module that reads Deno.args or the
 * environment (main.ts passes them in), so every other module is a pure function of Config.
 */
import { parseArgs } from "node:util";
import denoJson from "../deno.json" with { type: "json" };
import { nearest } from "./tools/_lib/arguments.ts";
import { REGION_PATTERN } from "./tools/_lib/patterns.ts";
import { type FlagDoc, flagLabel, FLAGS } from "./flags.ts";
import { TOOLSET_IDS } from "./tools/catalogue.ts";

export { type FlagDoc, flagLabel, FLAGS };

export { REGION_PATTERN };

/** Server version, from deno.json. */
export const VERSION: string = denoJson.version;
/** Program name used in help, user agent and logs. */
export const PROGRAM = "workspaces-euc-mcp";

/** Log levels accepted by `--log-level`. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
/** A log level. */
export type LogLevel = typeof LOG_LEVELS[number];

/** What the process was asked to do. */
export type Command =
  | { kind: "serve" }
  | { kind: "tools" }
  | { kind: "call"; tool: string; args: Record<string, unknown> }
  | { kind: "tour" }
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "list-toolsets" };

/** The resolved, immutable server configuration. */
export interface Config {
  readonly command: Command;
  /** Region from `--region`, else AWS_REGION / AWS_DEFAULT_REGION; undefined → the profile's. */
  readonly region?: string;
  /** Default region list for tools that fan out (`--regions`). */
  readonly regions: readonly string[];
  readonly profile?: string;
  readonly assumeRoleArn?: string;
  readonly externalId?: string;
  readonly enableWrites: boolean;
  readonly enableDestructive: boolean;
  readonly maxBulkTargets: number;
  readonly requirePlanToken: boolean;
  /** Toolsets asked for with `--toolsets`, or undefined for "all the write flags allow". */
  readonly toolsets?: readonly string[];
  readonly endpointUrl?: string;
  readonly demo: boolean;
  readonly logLevel: LogLevel;
  /** One-line notes for stderr at start-up (accepted reference flags whose behaviour differs here). */
  readonly notices: readonly string[];
}

/** A launch error: main prints its one-line message to stderr and exits 2. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const ROLE_ARN_PATTERN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/;
const EXTERNAL_ID_PATTERN = /^[\w+=,.@:\/-]{2,1224}$/;
const PROFILE_PATTERN = /^[A-Za-z0-9_.:@\/+-]{1,128}$/;

/** Flag definitions for `parseArgs` (strict: unknown flags are errors). */
const OPTIONS = Object.fromEntries(
  FLAGS.map((f) => [f.name, { type: f.type, ...(f.short ? { short: f.short } : {}) }]),
) as Record<string, { type: "string" | "boolean"; short?: string }>;

/** The help text: every flag, the subcommands and the environment. */
export const HELP = `${PROGRAM} ${VERSION} — MCP server for Amazon WorkSpaces (Personal, Pools, Core),
WorkSpaces Applications (formerly AppStream 2.0) and WorkSpaces Secure Browser.

Usage:
  ${PROGRAM} [flags]                      serve MCP over stdio (what MCP clients launch)
  ${PROGRAM} tools [flags]                print the registered tool names, one per line
  ${PROGRAM} call <tool> ['<json>'] [flags] run one tool, print its JSON result (exit 1 on error)
  ${PROGRAM} tour [flags]                 a readable walk through the main tools (try: --demo tour)

Flags:
${FLAGS.map((f) => `  ${flagLabel(f).padEnd(26)} ${f.help}`).join("\n")}

Environment: AWS_PROFILE, AWS_REGION / AWS_DEFAULT_REGION and the rest of the standard AWS
credential chain (env keys, SSO, web identity, container and instance roles); EUC_MCP_LOG_LEVEL
(or FASTMCP_LOG_LEVEL) when --log-level is not given.`;

type Env = (name: string) => string | undefined;

/** FASTMCP_LOG_LEVEL values (Python logging names) → our levels. */
const FASTMCP_LEVELS: Readonly<Record<string, LogLevel>> = {
  trace: "debug",
  debug: "debug",
  info: "info",
  success: "info",
  warning: "warn",
  warn: "warn",
  error: "error",
  critical: "error",
};
type StringFlag =
  | "region"
  | "regions"
  | "profile"
  | "assume-role-arn"
  | "external-id"
  | "max-bulk-targets"
  | "toolsets"
  | "endpoint-url"
  | "log-level";
type BooleanFlag =
  | "enable-writes"
  | "enable-destructive"
  | "require-plan-token"
  | "list-toolsets"
  | "demo"
  | "sso-auto-login"
  | "no-sso-auto-login"
  | "version"
  | "help";

function fail(message: string): never {
  throw new ConfigError(message);
}

function checkRegion(value: string, flag: string): string {
  const region = value.trim();
  if (!REGION_PATTERN.test(region)) {
    fail(`${flag}: "${value}" is not an AWS region name (e.g. us-east-1, eu-west-1)`);
  }
  return region;
}

function splitList(value: string): string[] {
  return value.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * An environment reader that treats a variable the sandbox does not grant (Deno's NotCapable, when
 * --allow-env lists other names) as unset, so a new optional variable never stops the server.
 */
function tolerant(env: Env): Env {
  return (name) => {
    try {
      return env(name);
    } catch (e) {
      if ((e as Error)?.name === "NotCapable" || (e as Error)?.name === "PermissionDenied") return undefined;
      throw e;
    }
  };
}

/** One line for a flag parsing error: the unknown flag with the nearest real one, and where to look. */
function flagError(e: unknown): string {
  const message = String((e as Error)?.message ?? e).split("\n")[0];
  const unknown = /^Unknown option '(-{1,2})([^']*)'/.exec(message);
  if (unknown) {
    const given = unknown[2].split("=")[0];
    const near = nearest(given, FLAGS.map((f) => f.name));
    return `unknown flag ${unknown[1]}${given.slice(0, 60)}${near ? `; did you mean --${near}?` : ""} (see --help)`;
  }
  // node:util's other messages are clear ("Option '--region <value>' argument missing"); keep one line.
  return `${message.replace(/\.?\s*$/, "")} (see --help)`;
}

/** Parses argv (without the program name) and the environment into a Config; throws ConfigError. */
export function parseConfig(argv: readonly string[], rawEnv: Env): Config {
  const env = tolerant(rawEnv);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (e) {
    fail(flagError(e));
  }
  // parseArgs types values from the options table; narrow them once, by the flag's declared type.
  const raw = parsed.values as Record<string, string | boolean | undefined>;
  const v = Object.fromEntries(
    FLAGS.map((f) => [f.name, f.type === "string" ? raw[f.name] as string | undefined : raw[f.name] === true]),
  ) as
    & {
      [K in StringFlag]?: string;
    }
    & { [K in BooleanFlag]: boolean };
  const positionals = parsed.positionals;

  let command: Command = { kind: "serve" };
  if (v.help) command = { kind: "help" };
  else if (v.version) command = { kind: "version" };
  else if (v["list-toolsets"]) command = { kind: "list-toolsets" };
  else if (positionals.length > 0) {
    const [sub, ...rest] = positionals;
    if (sub === "tools") {
      if (rest.length) fail(`tools takes no arguments (got "${rest.join(" ")}")`);
      command = { kind: "tools" };
    } else if (sub === "tour") {
      if (rest.length) fail(`tour takes no arguments (got "${rest.join(" ")}")`);
      command = { kind: "tour" };
    } else if (sub === "call") {
      if (rest.length < 1 || rest.length > 2) fail(`usage: call <tool> ['<json arguments>']`);
      const [tool, json] = rest;
      if (!/^[a-z][a-z0-9_]{0,63}$/.test(tool)) fail(`call: "${tool}" is not a tool name`);
      let args: unknown = {};
      if (json !== undefined) {
        try {
          args = JSON.parse(json);
        } catch (e) {
          fail(`call: arguments are not valid JSON: ${(e as Error).message.split("\n")[0]}`);
        }
      }
      if (typeof args !== "object" || args === null || Array.isArray(args)) {
        fail("call: arguments must be a JSON object");
      }
      command = { kind: "call", tool, args: args as Record<string, unknown> };
    } else {
      fail(`unknown command "${sub}" (expected "tools", "call" or "tour"; see --help)`);
    }
  }

  const regionRaw = v.region ?? env("AWS_REGION") ?? env("AWS_DEFAULT_REGION");
  const region = regionRaw && regionRaw.trim()
    ? checkRegion(regionRaw, v.region ? "--region" : "AWS_REGION")
    : undefined;

  let regions: string[] = [];
  if (v.regions !== undefined) {
    regions = [...new Set(splitList(v.regions).map((r) => checkRegion(r, "--regions")))];
    if (regions.length === 0) fail("--regions: give at least one region, e.g. us-east-1,eu-west-1");
    if (regions.length > 30) fail("--regions: at most 30 regions");
  }

  const profile = v.profile ?? env("AWS_PROFILE");
  if (profile !== undefined && !PROFILE_PATTERN.test(profile)) {
    fail(`${v.profile ? "--profile" : "AWS_PROFILE"}: "${profile}" is not a valid profile name`);
  }

  const assumeRoleArn = v["assume-role-arn"];
  if (assumeRoleArn !== undefined && !ROLE_ARN_PATTERN.test(assumeRoleArn)) {
    fail(`--assume-role-arn: "${assumeRoleArn}" is not an IAM role ARN (arn:aws:iam::123456789012:role/Name)`);
  }
  const externalId = v["external-id"];
  if (externalId !== undefined) {
    if (!assumeRoleArn) fail("--external-id requires --assume-role-arn");
    if (!EXTERNAL_ID_PATTERN.test(externalId)) fail("--external-id: 2-1224 characters of [A-Za-z0-9+=,.@:/-_]");
  }

  const enableWrites = v["enable-writes"] ?? false;
  const enableDestructive = v["enable-destructive"] ?? false;
  if (enableDestructive && !enableWrites) fail("--enable-destructive requires --enable-writes");

  const notices: string[] = [];
  // The reference takes any integer here (argparse type=int); so do we. A cap below 1 refuses every write.
  let maxBulkTargets = 25;
  if (v["max-bulk-targets"] !== undefined) {
    const raw = v["max-bulk-targets"].trim();
    const n = Number(raw);
    if (!/^[+-]?\d+$/.test(raw) || !Number.isSafeInteger(n)) {
      fail(`--max-bulk-targets: "${raw.slice(0, 40)}" must be a whole number (default 25)`);
    }
    if (n < 1) notices.push(`--max-bulk-targets ${n}: every write call will be refused by the blast-radius cap`);
    maxBulkTargets = n;
  }

  // The reference can run `aws sso login` itself; that needs a subprocess, which this server is never granted
  // (no --allow-run). The flags and the variable are accepted; an expired SSO session is answered with the
  // exact `aws sso login --profile …` command instead.
  const ssoEnv = env("WORKSPACES_EUC_SSO_AUTO_LOGIN");
  if (v["sso-auto-login"] || (ssoEnv !== undefined && /^(1|true|yes|on)$/i.test(ssoEnv.trim()))) {
    notices.push(
      "SSO auto-login is not available in this server (it never starts a subprocess); when the SSO session " +
        "expires, tools answer with the exact `aws sso login --profile …` command to run",
    );
  }

  let toolsets: string[] | undefined;
  if (v.toolsets !== undefined) {
    const names = splitList(v.toolsets.toLowerCase());
    if (names.length === 0) fail(`--toolsets: give at least one of ${TOOLSET_IDS.join(", ")}`);
    for (const name of names) {
      if (!TOOLSET_IDS.includes(name)) {
        fail(`--toolsets: unknown toolset "${name}" (known: ${TOOLSET_IDS.join(", ")})`);
      }
    }
    toolsets = [...new Set(names)];
    if (toolsets.includes("destructive") && !enableDestructive) {
      fail("--toolsets: destructive needs --enable-writes --enable-destructive");
    }
    if (toolsets.includes("lifecycle") && !enableWrites) {
      fail("--toolsets: lifecycle needs --enable-writes");
    }
  }

  let endpointUrl: string | undefined;
  if (v["endpoint-url"] !== undefined) {
    let url: URL;
    try {
      url = new URL(v["endpoint-url"]);
    } catch {
      fail(`--endpoint-url: "${v["endpoint-url"]}" is not a URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") fail("--endpoint-url: use http:// or https://");
    endpointUrl = url.toString().replace(/\/$/, "");
  }

  const demo = v.demo ?? false;
  if (demo && (endpointUrl || assumeRoleArn)) {
    fail("--demo uses the built-in simulator; it cannot be combined with --endpoint-url or --assume-role-arn");
  }

  let logLevel = (v["log-level"] ?? "info").toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    fail(`--log-level: "${v["log-level"]}" is not one of ${LOG_LEVELS.join(", ")}`);
  }
  // EUC_MCP_LOG_LEVEL, else FASTMCP_LOG_LEVEL (the reference's and the awslabs servers' variable), applies
  // when --log-level is not given; both take our names and Python's (WARNING, CRITICAL, …).
  if (v["log-level"] === undefined) {
    for (const name of ["EUC_MCP_LOG_LEVEL", "FASTMCP_LOG_LEVEL"]) {
      const envLevel = env(name)?.trim().toLowerCase();
      if (!envLevel) continue;
      const mapped = FASTMCP_LEVELS[envLevel];
      if (mapped) logLevel = mapped;
      else notices.push(`${name}="${envLevel.slice(0, 20)}" is not a log level; using ${logLevel}`);
      break;
    }
  }

  return Object.freeze({
    command,
    region: region ?? (demo ? "us-east-1" : undefined),
    regions: Object.freeze(regions),
    profile,
    assumeRoleArn,
    externalId,
    enableWrites,
    enableDestructive,
    maxBulkTargets,
    requirePlanToken: v["require-plan-token"] ?? false,
    toolsets: toolsets ? Object.freeze(toolsets) : undefined,
    endpointUrl,
    demo,
    logLevel: logLevel as LogLevel,
    notices: Object.freeze(notices),
  });
}
