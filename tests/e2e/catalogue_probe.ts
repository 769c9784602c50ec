/**
 * Run by tests/tools/catalogue_test.ts under the production flags: builds the demo server the way
 * main.ts does, connects a client, lists the tools, then calls one inventory tool, and prints
 * (one JSON line) which toolsets' modules were loaded after each step.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { createAws } from "../../main.ts";
import { parseConfig } from "../../src/config.ts";
import { createLogger } from "../../src/log.ts";
import { createServer } from "../../src/server.ts";
import { loadedToolsets } from "../../src/tools/catalogue.ts";

const config = parseConfig(["--demo", "--region", "us-east-1"], () => undefined);
const log = createLogger("error", () => {});
const { server } = createServer({ config, aws: await createAws(config, log), log });
const client = new Client({ name: "catalogue-probe", version: "0" });
const [a, b] = InMemoryTransport.createLinkedPair();
await Promise.all([server.connect(a), client.connect(b)]);
const atStart = loadedToolsets();
const listed = (await client.listTools()).tools.length;
const afterList = loadedToolsets();
const call = await client.callTool({ name: "get_euc_inventory_summary", arguments: {} });
const afterCall = loadedToolsets();
const line = JSON.stringify({
  atStart,
  listed,
  afterList,
  callIsError: call.isError === true,
  afterCall,
});
Deno.stdout.writeSync(new TextEncoder().encode(`${line}\n`));
await client.close();
