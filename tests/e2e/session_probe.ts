/**
 * Probe entry for `rotation_test.ts`: one long-lived `Aws` (the real credential chain) that makes one
 * WorkSpaces `DescribeWorkspaces` per line read from stdin (two inside one tool-run scope for a line
 * `tool`) and prints `ok` or the classified error as
 * one line of JSON, so a test can change the world (rewrite ~/.aws/credentials) between calls.
 *
 * Usage: `deno run <flags> tests/e2e/session_probe.ts --endpoint-url url [--profile p] [--region r]`.
 */
import { parseArgs } from "node:util";
import { Aws, AwsCallError } from "../../src/aws/clients.ts";
import { withActions } from "../../src/aws/scope.ts";

const encoder = new TextEncoder();
const { values } = parseArgs({
  args: Deno.args,
  options: { region: { type: "string" }, profile: { type: "string" }, "endpoint-url": { type: "string" } },
  strict: true,
});
const aws = new Aws({
  profile: values.profile,
  endpointUrl: values["endpoint-url"],
  region: values.region,
  userAgent: "workspaces-euc-mcp-session-probe/0",
  maxAttempts: 1,
});

let buffered = "";
for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
  buffered += chunk;
  while (buffered.includes("\n")) {
    const command = buffered.slice(0, buffered.indexOf("\n")).trim();
    buffered = buffered.slice(buffered.indexOf("\n") + 1);
    let line: string;
    try {
      const region = (await aws.defaultRegion()) ?? "us-east-1";
      const describe = () => aws.call("workspaces", "DescribeWorkspaces", {}, { region });
      // "tool": two calls inside one tool run's scope, as the registry runs a tool; otherwise one call outside any.
      if (command === "tool") {
        await withActions("probe", ["workspaces:DescribeWorkspaces"], async () => {
          await describe();
          await describe();
        });
      } else await describe();
      line = "ok";
    } catch (e) {
      line = JSON.stringify(e instanceof AwsCallError ? e.info : { code: "Unclassified", message: String(e) });
    }
    await Deno.stdout.write(encoder.encode(line + "\n"));
  }
}
