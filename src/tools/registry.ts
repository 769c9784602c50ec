/**
 * The tool registry: a tool is one declarative record; this module declares the record and does
 * everything around the handler — region resolution, progress, cancellation, error shaping, the
 * result budget, `structuredContent` and the summary text. `loading.ts` registers the records the
 * launch flags allow (listed from the catalogue, loaded on first call).
 */
import type { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type {
  CallToolResult,
  ContentBlock,
  ElicitRequestFormParams,
  ElicitResult,
  ToolAnnotations,
} from "@modelcontextprotocol/sdk/types.js";
import { type Aws, AwsCallError } from "../aws/clients.ts";
import type { AwsErrorInfo, ErrorCode } from "../aws/errors.ts";
import type { Config } from "../config.ts";
import { withActions } from "../aws/scope.ts";
import { LISTING_TTL_MS, ListingCall, withListingCall } from "../aws/listing_cache.ts";
import type { Logger } from "../log.ts";
import { labelErrors } from "./_lib/error_labels.ts";
import type { JsonSchema } from "./_lib/json_schema.ts";
import { ToolFailure } from "./_lib/failure.ts";
import { fitBudget } from "./_lib/budget.ts";
import type { ReportStore } from "./_lib/reports.ts";

export { fitBudget, ToolFailure };

/** Annotations of every read-only tool: AWS is outside the server, so openWorld is true. */
export const READ_ONLY: Required<Omit<ToolAnnotations, "title">> = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

/** What a handler gets besides its arguments. */
export interface ToolContext {
  readonly aws: Aws;
  readonly config: Config;
  readonly log: Logger;
  readonly reports: ReportStore;
  readonly signal: AbortSignal;
  readonly simulated: boolean;
  /** Every tool the server knows, loaded or not. */
  readonly tools: readonly ToolMeta[];
  /** A known tool's record, loading its module on first use (the health report runs its collectors so). */
  loadTool(name: string): Promise<ToolDef | undefined>;
  /** The MCP client's name and version from `initialize` (audit lines), when it sent them. */
  readonly client?: { name: string; version: string };
  /** True when the client declared form elicitation (the server may ask the human directly). */
  canElicit(): boolean;
  /** Asks the human through the client (MCP form elicitation); rejects on timeout, cancellation or a bad answer. */
  elicit(params: ElicitRequestFormParams, timeoutMs: number): Promise<ElicitResult>;
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

// deno-lint-ignore no-explicit-any -- any zod object shape; the record keeps the precise types
type AnyObject = z.ZodObject<any>;

/** One tool, declared as data. */
export interface ToolDef<I extends AnyObject = AnyObject, O extends AnyObject = AnyObject> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** The toolset id (a folder of src/tools/); `--toolsets` picks toolsets. */
  readonly toolset: string;
  /**
   * The IAM tier of the tool's required actions: 0 read, 1 cost, 2 lifecycle writes (needs
   * --enable-writes), 3 destructive (needs --enable-destructive too).
   */
  readonly tier: 0 | 1 | 2 | 3;
  /** IAM actions (`service:Operation`) the tool needs, all granted by its tier's policy. */
  readonly actions: readonly string[];
  /**
   * Optional actions of a higher tier that only enrich the answer (a $ figure); without the grant
   * the tool still answers and lists the AccessDenied. Keyed by action, valued by the granting tier.
   */
  readonly enrichment?: Readonly<Record<string, 1 | 2 | 3>>;
  readonly annotations: Required<Omit<ToolAnnotations, "title">>;
  readonly input: I;
  readonly output: O;
  run(ctx: ToolContext, args: z.infer<I>): Promise<ToolOk<z.infer<O>>>;
}

/** What is known of a tool without loading its module (the catalogue's record; every ToolDef is one). */
export type ToolMeta = Pick<ToolDef, "name" | "title" | "toolset" | "tier" | "actions" | "enrichment">;

/** Where the registry gets tools: every tool's metadata and tools/list entry at once, records on first use. */
export interface ToolSource {
  /** Every tool the server knows (what the health report and the write-tool pointers see). */
  readonly all: readonly ToolMeta[];
  /** The tools/list entries of these tools, in this order. */
  listed(names: readonly string[]): Promise<ListedTool[]>;
  /** A known tool's record (its toolset's modules load on first use); undefined for an unknown name. */
  load(name: string): Promise<ToolDef | undefined>;
}

/** One tool as tools/list lists it. */
export interface ListedTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations?: Record<string, unknown>;
  execution?: { taskSupport?: string };
  [key: string]: unknown;
}

