/**
 * Probe entry for `credentials_test.ts`, run as a child process under the server's permission flags:
 * one WorkSpaces `DescribeWorkspaces` through the project's `Aws` class (the real credential chain),
 * then prints `ok`, or the classified error as one line of JSON, to stdout.
 *
 * Usage: `deno run <flags> tests/e2e/sdk_probe.ts [--region r] [--profile p] [--assume-role-arn arn]
 * [--endpoint-url url]`; or `--query-net host1,host2` to print the `Deno.permissions.query` state of
 * each net host as JSON; or `--resolve-endpoints r1,r2` to resolve every service's endpoint host in
 * those regions (standard, FIPS and dual-stack variants, as the SDK's rules give them) and print
 * `[{service, region, variant, host, state}]` without sending anything.
 *
 * It reads no environment variable itself: everything else comes from the AWS SDK's own chain.
 */
import { parseArgs } from "node:util";
import { Aws, AwsCallError } from "../../src/aws/clients.ts";

const encoder = new TextEncoder();
function out(line: string): void {
  Deno.stdout.writeSync(encoder.encode(line + "\n"));
}

const { values } = parseArgs({
  args: Deno.args,
  options: {
    region: { type: "string" },
    profile: { type: "string" },
    "assume-role-arn": { type: "string" },
    "endpoint-url": { type: "string" },
    "query-net": { type: "string" },
    "resolve-endpoints": { type: "string" },
  },
  strict: true,
});

if (values["query-net"] !== undefined) {
  const states: Record<string, string> = {};
  for (const host of values["query-net"].split(",")) {
    states[host] = (await Deno.permissions.query({ name: "net", host })).state;
  }
  out(JSON.stringify(states));
  Deno.exit(0);
}

/** The SDK client class of each service the server calls (keep in step with src/aws/clients.ts). */
const CLIENTS = {
  workspaces: () => import("@aws-sdk/client-workspaces").then((m) => m.WorkSpacesClient),
  "workspaces-instances": () => import("@aws-sdk/client-workspaces-instances").then((m) => m.WorkspacesInstancesClient),
  appstream: () => import("@aws-sdk/client-appstream").then((m) => m.AppStreamClient),
  "workspaces-web": () => import("@aws-sdk/client-workspaces-web").then((m) => m.WorkSpacesWebClient),
  ds: () => import("@aws-sdk/client-directory-service").then((m) => m.DirectoryServiceClient),
  cloudwatch: () => import("@aws-sdk/client-cloudwatch").then((m) => m.CloudWatchClient),
  ce: () => import("@aws-sdk/client-cost-explorer").then((m) => m.CostExplorerClient),
  ec2: () => import("@aws-sdk/client-ec2").then((m) => m.EC2Client),
};

if (values["resolve-endpoints"] !== undefined) {
  const variants = { standard: {}, fips: { UseFIPS: true }, dualstack: { UseDualStack: true } };
  const rows = [];
  for (const [service, load] of Object.entries(CLIENTS)) {
    const Ctor = await load();
    const client = new Ctor({ region: "us-east-1", credentials: { accessKeyId: "unused", secretAccessKey: "unused" } });
    const provider = client.config.endpointProvider as (params: Record<string, unknown>) => { url: URL };
    for (const region of values["resolve-endpoints"].split(",")) {
      for (const [variant, params] of Object.entries(variants)) {
        let host: string;
        try {
          host = provider({ Region: region, UseFIPS: false, UseDualStack: false, ...params }).url.hostname;
        } catch {
          continue; // the SDK's rules offer no such variant in this partition
        }
        const state = (await Deno.permissions.query({ name: "net", host })).state;
        rows.push({ service, region, variant, host, state });
      }
    }
    client.destroy();
  }
  out(JSON.stringify(rows));
  Deno.exit(0);
}

const aws = new Aws({
  profile: values.profile,
  assumeRoleArn: values["assume-role-arn"],
  endpointUrl: values["endpoint-url"],
  region: values.region,
  userAgent: "workspaces-euc-mcp-sdk-probe/0",
  maxAttempts: 1,
});

try {
  const region = (await aws.defaultRegion()) ?? "us-east-1";
  await aws.call("workspaces", "DescribeWorkspaces", {}, { region });
  out("ok");
  Deno.exit(0);
} catch (e) {
  if (e instanceof AwsCallError) {
    out(JSON.stringify(e.info));
  } else {
    const err = e as Error;
    out(JSON.stringify({ code: "Unclassified", name: err?.name, message: String(err?.message ?? e) }));
  }
  Deno.exit(1);
}
