/**
 * The simulated estate's security data: WorkSpaces IP access control groups, account (BYOL)
 * settings and their modifications, client properties, connection aliases, WorkSpaces
 * Applications usage-report subscriptions, and the WorkSpaces Secure Browser settings objects,
 * identity providers and sessions behind each portal. Stored in AWS SDK output shapes and filled by
 * the scenario builder's security methods and the portal options.
 */
import type {
  AccountModification,
  ClientProperties,
  ConnectionAlias,
  ConnectionAliasState,
  DedicatedTenancyModificationStateEnum,
  DescribeAccountResult,
  WorkspacesIpGroup,
} from "@aws-sdk/client-workspaces";
import type { UsageReportExecutionErrorCode, UsageReportSubscription } from "@aws-sdk/client-appstream";
import type {
  BrowserSettings,
  DataProtectionSettings,
  EnabledType,
  IdentityProviderSummary,
  IdentityProviderType,
  InlineRedactionPattern,
  IpAccessSettings,
  NetworkSettings,
  Portal,
  SessionStatus,
  SessionSummary,
  UserSettings,
} from "@aws-sdk/client-workspaces-web";
import { BASE36, DAY, hashChars, MINUTE, SUBNETS, uuidFrom, VPC } from "../seed.ts";
import type { RegionResources } from "../types.ts";

/** One region's security data. */
export class SecurityData {
  /** WorkSpaces IP access control groups by group id (wsipg-…). */
  readonly ipGroups = new Map<string, WorkspacesIpGroup>();
  /** DescribeAccount: the account's BYOL (dedicated tenancy) settings in this region. */
  account: DescribeAccountResult = { DedicatedTenancySupport: "DISABLED" };
  /** DescribeAccountModifications, in the order AWS returns them. */
  readonly accountModifications: AccountModification[] = [];
  /** WorkSpaces client properties by directory id; directories without an entry get the defaults. */
  readonly clientProperties = new Map<string, ClientProperties>();
  /** WorkSpaces connection aliases (cross-Region redirection) by alias id. */
  readonly connectionAliases = new Map<string, ConnectionAlias>();
  /** WorkSpaces Applications usage-report subscriptions (at most one per region in AWS). */
  readonly usageReports: UsageReportSubscription[] = [];
  /** WorkSpaces Secure Browser user settings by ARN. */
  readonly userSettings = new Map<string, UserSettings>();
  /** WorkSpaces Secure Browser network settings by ARN. */
  readonly networkSettings = new Map<string, NetworkSettings>();
  /** WorkSpaces Secure Browser browser settings by ARN. */
  readonly browserSettings = new Map<string, BrowserSettings>();
  /** WorkSpaces Secure Browser IP access settings by ARN. */
  readonly ipAccessSettings = new Map<string, IpAccessSettings>();
  /** WorkSpaces Secure Browser data protection settings by ARN. */
  readonly dataProtectionSettings = new Map<string, DataProtectionSettings>();
  /** WorkSpaces Secure Browser identity providers by portal ARN. */
  readonly identityProviders = new Map<string, IdentityProviderSummary[]>();
  /** WorkSpaces Secure Browser sessions (active and terminated) by portal id. */
  readonly sessions = new Map<string, SessionSummary[]>();
}

/** What the security builders read and write of one region (the region store satisfies it). */
export interface SecurityRegion extends RegionResources {
  readonly security: SecurityData;
}

/** The client properties AWS reports for a directory nobody changed. */
export const DEFAULT_CLIENT_PROPERTIES: Readonly<ClientProperties> = {
  ReconnectEnabled: "ENABLED",
  LogUploadEnabled: "ENABLED",
};

// ---------------------------------------------------------------- WorkSpaces

/** Options of a WorkSpaces IP access control group. */
export interface IpGroupOpts {
  name?: string;
  description?: string;
  /** CIDR rules ("203.0.113.0/24") or rules with a description. */
  rules?: (string | { rule: string; description?: string })[];
  /** Directories (already in the scenario) the group is associated with. */
  directories?: string[];
}

/** Adds an IP access control group and associates it with `opts.directories`. */
export function addIpGroup(r: SecurityRegion, id: string, o: IpGroupOpts): void {
  const group: WorkspacesIpGroup = {
    groupId: id,
    groupName: o.name ?? `group-${id.slice(6, 12)}`,
    groupDesc: o.description,
    userRules: (o.rules ?? ["203.0.113.0/24"]).map((rule) =>
      typeof rule === "string" ? { ipRule: rule } : { ipRule: rule.rule, ruleDesc: rule.description }
    ),
  };
  if (group.groupDesc === undefined) delete group.groupDesc;
  r.security.ipGroups.set(id, group);
  for (const d of o.directories ?? []) {
    const dir = r.directories.get(d);
    if (!dir) throw new Error(`ipGroup ${id}: directory ${d} is not in the scenario`);
    dir.ipGroupIds = [...(dir.ipGroupIds ?? []), id];
  }
}

