/**
 * How tools reach the MCP server. tools/list answers from the tool source (the catalogue: no tool
 * module is loaded to list them); a tools/call loads the tool's record, normalises and checks its
 * arguments, registers the record on a private, never-connected SDK server (so the SDK's own input
 * and output validation runs, as for any SDK tool) and runs the call there on the client's request.
 */
import { z } from "zod";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { type CallToolResult, ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { classifyError } from "../aws/errors.ts";
import { normalizeArguments, validateArguments } from "./_lib/arguments.ts";
import { type JsonSchema, LISTED_OUTPUT, portable } from "./_lib/json_schema.ts";
import { ListingInfo } from "./_lib/schemas.ts";
import {
  errorResult,
  type Extra,
  type ListedTool,
  listsDesktops,
  type RegistryDeps,
  runTool,
  tierAllowed,
  type ToolDef,
  type ToolMeta,
  type ToolSource,
} from "./registry.ts";

/** The `summary` field every result carries: the one line a person reads first. */
const SUMMARY = z.string().describe("One line: what the result says");

type RawHandler = (
  request: { method: string; params?: { name?: string; arguments?: unknown; [key: string]: unknown } },
  extra: unknown,
) => Promise<unknown>;

function handlersOf(server: McpServer): Map<string, RawHandler> {
  // The SDK offers no hook between the wire and its zod validation, nor a way to register a tool
  // without its schemas: the request handler map is the one seam (SDK 1.x, pinned in deno.lock).
  return (server.server as unknown as { _requestHandlers: Map<string, RawHandler> })._requestHandlers;
}

/**
 * The private SDK server that holds the records loaded so far. A record is registered there once,
 * with the output schema every result has (summary, listing, simulated) and the registry's handler.
 */
class Executor {
  readonly sdk = new McpServer({ name: "tool-executor", version: "0" });
  readonly #done = new Set<string>();

  constructor(
    private readonly client: McpServer,
    private readonly deps: RegistryDeps & { source: ToolSource },
  ) {}

  register(tool: ToolDef): void {
    if (this.#done.has(tool.name)) return;
    this.#done.add(tool.name);
    let output = tool.output;
    if (!("summary" in output.shape)) output = output.extend({ summary: SUMMARY });
    if (listsDesktops(tool)) output = output.extend({ listing: ListingInfo });
    if (this.deps.config.demo) {
      output = output.extend({ simulated: z.boolean().describe("True: data comes from the built-in simulator") });
    }
    this.sdk.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        // Strict: a misspelt parameter is an error, not silently ignored.
        inputSchema: tool.input.strict(),
        outputSchema: output,
        // The title is said once, at the top level (clients prefer it over annotations.title).
        annotations: { ...tool.annotations },
      },
      // deno-lint-ignore no-explicit-any -- the SDK's callback type is generic over the schema
      (async (args: any, extra: any) => await runTool(this.client, tool, args, extra as Extra, this.deps)) as never,
    );
  }

  call(request: Parameters<RawHandler>[0], extra: unknown): Promise<unknown> {
    // With nothing registered the SDK has no tools/call handler yet: an unknown tool is its usual error result.
    const handler = handlersOf(this.sdk).get("tools/call");
    return handler ? handler(request, extra) : Promise.resolve({
      isError: true,
      content: [{
        type: "text",
        text: new McpError(ErrorCode.InvalidParams, `Tool ${request.params?.name} not found`).message,
      }],
    });
  }

  /** The SDK's full tools/list entries of the records registered so far. */
  async listed(): Promise<ListedTool[]> {
    const handler = handlersOf(this.sdk).get("tools/list");
    return handler ? ((await handler({ method: "tools/list", params: {} }, {})) as { tools: ListedTool[] }).tools : [];
  }
}

const EXECUTORS = new WeakMap<McpServer, { executor: Executor; enabled: ReadonlySet<string>; source: ToolSource }>();

/** How many times a tools/list answer was built, in this process (tests check the cache). */
export const TOOL_LIST_BUILDS = { count: 0 };

/**
 * Registers the given tools on the server, refusing by tier whatever the toolset list says
 * (tier 2 needs --enable-writes, tier 3 also --enable-destructive). `selected` are the tools the
 * flags enable, `deps.source` every known tool. Nothing is loaded here.
 */