/** A group of tools that `--toolsets` can enable: one folder of src/tools/. */
export interface Toolset {
  readonly id: string;
  /** One line for `--list-toolsets` and the settings resource. */
  readonly description: string;
  /** The write tier the toolset needs: 0 on by default, 2 needs --enable-writes, 3 also --enable-destructive. */
  readonly tier: 0 | 1 | 2 | 3;
  readonly tools: readonly ToolDef[];
}

/** Dependencies the registry passes on to every handler. */
export interface RegistryDeps {
  readonly aws: Aws;
  readonly config: Config;
  readonly log: Logger;
  readonly reports: ReportStore;
  /** With --demo: the regions the simulated estate has resources in (a result about another region says so). */
  readonly coveredRegions?: () => Promise<readonly string[]>;
}

/** Whether the write flags allow a tool of this tier, whatever toolset it sits in. */
export function tierAllowed(tier: number, config: Pick<Config, "enableWrites" | "enableDestructive">): boolean {
  if (tier >= 3) return config.enableWrites && config.enableDestructive;
  if (tier === 2) return config.enableWrites;
  return true;
}

/** Every action a tool may send: its required actions and its enrichment actions. */
export function toolActions(tool: ToolMeta): string[] {
  return [...tool.actions, ...Object.keys(tool.enrichment ?? {})];
}

/** What the SDK passes a tools/call handler besides the arguments. */
export interface Extra {
  signal: AbortSignal;
  requestId?: string | number;
  _meta?: { progressToken?: string | number };
  sendNotification(n: unknown): Promise<void>;
}

/**
 * Runs one validated call: region resolution, progress, cancellation, error shaping, the result
 * budget, `structuredContent` and the summary text. `server` is the server the client is connected to.
 */
export async function runTool(
  server: McpServer,
  tool: ToolDef,
  args: Record<string, unknown>,
  extra: Extra,
  deps: RegistryDeps & { source: ToolSource },
): Promise<CallToolResult> {
  const started = performance.now();
  const asked = new Set<string>();
  const token = extra._meta?.progressToken;
  const ctx: ToolContext = {
    aws: deps.aws,
    config: deps.config,
    log: deps.log,
    reports: deps.reports,
    signal: extra.signal,
    simulated: deps.config.demo,
    tools: deps.source.all,
    loadTool: (name) => deps.source.load(name),
    client: server.server.getClientVersion(),
    canElicit: () => server.server.getClientCapabilities()?.elicitation?.form !== undefined,
    elicit: (params, timeoutMs) =>
      server.server.elicitInput(params, {
        timeout: timeoutMs,
        signal: extra.signal,
        ...(extra.requestId !== undefined ? { relatedRequestId: extra.requestId } : {}),
      }),
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
    regions: async (input, fanOut = false) => {
      const regions = await resolveRegions(deps, input, fanOut);
      for (const r of regions) asked.add(r);
      return regions;
    },
  };
  try {
    // One listing per region per call (shared by collectors), reused across calls unless `refresh` is set.
    const listings = new ListingCall(args.refresh === true);
    const ok = await withActions(
      tool.name,
      toolActions(tool),
      () => withListingCall(listings, () => tool.run(ctx, args)),
    );
    // The summary line leads the structured result (a tool whose output already has a `summary` keeps its own).
    const data: Record<string, unknown> = typeof ok.data.summary === "string"
      ? { ...ok.data }
      : { summary: ok.summary, ...ok.data };
    if (listsDesktops(tool)) describeListing(data, listings);
    if (tool.tier < 2) pointToWriteTools(data, deps.source.all, deps.config);
    if (deps.config.demo) {
      for (const r of [args.region, ...(Array.isArray(args.regions) ? args.regions : [])]) {
        if (typeof r === "string") asked.add(r);
      }
      const warning = await demoRegionWarning(deps, asked);
      if (warning && Array.isArray(data.notes)) data.notes = [warning, ...data.notes];
      data.summary = simulated(`${warning ? `${warning} ` : ""}${String(data.summary)}`);
      data.simulated = true;
    }
    // errors[].service is the product label (the Python server's meaning), the API id goes to errors[].api.
    const trimmed = fitBudget(labelErrors(data));
    deps.log.debug("tool done", { tool: tool.name, ms: Math.round(performance.now() - started) });
    // The text is exactly the compact JSON of the structured result (the Python server's clients parse it).
    return {
      content: [{ type: "text", text: JSON.stringify(trimmed) }, ...(ok.content ?? [])],
      structuredContent: trimmed,
    };
  } catch (e) {
    return failureResult(tool, e, deps);
  }
}

