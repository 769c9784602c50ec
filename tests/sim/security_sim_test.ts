/**
 * The simulator's security and Secure Browser operations answer the real SDK clients: restJson1
 * routes with greedy ARN labels, 404 ResourceNotFoundException, pagination, and the 25-id limit of
 * DescribeClientProperties.
 */
import assert from "node:assert/strict";
import {
  DescribeAccountCommand,
  DescribeAccountModificationsCommand,
  DescribeClientPropertiesCommand,
  DescribeConnectionAliasesCommand,
  DescribeIpGroupsCommand,
  WorkSpacesClient,
} from "@aws-sdk/client-workspaces";
import { AppStreamClient, DescribeUsageReportSubscriptionsCommand } from "@aws-sdk/client-appstream";
import {
  GetBrowserSettingsCommand,
  GetDataProtectionSettingsCommand,
  GetIpAccessSettingsCommand,
  GetNetworkSettingsCommand,
  GetPortalCommand,
  GetUserSettingsCommand,
  ListIdentityProvidersCommand,
  ListSessionsCommand,
  WorkSpacesWebClient,
} from "@aws-sdk/client-workspaces-web";
import { scenario, Simulator } from "../../src/sim/mod.ts";

const CREDENTIALS = { accessKeyId: "AKIDSIM", secretAccessKey: "sim" };
const PORTAL = "11111111-2222-4333-8444-555555555555";
const ARN = `arn:aws:workspaces-web:us-east-1:123456789012:portal/${PORTAL}`;

function config(sim: Simulator) {
  return { region: "us-east-1", credentials: CREDENTIALS, requestHandler: sim.handler };
}

Deno.test("sim: a portal and each of its settings objects answer by ARN; unknown ARNs are 404 ResourceNotFound", async () => {
  const sim = new Simulator(
    scenario().portal(PORTAL, {
      web: {
        userSettings: { download: true },
        ipRanges: ["198.51.100.0/24"],
        dataProtection: { builtInPatterns: ["Ssn"], customPatterns: [{ name: "EmpId", regex: "/E\\d{6}/" }] },
        sessions: [{ user: "a@example.com" }, { user: "b@example.com", status: "Terminated" }],
      },
    }).build(),
  );
  const web = new WorkSpacesWebClient(config(sim));
  const { portal } = await web.send(new GetPortalCommand({ portalArn: ARN }));
  assert.equal(portal?.portalArn, ARN);
  assert.ok(portal?.creationDate instanceof Date);
  const user = await web.send(new GetUserSettingsCommand({ userSettingsArn: portal!.userSettingsArn! }));
  assert.equal(user.userSettings?.downloadAllowed, "Enabled");
  assert.equal(user.userSettings?.copyAllowed, "Disabled");
  const net = await web.send(new GetNetworkSettingsCommand({ networkSettingsArn: portal!.networkSettingsArn! }));
  assert.match(net.networkSettings?.vpcId ?? "", /^vpc-/);
  const browser = await web.send(new GetBrowserSettingsCommand({ browserSettingsArn: portal!.browserSettingsArn! }));
  assert.ok(JSON.parse(browser.browserSettings!.browserPolicy!).chromePolicies);
  const ip = await web.send(new GetIpAccessSettingsCommand({ ipAccessSettingsArn: portal!.ipAccessSettingsArn! }));
  assert.deepEqual(ip.ipAccessSettings?.ipRules?.map((r) => r.ipRange), ["198.51.100.0/24"]);
  const dp = await web.send(
    new GetDataProtectionSettingsCommand({ dataProtectionSettingsArn: portal!.dataProtectionSettingsArn! }),
  );
  assert.equal(dp.dataProtectionSettings?.inlineRedactionConfiguration?.inlineRedactionPatterns?.length, 2);
  const idps = await web.send(new ListIdentityProvidersCommand({ portalArn: ARN }));
  assert.equal(idps.identityProviders?.[0].identityProviderType, "SAML");
  const active = await web.send(new ListSessionsCommand({ portalId: PORTAL, status: "Active" }));
  assert.deepEqual(active.sessions?.map((s) => s.username), ["a@example.com"]);
  assert.ok(active.sessions?.[0].startTime instanceof Date);
  const all = await web.send(new ListSessionsCommand({ portalId: PORTAL }));
  assert.equal(all.sessions?.length, 2);

  const missing = ARN.replace(PORTAL, "99999999-2222-4333-8444-555555555555");
  await assert.rejects(
    web.send(new GetPortalCommand({ portalArn: missing })),
    (e: Error & { $metadata?: { httpStatusCode?: number } }) =>
      e.name === "ResourceNotFoundException" && e.$metadata?.httpStatusCode === 404,
  );
  await assert.rejects(
    web.send(new ListSessionsCommand({ portalId: "99999999-2222-4333-8444-555555555555" })),
    (e: Error) => e.name === "ResourceNotFoundException",
  );
});