export function registerTools(
  server: McpServer,
  selected: readonly ToolMeta[],
  deps: RegistryDeps & { source: ToolSource },
): ToolMeta[] {
  const tools = selected.filter((t) => tierAllowed(t.tier, deps.config));
  if (!tools.length) return tools;
  const executor = new Executor(server, deps);
  const enabled = new Set(tools.map((t) => t.name));
  EXECUTORS.set(server, { executor, enabled, source: deps.source });
  server.server.registerCapabilities({ tools: { listChanged: true } });
  const handlers = handlersOf(server);
  // Built once per server: the answer only changes with the tool set, which is fixed at start.
  let list: Promise<{ tools: ListedTool[] }> | undefined;
  handlers.set("tools/list", () => {
    if (!list) {
      TOOL_LIST_BUILDS.count++;
      list = deps.source.listed(tools.map((t) => t.name)).then((listed) => ({ tools: listed }));
      list.catch(() => list = undefined);
    }
    return list;
  });
  handlers.set("tools/call", async (request, extra) => {
    const name = String(request.params?.name ?? "");
    let tool: ToolDef | undefined;
    try {
      tool = enabled.has(name) ? await deps.source.load(name) : undefined;
    } catch (e) {
      // The tool's modules did not load (e.g. a launch permission is missing): say which, as a result.
      const info = classifyError(e, { service: "server", operation: `load ${name}`, region: "" });
      return errorResult({ code: info.code, message: info.message, hint: info.hint }, [], deps.config.demo);
    }
    if (!tool) return executor.call(request, extra);
    let n = normalizeArguments(tool.input, request.params?.arguments);
    if (n.ok) n = validateArguments(tool.input, n.args);
    if (!n.ok) {
      return errorResult(
        {
          code: "InvalidInput",
          message: `${tool.name}: ${n.message}`,
          hint: "Correct the arguments and call again; nothing was sent to AWS.",
        },
        [],
        deps.config.demo,
      ) satisfies CallToolResult;
    }
    executor.register(tool);
    return executor.call({ ...request, params: { ...request.params, arguments: n.args } }, extra);
  });
  return tools;
}

/**
 * The lean form of an SDK tools/list entry (tools/list is sent at every connect): the input schema
 * made portable (no type arrays, no `$schema`, no ±2^53 integer bounds), the output schema reduced to
 * what every result is — an object with a summary line — and the SDK's default
 * `execution: {taskSupport: "forbidden"}` left out. Results are still validated against the full zod
 * output schema before they are sent; the full output schema of each tool is the resource euc://schemas/<tool>.
 */
function leanTool(tool: ListedTool): ListedTool {
  const { execution, outputSchema, inputSchema, ...rest } = tool;
  return {
    ...rest,
    inputSchema: portable(inputSchema),
    ...(outputSchema ? { outputSchema: { ...LISTED_OUTPUT } } : {}),
    ...(execution && execution.taskSupport !== "forbidden" ? { execution } : {}),
  };
}

/**
 * A source over records already in memory (tests, and the catalogue's generator): tools/list entries
 * are the SDK's, made lean, computed once from the records.
 */
export function recordSource(records: readonly ToolDef[]): ToolSource {
  const byName = new Map(records.map((t) => [t.name, t]));
  let lean: Promise<Map<string, ListedTool>> | undefined;
  const build = async () => {
    const sdk = new McpServer({ name: "tool-lister", version: "0" });
    for (const t of records) {
      sdk.registerTool(t.name, {
        title: t.title,
        description: t.description,
        inputSchema: t.input.strict(),
        outputSchema: t.output,
        annotations: { ...t.annotations },
      }, () => ({ content: [] }));
    }
    const listed = ((await handlersOf(sdk).get("tools/list")!({ method: "tools/list", params: {} }, {})) as {
      tools: ListedTool[];
    }).tools;
    return new Map(listed.map((t) => [t.name, leanTool(t)]));
  };
  return {
    all: records,
    async listed(names) {
      const map = await (lean ??= build());
      return names.map((n) => map.get(n)).filter((t): t is ListedTool => t !== undefined);
    },
    load: (name) => Promise.resolve(byName.get(name)),
  };
}

/** A registered tool's full input and output JSON Schemas (portable form), or undefined. */
export async function fullToolSchemas(
  server: McpServer,
  name: string,
): Promise<{ inputSchema: JsonSchema; outputSchema?: JsonSchema } | undefined> {
  const registered = EXECUTORS.get(server);
  if (!registered?.enabled.has(name)) return undefined;
  const { executor, source } = registered;
  const record = await source.load(name);
  if (!record) return undefined;
  executor.register(record);
  const tool = (await executor.listed()).find((t) => t.name === name);
  if (!tool) return undefined;
  return {
    inputSchema: portable(tool.inputSchema),
    ...(tool.outputSchema ? { outputSchema: portable(tool.outputSchema) } : {}),
  };
}