/** One BYOL (dedicated tenancy) modification of the account. */
export interface AccountModificationOpts {
  state: DedicatedTenancyModificationStateEnum;
  /** Whether the modification enables or disables BYOL. */
  tenancy?: "ENABLED" | "DISABLED";
  cidr?: string;
  daysAgo?: number;
  errorCode?: string;
  errorMessage?: string;
}

/** Options of the account's WorkSpaces (BYOL) settings in one region. */
export interface AccountOpts {
  dedicatedTenancy?: boolean;
  managementCidr?: string;
  modifications?: AccountModificationOpts[];
}

/** Sets the account settings of a region. */
export function setAccount(r: SecurityRegion, o: AccountOpts, now: number): void {
  const enabled = o.dedicatedTenancy ?? false;
  r.security.account = {
    DedicatedTenancySupport: enabled ? "ENABLED" : "DISABLED",
    ...(enabled || o.managementCidr
      ? { DedicatedTenancyManagementCidrRange: o.managementCidr ?? "10.192.0.0/16" }
      : {}),
  };
  for (const m of o.modifications ?? []) {
    const mod: AccountModification = {
      ModificationState: m.state,
      DedicatedTenancySupport: m.tenancy ?? "ENABLED",
      DedicatedTenancyManagementCidrRange: m.cidr ?? o.managementCidr ?? "10.192.0.0/16",
      StartTime: new Date(now - (m.daysAgo ?? 1) * DAY),
      ErrorCode: m.errorCode,
      ErrorMessage: m.errorMessage,
    };
    for (const k of Object.keys(mod) as (keyof AccountModification)[]) if (mod[k] === undefined) delete mod[k];
    r.security.accountModifications.push(mod);
  }
}

/** Options of a directory's WorkSpaces client properties. */
export interface ClientPropertiesOpts {
  /** Users may save credentials and reconnect without signing in again (AWS default: true). */
  reconnect?: boolean;
  /** The client uploads diagnostic logs to AWS (AWS default: true). */
  logUpload?: boolean;
}

/** Sets the client properties of a directory. */
export function setClientProperties(r: SecurityRegion, directoryId: string, o: ClientPropertiesOpts): void {
  r.security.clientProperties.set(directoryId, {
    ReconnectEnabled: (o.reconnect ?? true) ? "ENABLED" : "DISABLED",
    LogUploadEnabled: (o.logUpload ?? true) ? "ENABLED" : "DISABLED",
  });
}

/** Options of a connection alias. */
export interface ConnectionAliasOpts {
  connectionString?: string;
  state?: ConnectionAliasState;
  /** Directories the alias is associated with. */
  directories?: string[];
}

/** Adds a connection alias (wsca-…). */
export function addConnectionAlias(r: SecurityRegion, id: string, o: ConnectionAliasOpts): void {
  r.security.connectionAliases.set(id, {
    AliasId: id,
    ConnectionString: o.connectionString ?? "desktop.example.com",
    State: o.state ?? "CREATED",
    OwnerAccountId: r.account,
    Associations: (o.directories ?? []).map((d) => ({
      AssociationStatus: "ASSOCIATED_WITH_OWNER_ACCOUNT",
      AssociatedAccountId: r.account,
      ResourceId: d,
      ConnectionIdentifier: hashChars(`${id}/${d}`, 20, BASE36),
    })),
  });
}

// ---------------------------------------------------------------- WorkSpaces Applications

/** Options of the usage-report subscription of a region. */
export interface UsageReportOpts {
  bucket?: string;
  lastGeneratedDaysAgo?: number;
  errors?: { code: UsageReportExecutionErrorCode; message: string }[];
}

/** Subscribes the region to WorkSpaces Applications usage reports. */
export function addUsageReport(r: SecurityRegion, o: UsageReportOpts, now: number): void {
  const sub: UsageReportSubscription = {
    S3BucketName: o.bucket ?? `appstream-logs-${r.name}-${r.account}-${hashChars(r.name, 8, BASE36)}`,
    Schedule: "DAILY",
    LastGeneratedReportDate: new Date(now - (o.lastGeneratedDaysAgo ?? 1) * DAY),
    SubscriptionErrors: o.errors?.map((e) => ({ ErrorCode: e.code, ErrorMessage: e.message })) ?? [],
  };
  r.security.usageReports.push(sub);
}

