/**
 * The tool registry: a tool is one declarative record; this module registers the records the
 * launch flags allow and does everything around the handler — region resolution, progress,
 * cancellation, error shaping, the result budget, `structuredContent` and the summary text.
 */
import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult, ContentBlock, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import { type Aws, AwsCallError } from "../aws/clients.ts";
import type { AwsErrorInfo, ErrorCode } from "../aws/errors.ts";
import { type Config, enabledToolsets, type Toolset } from "../config.ts";
import type { Logger } from "../log.ts";
import type { ReportStore } from "./reports.ts";

/** Annotations of every read-only tool: AWS is outside the server, so openWorld is true. */
export const READ_ONLY: Required<Omit<ToolAnnotations, "title">> = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

/** Largest JSON result a tool may return (~20k tokens); larger ones are trimmed with a note. */
export const RESULT_BUDGET_BYTES = 80_000;

/** What a handler gets besides its arguments. */
export interface ToolContext {
  readonly aws: Aws;
  readonly config: Config;
  readonly log: Logger;
  readonly reports: ReportStore;
  readonly signal: AbortSignal;
  readonly simulated: boolean;
  /** Reports progress when the client asked for it (a progress token); otherwise a no-op. */
  progress(done: number, total?: number, message?: string): Promise<void>;
  /** The regions to work in: `regions`, else `region`, else --regions (fan-out tools), else the default. */
  regions(input: { region?: string; regions?: string[] }, fanOut?: boolean): Promise<string[]>;
}

/** A successful handler result: a one-line summary and the structured data. */
export interface ToolOk<T> {
  summary: string;
  data: T;
  /** Extra MCP content after the summary (embedded resources, resource links). */
  content?: ContentBlock[];
}

/** A tool-level failure: becomes an `isError` result with code, message and next step. */
export class ToolFailure extends Error {
  override name = "ToolFailure";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint: string,
    readonly errors: AwsErrorInfo[] = [],
  ) {
    super(message);
  }
}

// deno-lint-ignore no-explicit-any -- any zod object shape; the record keeps the precise types
type AnyObject = z.ZodObject<any>;

/** One tool, declared as data. */
export interface ToolDef<I extends AnyObject = AnyObject, O extends AnyObject = AnyObject> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly toolset: Toolset;
  /** The lowest IAM tier whose policy covers every call the tool makes. */
  readonly tier: 0 | 1 | 2 | 3;
  readonly annotations: Required<Omit<ToolAnnotations, "title">>;
  readonly input: I;
  readonly output: O;
  run(ctx: ToolContext, args: z.infer<I>): Promise<ToolOk<z.infer<O>>>;
}

/** Dependencies the registry passes on to every handler. */
export interface RegistryDeps {
  readonly aws: Aws;
  readonly config: Config;
  readonly log: Logger;
  readonly reports: ReportStore;
}

/** Tools that the launch flags enable, in declaration order. */
export function enabledTools(all: readonly ToolDef[], config: Config): ToolDef[] {
  const sets = new Set(enabledToolsets(config));
  return all.filter((t) => sets.has(t.toolset));
}

/** Registers every enabled tool on the server. */
export function registerTools(server: McpServer, all: readonly ToolDef[], deps: RegistryDeps): ToolDef[] {
  const tools = enabledTools(all, deps.config);
  for (const tool of tools) {
    const output = deps.config.demo
      ? tool.output.extend({ simulated: z.boolean().describe("True: data comes from the built-in simulator") })
      : tool.output;
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        // Strict: a misspelt parameter is an error, not silently ignored.
        inputSchema: tool.input.strict(),
        outputSchema: output,
        annotations: { title: tool.title, ...tool.annotations },
      },
      // deno-lint-ignore no-explicit-any -- the SDK's callback type is generic over the schema
      (async (args: any, extra: any) => await runTool(tool, args, extra, deps)) as never,
    );
  }
  return tools;
}

interface Extra {
  signal: AbortSignal;
  _meta?: { progressToken?: string | number };
  sendNotification(n: unknown): Promise<void>;
}