Deno.test("sim: portals can share one user settings object", async () => {
  const other = "22222222-2222-4333-8444-555555555555";
  const sim = new Simulator(
    scenario().portal(PORTAL, { web: { sharedUserSettings: "corp" } })
      .portal(other, { web: { sharedUserSettings: "corp" } }).build(),
  );
  const web = new WorkSpacesWebClient(config(sim));
  const a = (await web.send(new GetPortalCommand({ portalArn: ARN }))).portal!;
  const b = (await web.send(new GetPortalCommand({ portalArn: ARN.replace(PORTAL, other) }))).portal!;
  assert.equal(a.userSettingsArn, b.userSettingsArn);
  const u = await web.send(new GetUserSettingsCommand({ userSettingsArn: a.userSettingsArn! }));
  assert.equal(u.userSettings?.associatedPortalArns?.length, 2);
});

Deno.test("sim: IP groups page under Result; client properties refuse 26 ids like AWS", async () => {
  const ids = Array.from({ length: 30 }, (_, i) => `d-90670000${String(i).padStart(2, "0")}`);
  let s = scenario();
  for (const id of ids) s = s.directory(id);
  for (let i = 0; i < 30; i++) s = s.ipGroup(`wsipg-group${String(i).padStart(4, "0")}`, { rules: ["10.0.0.0/8"] });
  s = s.clientProperties(ids[0], { reconnect: false })
    .workspacesAccount({
      dedicatedTenancy: true,
      managementCidr: "10.200.0.0/16",
      modifications: [{ state: "COMPLETED", daysAgo: 3 }],
    })
    .connectionAlias("wsca-abc123456", { connectionString: "desktops.example.com", directories: [ids[0]] });
  const sim = new Simulator(s.build());
  const ws = new WorkSpacesClient(config(sim));
  const first = await ws.send(new DescribeIpGroupsCommand({}));
  assert.equal(first.Result?.length, 25);
  assert.ok(first.NextToken);
  const second = await ws.send(new DescribeIpGroupsCommand({ NextToken: first.NextToken }));
  assert.equal(second.Result?.length, 5);
  assert.equal(second.Result?.[0].userRules?.[0].ipRule, "10.0.0.0/8");

  const props = await ws.send(new DescribeClientPropertiesCommand({ ResourceIds: ids.slice(0, 25) }));
  assert.equal(props.ClientPropertiesList?.length, 25);
  assert.equal(props.ClientPropertiesList?.[0].ClientProperties?.ReconnectEnabled, "DISABLED");
  assert.equal(props.ClientPropertiesList?.[1].ClientProperties?.ReconnectEnabled, "ENABLED");
  await assert.rejects(
    ws.send(new DescribeClientPropertiesCommand({ ResourceIds: ids.slice(0, 26) })),
    (e: Error) => e.name === "ValidationException",
  );

  const account = await ws.send(new DescribeAccountCommand({}));
  assert.equal(account.DedicatedTenancySupport, "ENABLED");
  assert.equal(account.DedicatedTenancyManagementCidrRange, "10.200.0.0/16");
  const mods = await ws.send(new DescribeAccountModificationsCommand({}));
  assert.equal(mods.AccountModifications?.[0].ModificationState, "COMPLETED");
  assert.ok(mods.AccountModifications?.[0].StartTime instanceof Date);
  const aliases = await ws.send(new DescribeConnectionAliasesCommand({}));
  assert.equal(aliases.ConnectionAliases?.[0].ConnectionString, "desktops.example.com");
});

Deno.test("sim: usage report subscriptions answer per region, empty where none", async () => {
  const sim = new Simulator(scenario().usageReports().inRegion("eu-west-1").stack("s1").build());
  const east = new AppStreamClient(config(sim));
  const subs = await east.send(new DescribeUsageReportSubscriptionsCommand({}));
  assert.equal(subs.UsageReportSubscriptions?.[0].Schedule, "DAILY");
  const west = new AppStreamClient({ ...config(sim), region: "eu-west-1" });
  const none = await west.send(new DescribeUsageReportSubscriptionsCommand({}));
  assert.deepEqual(none.UsageReportSubscriptions ?? [], []);
});
