/**
 * A write-tools harness: the real server over InMemoryTransport with the simulator behind it, a
 * client that may declare elicitation and answer `elicitation/create`, and the stderr log captured
 * (audit lines). Simulated transitions and verification polls are shortened for tests.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { type CallToolResult, ElicitRequestSchema, type ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { Aws } from "../../../src/aws/clients.ts";
import { parseConfig } from "../../../src/config.ts";
import { createLogger } from "../../../src/log.ts";
import { createServer } from "../../../src/server.ts";
import { resultBody } from "../../../src/cli.ts";
import { type Estate, Simulator } from "../../../src/sim/mod.ts";
import { SIM_TIMING } from "../../../src/sim/services/transitions.ts";
import { WORKSPACES_MUTATIONS } from "../../../src/sim/services/workspaces_writes.ts";
import { GATE_TIMING } from "../../../src/safety/mod.ts";

export { scenario } from "../../../src/sim/mod.ts";

SIM_TIMING.transitionMs = 40;
GATE_TIMING.firstPollMs = 20;
GATE_TIMING.maxPollMs = 100;

/** Every mutating operation the simulator answers. */
export const MUTATIONS: ReadonlySet<string> = new Set([
  ...WORKSPACES_MUTATIONS,
  "StartFleet",
  "StopFleet",
  "UpdateFleet",
]);

/** The flags that register every write tool. */
export const ALL_WRITES = ["--region", "us-east-1", "--enable-writes", "--enable-destructive"];

/** A connected write harness. */
export interface WriteHarness {
  client: Client;
  sim: Simulator;
  /** Captured log lines (JSON), in order. */
  log: string[];
  /** Elicitation requests the client received. */
  asked: unknown[];
  call(name: string, args?: Record<string, unknown>): Promise<Record<string, unknown> & { results: Row[] }>;
  raw(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Mutating calls the simulator received since `from` (an index into sim.calls). */
  mutations(from?: number): { operation: string; params: unknown }[];
  audits(): Record<string, unknown>[];
  close(): Promise<void>;
}

/** One result row. */
export type Row = {
  target_id: string;
  status: string;
  verdict: string;
  message: string;
  error_code: string | null;
  observed_state: string | null;
  verified: boolean | null;
  aws_request_id: string | null;
  snapshot_time?: string | null;
  current_state: string | null;
};

/** Options: an elicitation answerer (declares the capability), launch flags. */
export interface WriteOpts {
  flags?: string[];
  elicit?: (params: { message: string; requestedSchema: unknown }) => ElicitResult | Promise<ElicitResult>;
}

/** Starts the server on the estate (or simulator) and connects a client. */
export async function connectWrites(estate: Estate | Simulator, opts: WriteOpts = {}): Promise<WriteHarness> {
  const sim = estate instanceof Simulator ? estate : new Simulator(estate);
  const config = parseConfig(opts.flags ?? ALL_WRITES, () => undefined);
  const aws = new Aws({
    requestHandler: sim.handler,
    credentials: { accessKeyId: "AKIDWRITESTEST", secretAccessKey: "writes-secret-value" },
    region: config.region,
    userAgent: "test",
    maxAttempts: 1,
    declaredActionsOnly: true,
  });
  const log: string[] = [];
  const { server } = createServer({ config, aws, log: createLogger("info", (l) => log.push(l)) });
  const [c, s] = InMemoryTransport.createLinkedPair();
  const client = new Client(
    { name: "writes-test", version: "1.2.3" },
    opts.elicit ? { capabilities: { elicitation: {} } } : {},
  );
  const asked: unknown[] = [];
  if (opts.elicit) {
    const answer = opts.elicit;
    client.setRequestHandler(ElicitRequestSchema, (req: { params: unknown }) => {
      asked.push(req.params);
      return answer(req.params as never);
    });
  }
  await server.connect(s);
  await client.connect(c);
  const raw = async (name: string, args: Record<string, unknown> = {}) =>
    await client.callTool({ name, arguments: args }) as CallToolResult;
  return {
    client,
    sim,
    log,
    asked,
    raw,
    async call(name, args = {}) {
      return resultBody(await raw(name, args)) as never;
    },
    mutations(from = 0) {
      return sim.calls.slice(from).filter((c) => MUTATIONS.has(c.operation) && c.status === 200).map((c) => ({
        operation: c.operation,
        params: c.params,
      }));
    },
    audits() {
      return log.map((l) => JSON.parse(l)).filter((l) => l.msg === "euc-mcp.mutation");
    },
    async close() {
      await client.close();
      await server.close();
    },
  };
}

/** A dry run's token, then the confirmed call with it. */
export async function planThenRun(
  h: WriteHarness,
  name: string,
  args: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  const plan = await h.call(name, args);
  return await h.call(name, { ...args, confirm: true, plan_token: plan.plan_token, ...extra });
}