async function runTool(
  tool: ToolDef,
  args: Record<string, unknown>,
  extra: Extra,
  deps: RegistryDeps,
): Promise<CallToolResult> {
  const started = performance.now();
  const token = extra._meta?.progressToken;
  const ctx: ToolContext = {
    aws: deps.aws,
    config: deps.config,
    log: deps.log,
    reports: deps.reports,
    signal: extra.signal,
    simulated: deps.config.demo,
    async progress(done, total, message) {
      if (token === undefined || extra.signal.aborted) return;
      try {
        await extra.sendNotification({
          method: "notifications/progress",
          params: {
            progressToken: token,
            progress: done,
            ...(total !== undefined ? { total } : {}),
            ...(message ? { message } : {}),
          },
        });
      } catch {
        // A client that went away must not fail the tool.
      }
    },
    regions: (input, fanOut = false) => resolveRegions(deps, input, fanOut),
  };
  try {
    const ok = await tool.run(ctx, args);
    const data = deps.config.demo ? { ...ok.data, simulated: true } : ok.data;
    const trimmed = fitBudget(data);
    deps.log.debug("tool done", { tool: tool.name, ms: Math.round(performance.now() - started) });
    const summary = deps.config.demo ? `[simulated] ${ok.summary}` : ok.summary;
    return {
      content: [{ type: "text", text: `${summary}\n\n${JSON.stringify(trimmed)}` }, ...(ok.content ?? [])],
      structuredContent: trimmed,
    };
  } catch (e) {
    return failureResult(tool, e, deps);
  }
}

async function resolveRegions(deps: RegistryDeps, input: { region?: string; regions?: string[] }, fanOut: boolean) {
  if (input.regions && input.regions.length > 0) return [...new Set(input.regions)];
  if (input.region) return [input.region];
  if (fanOut && deps.config.regions.length > 0) return [...deps.config.regions];
  const region = await deps.aws.defaultRegion();
  if (!region) {
    throw new ToolFailure(
      "InvalidInput",
      "No AWS region is configured.",
      "Pass `region` to the tool, or start the server with --region <region> (or set AWS_REGION, or a region in the profile).",
    );
  }
  return [region];
}

function failureResult(tool: ToolDef, e: unknown, deps: RegistryDeps): CallToolResult {
  let error: { code: ErrorCode; message: string; hint: string };
  let errors: AwsErrorInfo[] = [];
  if (e instanceof ToolFailure) {
    error = { code: e.code, message: e.message, hint: e.hint };
    errors = e.errors;
  } else if (e instanceof AwsCallError) {
    error = { code: e.info.code, message: e.info.message, hint: e.info.hint };
    errors = [e.info];
  } else if ((e as Error)?.name === "AbortError") {
    error = { code: "AwsError", message: "The request was cancelled.", hint: "Nothing changed; call again if needed." };
  } else {
    deps.log.error("tool crashed", { tool: tool.name, error: String((e as Error)?.stack ?? e) });
    error = {
      code: "AwsError",
      message: `Internal error in ${tool.name}: ${(e as Error)?.message ?? String(e)}`,
      hint: "This is a bug in the server; the log on stderr has the details. Please report it.",
    };
  }
  deps.log.info("tool failed", { tool: tool.name, code: error.code });
  const body = { error, errors, ...(deps.config.demo ? { simulated: true } : {}) };
  return {
    isError: true,
    content: [{ type: "text", text: `${error.code}: ${error.message} — ${error.hint}\n\n${JSON.stringify(body)}` }],
  };
}

/** Trims the largest arrays of a result until its JSON fits RESULT_BUDGET_BYTES; says so in `notes`. */
export function fitBudget<T extends Record<string, unknown>>(data: T, budget = RESULT_BUDGET_BYTES): T {
  let size = JSON.stringify(data).length;
  if (size <= budget) return data;
  const copy = structuredClone(data) as Record<string, unknown>;
  let trimmedAny = false;
  for (let guard = 0; guard < 200 && size > budget; guard++) {
    const largest = largestArray(copy);
    if (!largest || largest.array.length <= 1) break;
    largest.array.length = Math.max(1, Math.floor(largest.array.length / 2));
    if (typeof largest.owner.truncated === "boolean") largest.owner.truncated = true;
    trimmedAny = true;
    size = JSON.stringify(copy).length;
  }
  if (trimmedAny) {
    if (typeof copy.truncated === "boolean") copy.truncated = true;
    if (Array.isArray(copy.notes)) {
      copy.notes.push(
        `Result trimmed to fit the ${
          Math.round(budget / 1000)
        } KB response budget; totals are complete. Narrow the request (limit, services, region) or use next_token / the CSV export for everything.`,
      );
    }
  }
  return copy as T;
}

function largestArray(root: unknown): { array: unknown[]; owner: Record<string, unknown> } | undefined {
  let best: { array: unknown[]; owner: Record<string, unknown>; size: number } | undefined;
  const visit = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value) && value.length > 1) {
        const size = JSON.stringify(value).length;
        if (!best || size > best.size) best = { array: value, owner: node as Record<string, unknown>, size };
      }
      visit(value);
    }
  };
  visit(root);
  return best;
}