// ---------------------------------------------------------------- WorkSpaces Secure Browser

/** What the portal's user settings allow (booleans become "Enabled" / "Disabled"). */
export interface WebUserSettingsOpts {
  copy?: boolean;
  paste?: boolean;
  download?: boolean;
  upload?: boolean;
  print?: boolean;
  deepLink?: boolean;
  webAuthn?: boolean;
  disconnectMinutes?: number;
  idleMinutes?: number;
}

/** Data protection (inline redaction) settings of a portal. */
export interface DataProtectionOpts {
  builtInPatterns?: string[];
  customPatterns?: { name: string; regex: string; description?: string; keywordRegex?: string }[];
  confidenceLevel?: number;
  enforcedUrls?: string[];
  exemptUrls?: string[];
}

/** Secure Browser settings of one portal; anything unset gets a locked-down default. */
export interface PortalWebOpts {
  /** Default: paste allowed, copy/download/upload/print not. */
  userSettings?: WebUserSettingsOpts;
  /** Portals naming the same key share one user settings object (as AWS allows). */
  sharedUserSettings?: string;
  /** Allowed ranges of the IP access settings (when the portal has them). Default 203.0.113.0/24. */
  ipRanges?: string[];
  /** The browser policy JSON (object or string); null: no browser settings attached. */
  browserPolicy?: Record<string, unknown> | string | null;
  /** Network settings attached (default true). */
  network?: boolean;
  /** Data protection settings attached (default none). */
  dataProtection?: boolean | DataProtectionOpts;
  /** A session logger attached (default none). */
  sessionLogger?: boolean;
  /** Identity providers (default: one SAML provider for Standard portals, none for IAM Identity Center). */
  identityProviders?: { name: string; type?: IdentityProviderType }[];
  /** Sessions: a number of active ones, or each session. */
  sessions?: number | { user?: string; status?: SessionStatus; startedMinutesAgo?: number }[];
}

const DEFAULT_BROWSER_POLICY = {
  chromePolicies: {
    DefaultDownloadDirectory: { value: "/home/as2-streaming-user/MyFiles/TemporaryFiles" },
    URLBlocklist: { value: ["file://*", "chrome://*"] },
  },
};

/** Creates the settings objects, identity providers and sessions of every portal in the scenario. */
export function buildPortalWeb(
  estate: { region(name: string): SecurityRegion },
  portals: { region: string; id: string; opts: { web?: PortalWebOpts } }[],
  now: number,
): void {
  for (const spec of portals) {
    const r = estate.region(spec.region);
    const arn = r.arn("workspaces-web", `portal/${spec.id}`);
    const portal = r.portals.get(arn);
    if (portal) addPortalWeb(r, spec.id, portal, spec.opts.web ?? {}, now);
  }
}

function enabled(v: boolean | undefined, fallback: boolean): EnabledType {
  return (v ?? fallback) ? "Enabled" : "Disabled";
}

