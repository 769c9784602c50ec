/**
 * The one-shot commands: `tools` lists the enabled tools, `call <tool> '<json>'` runs one tool
 * through the same server and registry over an in-memory MCP connection and prints its result.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { type Config, enabledToolsets, PROGRAM, TOOLSET_DESCRIPTIONS, TOOLSETS, VERSION } from "./config.ts";
import type { ServerDeps } from "./server.ts";
import { createServer } from "./server.ts";

const encoder = new TextEncoder();

function out(text: string): void {
  Deno.stdout.writeSync(encoder.encode(text.endsWith("\n") ? text : text + "\n"));
}

/** Prints the toolsets and whether the current flags enable each. */
export function listToolsets(config: Config): number {
  const enabled = new Set(enabledToolsets(config));
  for (const t of TOOLSETS) out(`${t.padEnd(15)} ${enabled.has(t) ? "enabled " : "disabled"}  ${TOOLSET_DESCRIPTIONS[t]}`);
  return 0;
}

/** Runs `tools` or `call`; returns the process exit code. */
export async function runOnce(deps: ServerDeps): Promise<number> {
  const { config } = deps;
  const { server, tools } = createServer(deps);
  if (config.command.kind === "tools") {
    for (const t of tools) out(t.name);
    return 0;
  }
  if (config.command.kind !== "call") return 2;
  const { tool, args } = config.command;
  if (!tools.some((t) => t.name === tool)) {
    const known = tools.map((t) => t.name).join(", ");
    Deno.stderr.writeSync(encoder.encode(`${PROGRAM}: no enabled tool "${tool}" (enabled: ${known})\n`));
    return 2;
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: `${PROGRAM}-cli`, version: VERSION });
  await server.connect(serverSide);
  await client.connect(clientSide);
  try {
    const result = await client.callTool({ name: tool, arguments: args }) as CallToolResult;
    if (result.isError) {
      const first = (result.content as { type: string; text?: string }[] | undefined)?.find((c) => c.type === "text");
      const text = first?.text ?? "tool failed";
      const json = text.indexOf("\n\n{");
      out(json >= 0 ? JSON.stringify(JSON.parse(text.slice(json + 2)), null, 2) : JSON.stringify({ error: { message: text } }, null, 2));
      return 1;
    }
    out(JSON.stringify(result.structuredContent, null, 2));
    return 0;
  } finally {
    await client.close();
    await server.close();
  }
}