/** Tools that list desktops take `refresh` and say in `listing` whether the listing was reused. */
export function listsDesktops(tool: ToolDef): boolean {
  return "refresh" in tool.input.shape;
}

/** Sets `listing` and, when a listing was reused, says so in the notes. */
function describeListing(data: Record<string, unknown>, listings: ListingCall): void {
  const { regions, ageSeconds } = listings.reused();
  data.listing = { cached: regions.length > 0, age_seconds: ageSeconds };
  if (regions.length && Array.isArray(data.notes)) {
    data.notes = [
      ...data.notes,
      `Desktops in ${
        regions.join(", ")
      } come from a listing made ${ageSeconds} s ago by an earlier call (listings are ` +
      `reused for ${LISTING_TTL_MS / 1000} s and dropped after any write); pass refresh: true to list them again.`,
    ];
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
  return errorResult(error, errors, deps.config.demo);
}

/** An isError result: the JSON body `{summary, error, errors}` as the text and as structured content. */
export function errorResult(
  error: { code: ErrorCode; message: string; hint: string },
  errors: readonly AwsErrorInfo[],
  demo: boolean,
): CallToolResult {
  const line = `${error.code}: ${error.message} — ${error.hint}`;
  const body = labelErrors({
    summary: demo ? simulated(line) : line,
    error,
    errors,
    ...(demo ? { simulated: true } : {}),
  });
  // The same body as structured content: the output schema clients see in tools/list (LISTED_OUTPUT) requires only
  // `summary`, so an error body validates there too (the full schema describes successful results).
  return { isError: true, content: [{ type: "text", text: JSON.stringify(body) }], structuredContent: body };
}

/**
 * Recommendations name write tools (`restore_workspace`, `update_workspaces_pool_capacity`, …). When the
 * launch flags do not register the named tool, say how to turn it on, once per recommendation (in place).
 */
export function pointToWriteTools(
  data: unknown,
  all: readonly ToolMeta[],
  config: Pick<Config, "enableWrites" | "enableDestructive">,
): void {
  const off = all.filter((t) => t.tier >= 2 && !tierAllowed(t.tier, config)).map((t) => t.name);
  if (off.length === 0) return;
  const names = new RegExp(`\\b(${off.sort((a, b) => b.length - a.length).join("|")})\\b`);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if (key === "recommendation" && typeof value === "string") {
        const m = names.exec(value);
        if (m && !value.includes("--enable-writes")) {
          const destructive = all.find((t) => t.name === m[1])!.tier >= 3;
          record[key] = `${value} (${m[1]} and the other write tools need the server started with --enable-writes${
            destructive ? " --enable-destructive" : ""
          }.)`;
        }
      } else if (value && typeof value === "object") visit(value);
    }
  };
  visit(data);
}

/** `[simulated] ` before a demo summary, once. */
function simulated(summary: string): string {
  return summary.startsWith("[simulated]") ? summary : `[simulated] ${summary}`;
}

/** With --demo, a warning when the call asked about regions the simulated estate has nothing in. */
async function demoRegionWarning(deps: RegistryDeps, asked: ReadonlySet<string>): Promise<string | undefined> {
  if (!deps.coveredRegions || asked.size === 0) return undefined;
  const covered = await deps.coveredRegions();
  const missing = [...asked].filter((r) => !covered.includes(r));
  if (!missing.length) return undefined;
  return `Warning: the demo estate has no resources in ${missing.join(", ")} (it covers ${covered.join(", ")}).`;
}