function addPortalWeb(r: SecurityRegion, id: string, portal: Portal, o: PortalWebOpts, now: number): void {
  const s = r.security;
  const arn = portal.portalArn!;
  const setting = (kind: string, seed = `${id}/${kind}`) => r.arn("workspaces-web", `${kind}/${uuidFrom(seed)}`);
  if (portal.userSettingsArn) {
    if (o.sharedUserSettings) portal.userSettingsArn = setting("userSettings", `shared/${o.sharedUserSettings}`);
    const existing = s.userSettings.get(portal.userSettingsArn);
    if (existing) {
      existing.associatedPortalArns = [...(existing.associatedPortalArns ?? []), arn];
    } else {
      const u = o.userSettings ?? {};
      s.userSettings.set(portal.userSettingsArn, {
        userSettingsArn: portal.userSettingsArn,
        associatedPortalArns: [arn],
        copyAllowed: enabled(u.copy, false),
        pasteAllowed: enabled(u.paste, true),
        downloadAllowed: enabled(u.download, false),
        uploadAllowed: enabled(u.upload, false),
        printAllowed: enabled(u.print, false),
        deepLinkAllowed: enabled(u.deepLink, false),
        webAuthnAllowed: enabled(u.webAuthn, false),
        disconnectTimeoutInMinutes: u.disconnectMinutes ?? 60,
        idleDisconnectTimeoutInMinutes: u.idleMinutes ?? 15,
      });
    }
  }
  if (portal.networkSettingsArn) {
    if (o.network === false) {
      delete portal.networkSettingsArn;
    } else {
      s.networkSettings.set(portal.networkSettingsArn, {
        networkSettingsArn: portal.networkSettingsArn,
        associatedPortalArns: [arn],
        vpcId: VPC,
        subnetIds: [...SUBNETS],
        securityGroupIds: ["sg-0d4e6f8a1b3c5d7e9"],
      });
    }
  }
  if (portal.browserSettingsArn) {
    if (o.browserPolicy === null) {
      delete portal.browserSettingsArn;
    } else {
      const policy = o.browserPolicy ?? DEFAULT_BROWSER_POLICY;
      s.browserSettings.set(portal.browserSettingsArn, {
        browserSettingsArn: portal.browserSettingsArn,
        associatedPortalArns: [arn],
        browserPolicy: typeof policy === "string" ? policy : JSON.stringify(policy),
      });
    }
  }
  if (portal.ipAccessSettingsArn) {
    s.ipAccessSettings.set(portal.ipAccessSettingsArn, {
      ipAccessSettingsArn: portal.ipAccessSettingsArn,
      associatedPortalArns: [arn],
      displayName: `${portal.displayName ?? id} allowed networks`,
      ipRules: (o.ipRanges ?? ["203.0.113.0/24"]).map((ipRange) => ({ ipRange })),
      creationDate: new Date(now - 60 * DAY),
    });
  }
  if (o.dataProtection) {
    const d: DataProtectionOpts = o.dataProtection === true
      ? { builtInPatterns: ["CreditCardNumber"] }
      : o.dataProtection;
    portal.dataProtectionSettingsArn = setting("dataProtectionSettings");
    const patterns: InlineRedactionPattern[] = [
      ...(d.builtInPatterns ?? []).map((p) => ({
        builtInPatternId: p,
        redactionPlaceHolder: {
          redactionPlaceHolderType: "CustomText" as const,
          redactionPlaceHolderText: "[redacted]",
        },
      })),
      ...(d.customPatterns ?? []).map((p) => ({
        customPattern: {
          patternName: p.name,
          patternRegex: p.regex,
          ...(p.description ? { patternDescription: p.description } : {}),
          ...(p.keywordRegex ? { keywordRegex: p.keywordRegex } : {}),
        },
        redactionPlaceHolder: {
          redactionPlaceHolderType: "CustomText" as const,
          redactionPlaceHolderText: "[redacted]",
        },
      })),
    ];
    s.dataProtectionSettings.set(portal.dataProtectionSettingsArn, {
      dataProtectionSettingsArn: portal.dataProtectionSettingsArn,
      associatedPortalArns: [arn],
      displayName: "Redact sensitive data",
      creationDate: new Date(now - 30 * DAY),
      inlineRedactionConfiguration: {
        inlineRedactionPatterns: patterns,
        globalConfidenceLevel: d.confidenceLevel ?? 2,
        ...(d.enforcedUrls ? { globalEnforcedUrls: d.enforcedUrls } : {}),
        ...(d.exemptUrls ? { globalExemptUrls: d.exemptUrls } : {}),
      },
    });
  }
  if (o.sessionLogger) portal.sessionLoggerArn = setting("sessionLogger");
  const idps = o.identityProviders ??
    (portal.authenticationType === "IAM_Identity_Center" ? [] : [{ name: "corp-saml", type: "SAML" as const }]);
  s.identityProviders.set(
    arn,
    idps.map((p) => ({
      identityProviderArn: r.arn("workspaces-web", `identityProvider/${id}/${uuidFrom(`${id}/idp/${p.name}`)}`),
      identityProviderName: p.name,
      identityProviderType: p.type ?? "SAML",
    })),
  );
  type SessionOpts = Exclude<PortalWebOpts["sessions"], number | undefined>[number];
  const sessions: SessionOpts[] = typeof o.sessions === "number"
    ? Array.from({ length: o.sessions }, (_, i) => ({ user: `user${i + 1}@example.com`, startedMinutesAgo: 5 + i }))
    : o.sessions ?? [];
  s.sessions.set(
    id,
    sessions.map((x, i) => {
      const status = x.status ?? "Active";
      const start = now - (x.startedMinutesAgo ?? 10 + i) * MINUTE;
      const summary: SessionSummary = {
        portalArn: arn,
        sessionId: uuidFrom(`${id}/session/${i}`),
        username: x.user ?? `user${i + 1}@example.com`,
        status,
        startTime: new Date(start),
      };
      if (status === "Terminated") summary.endTime = new Date(Math.min(now, start + 30 * MINUTE));
      return summary;
    }),
  );
}
