/**
 * Entry point: parse flags → Config → serve MCP over stdio, or run one `tools` / `call` command.
 * stdout carries only JSON-RPC (or the one-shot command's output); everything else goes to stderr.
 */
import process from "node:process";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { Aws } from "./src/aws/clients.ts";
import { listToolsets, runOnce } from "./src/cli.ts";
import { type Config, ConfigError, HELP, parseConfig, PROGRAM, VERSION } from "./src/config.ts";
import { createLogger, type Logger } from "./src/log.ts";
import { createServer } from "./src/server.ts";

/** Credentials the demo simulator accepts; they never reach AWS. */
const DEMO_CREDENTIALS = { accessKeyId: "AKIADEMOSIMULATED00", secretAccessKey: "demo-not-a-secret" };

/** Builds the AWS access layer: the simulator for --demo, the real SDK chain otherwise. */
export async function createAws(config: Config, log: Logger): Promise<Aws> {
  const userAgent = `${PROGRAM}/${VERSION}`;
  if (config.demo) {
    const { Simulator, demoEstate } = await import("./src/sim/mod.ts");
    const sim = new Simulator(demoEstate());
    log.info("demo mode: serving the built-in simulated estate", { region: config.region });
    return new Aws({
      requestHandler: sim.handler,
      credentials: DEMO_CREDENTIALS,
      region: config.region,
      userAgent,
      declaredActionsOnly: true,
    });
  }
  return new Aws({
    profile: config.profile,
    assumeRoleArn: config.assumeRoleArn,
    externalId: config.externalId,
    endpointUrl: config.endpointUrl,
    region: config.region,
    userAgent,
  });
}

/** Runs the program with the given arguments; resolves to the exit code (serve never resolves until stdin closes). */
export async function main(argv: readonly string[]): Promise<number> {
  let config: Config;
  try {
    config = parseConfig(argv, (name) => Deno.env.get(name));
  } catch (e) {
    if (e instanceof ConfigError) {
      Deno.stderr.writeSync(new TextEncoder().encode(`${PROGRAM}: ${e.message}\n`));
      return 2;
    }
    throw e;
  }
  for (const note of config.notices) Deno.stderr.writeSync(new TextEncoder().encode(`${PROGRAM}: note: ${note}\n`));
  const out = (text: string) => Deno.stdout.writeSync(new TextEncoder().encode(text + "\n"));
  switch (config.command.kind) {
    case "help":
      out(HELP);
      return 0;
    case "version":
      out(`${PROGRAM} ${VERSION}`);
      return 0;
    case "list-toolsets":
      return listToolsets(config);
  }
  const log = createLogger(config.logLevel);
  const aws = await createAws(config, log);
  if (config.command.kind === "tools" || config.command.kind === "call" || config.command.kind === "tour") {
    return await runOnce({ config, aws, log });
  }
  const { server, tools } = createServer({ config, aws, log });
  const transport = new StdioServerTransport();
  await server.connect(transport);
  log.info("serving MCP on stdio", { version: VERSION, tools: tools.length, region: config.region ?? "(profile)" });
  // The client closing stdin is the end of the session.
  await new Promise<void>((resolve) => process.stdin.once("end", () => resolve()).once("close", () => resolve()));
  await server.close();
  return 0;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
