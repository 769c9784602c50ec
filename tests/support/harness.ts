/**
 * Test harness: a real MCP Client linked over InMemoryTransport to the real server, with the
 * simulator behind every AWS client. Tests read like the administrator's question.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { Aws } from "../../src/aws/clients.ts";
import { parseConfig } from "../../src/config.ts";
import { createLogger } from "../../src/log.ts";
import { createServer } from "../../src/server.ts";
import { type Estate, Simulator } from "../../src/sim/mod.ts";
import { resultBody } from "../../src/cli.ts";
import { UNDECLARED } from "../../src/aws/scope.ts";

export { scenario } from "../../src/sim/mod.ts";

/** A connected client plus the simulator it talks to. */
export interface Harness {
  client: Client;
  sim: Simulator;
  /** Calls a tool; returns the JSON body (structuredContent, or the error body) and the raw result. */
  call(
    name: string,
    args?: Record<string, unknown>,
  ): Promise<{ body: Record<string, unknown>; result: CallToolResult }>;
  close(): Promise<void>;
}

/** Starts the server with these launch flags on the estate, and connects an MCP client. */
export async function connect(
  estateOrSim: Estate | Simulator,
  flags: string[] = ["--region", "us-east-1"],
  /** AWS-layer overrides (the fault suite measures a smaller retry budget). */
  awsOverrides: { maxAttempts?: number } = {},
): Promise<Harness> {
  const sim = estateOrSim instanceof Simulator ? estateOrSim : new Simulator(estateOrSim);
  const undeclaredBefore = UNDECLARED.length;
  const config = parseConfig(flags, () => undefined);
  const aws = new Aws({
    requestHandler: sim.handler,
    credentials: { accessKeyId: "AKIDTESTHARNESS", secretAccessKey: "test" },
    region: config.region,
    profile: config.profile,
    userAgent: "test",
    retryDelayScale: 0.001,
    declaredActionsOnly: true,
    ...awsOverrides,
  });
  const log = createLogger("error", () => {});
  const { server } = createServer({ config, aws, log });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "test", version: "0" });
  await server.connect(serverSide);
  await client.connect(clientSide);
  return {
    client,
    sim,
    async call(name, args = {}) {
      const result = await client.callTool({ name, arguments: args }) as CallToolResult;
      return { body: resultBody(result), result };
    },
    async close() {
      const undeclared = UNDECLARED.slice(undeclaredBefore);
      if (undeclared.length) {
        throw new Error(
          `tools called actions they do not declare: ${undeclared.map((u) => `${u.tool} → ${u.action}`).join(", ")}`,
        );
      }
      await client.close();
      await server.close();
    },
  };
}

/** The AWS layer alone on a simulator (for tests of src/aws/ and of the simulator through the real SDK). */
export function awsOn(estateOrSim: Estate | Simulator): { sim: Simulator; aws: Aws } {
  const sim = estateOrSim instanceof Simulator ? estateOrSim : new Simulator(estateOrSim);
  const aws = new Aws({
    requestHandler: sim.handler,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "x" },
    region: "us-east-1",
    userAgent: "test",
    retryDelayScale: 0.001,
    declaredActionsOnly: true,
  });
  return { sim, aws };
}

/**
 * Counts the requests the simulator is answering at once (all, or one operation's, by its
 * x-amz-target); returns the peak so far.
 */
export function peakInFlight(sim: Simulator, operation?: string): () => number {
  let inFlight = 0;
  let peak = 0;
  const handle = sim.handler.handle;
  sim.handler.handle = async (req, o) => {
    const target = (req as { headers?: Record<string, string | undefined> }).headers?.["x-amz-target"];
    const counted = operation === undefined || (target?.endsWith(`.${operation}`) ?? false);
    if (counted) peak = Math.max(peak, ++inFlight);
    try {
      return await handle(req, o);
    } finally {
      if (counted) inFlight--;
    }
  };
  return () => peak;
}
