/**
 * The client factory: the only place that constructs AWS SDK clients.
 *
 * Client modules are loaded on first use with a dynamic `import()` of a literal specifier
 * (eagerly importing all of them costs ~0.25 s and ~100 MB at start-up; `deno compile` still
 * bundles literal dynamic imports). Clients are cached per service × region. Every call goes
 * through `Aws.call(service, operation, input, …)`, which is also what the IAM test greps for.
 */
import { type AwsErrorInfo, classifyError } from "./errors.ts";
import { currentScope, SENT_BY_TOOL, UNDECLARED } from "./scope.ts";

const LOADERS = {
  workspaces: (): Promise<typeof import("@aws-sdk/client-workspaces")> => import("@aws-sdk/client-workspaces"),
  "workspaces-instances": (): Promise<typeof import("@aws-sdk/client-workspaces-instances")> =>
    import("@aws-sdk/client-workspaces-instances"),
  appstream: (): Promise<typeof import("@aws-sdk/client-appstream")> => import("@aws-sdk/client-appstream"),
  "workspaces-web": (): Promise<typeof import("@aws-sdk/client-workspaces-web")> =>
    import("@aws-sdk/client-workspaces-web"),
  ds: (): Promise<typeof import("@aws-sdk/client-directory-service")> => import("@aws-sdk/client-directory-service"),
  cloudwatch: (): Promise<typeof import("@aws-sdk/client-cloudwatch")> => import("@aws-sdk/client-cloudwatch"),
  ce: (): Promise<typeof import("@aws-sdk/client-cost-explorer")> => import("@aws-sdk/client-cost-explorer"),
  ec2: (): Promise<typeof import("@aws-sdk/client-ec2")> => import("@aws-sdk/client-ec2"),
  pricing: (): Promise<typeof import("@aws-sdk/client-pricing")> => import("@aws-sdk/client-pricing"),
  cloudtrail: (): Promise<typeof import("@aws-sdk/client-cloudtrail")> => import("@aws-sdk/client-cloudtrail"),
  servicequotas: (): Promise<typeof import("@aws-sdk/client-service-quotas")> =>
    import("@aws-sdk/client-service-quotas"),
  "application-autoscaling": (): Promise<typeof import("@aws-sdk/client-application-auto-scaling")> =>
    import("@aws-sdk/client-application-auto-scaling"),
  tag: (): Promise<typeof import("@aws-sdk/client-resource-groups-tagging-api")> =>
    import("@aws-sdk/client-resource-groups-tagging-api"),
} as const;

/** An AWS service this server calls, by its short key (= IAM action prefix). */
export type ServiceKey = keyof typeof LOADERS;
type Mods = { [K in ServiceKey]: Awaited<ReturnType<typeof LOADERS[K]>> };

/** AWS credentials as the SDK's providers return them. */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** The SDK client class exported by each module. */
const CLIENT_CLASS: Readonly<Record<ServiceKey, string>> = {
  workspaces: "WorkSpacesClient",
  "workspaces-instances": "WorkspacesInstancesClient",
  appstream: "AppStreamClient",
  "workspaces-web": "WorkSpacesWebClient",
  ds: "DirectoryServiceClient",
  cloudwatch: "CloudWatchClient",
  ce: "CostExplorerClient",
  ec2: "EC2Client",
  pricing: "PricingClient",
  cloudtrail: "CloudTrailClient",
  servicequotas: "ServiceQuotasClient",
  "application-autoscaling": "ApplicationAutoScalingClient",
  tag: "ResourceGroupsTaggingAPIClient",
};

/** Services with one global endpoint, always called in us-east-1. */
// The Price List API also answers in eu-central-1 and ap-south-1, but us-east-1 holds every region's products.
const GLOBAL_REGION: Partial<Record<ServiceKey, string>> = { ce: "us-east-1", pricing: "us-east-1" };

// deno-lint-ignore no-explicit-any -- argument lists of SDK constructors and handlers vary; only their shapes are matched
type AnyArgs = any[];
type AnyCtor = abstract new (...args: AnyArgs) => unknown;

/** Operation names of a service, derived from its `*Command` exports. */
export type OpName<S extends ServiceKey> = {
  [K in keyof Mods[S]]: K extends `${infer Op}Command` ? (Mods[S][K] extends AnyCtor ? Op : never) : never;
}[keyof Mods[S]];

type Cmd<S extends ServiceKey, O extends OpName<S>> = Mods[S][`${O}Command` & keyof Mods[S]];
type CommandOf<S extends ServiceKey, O extends OpName<S>> = Cmd<S, O> extends abstract new (...a: AnyArgs) => infer C
  ? C
  : never;

/** Input type of an operation. */
export type OpInput<S extends ServiceKey, O extends OpName<S>> = CommandOf<S, O> extends { input: infer I } ? I : never;

/** Output type of an operation (smithy commands expose it through their middleware handler). */
export type OpOutput<S extends ServiceKey, O extends OpName<S>> = CommandOf<S, O> extends {
  resolveMiddleware(...a: AnyArgs): (...b: AnyArgs) => Promise<{ output: infer R }>;
} ? R
  : never;

/** How to reach AWS: credentials, role, endpoint, and the simulator's handler in tests/demo. */
export interface AwsOptions {
  readonly profile?: string;
  readonly assumeRoleArn?: string;
  readonly externalId?: string;
  readonly endpointUrl?: string;
  /** A smithy request handler (the simulator); default: the SDK's HTTP handler. */
  readonly requestHandler?: unknown;
  /** Fixed credentials (demo mode); default: the standard chain. */
  readonly credentials?: AwsCredentialIdentity;
  /** Region from flags/env; when absent it is read from the profile on first need. */
  readonly region?: string;
  readonly userAgent: string;
  readonly maxAttempts?: number;
  /** Refuse any action the running tool did not declare (the simulator in tests and --demo). */
  readonly declaredActionsOnly?: boolean;
}

/** Per-call options. */
export interface CallOptions {
  readonly region: string;
  readonly signal?: AbortSignal;
}

/** An AWS call that failed, already classified for the tool's `errors` list. */
export class AwsCallError extends Error {
  override name = "AwsCallError";
  constructor(readonly info: AwsErrorInfo, readonly original: unknown) {
    super(info.message);
  }
}

/** Credentials cached until five minutes before they expire; failures are never cached. */
function memoizeCredentials(
  provider: () => Promise<AwsCredentialIdentity>,
): () => Promise<AwsCredentialIdentity> {
  let cached: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return () => {
    const fresh = cached && (!cached.expiration || cached.expiration.getTime() - Date.now() > 300_000);
    if (fresh) return Promise.resolve(cached!);
    if (!pending) {
      pending = provider().then(
        (c) => {
          cached = c;
          pending = undefined;
          return c;
        },
        (e) => {
          pending = undefined;
          throw e;
        },
      );
    }
    return pending;
  };
}

/**
 * The SDK's chain replaces why each source failed with "Could not load credentials from any providers".
 * Under Deno's sandbox the real cause is often a denied permission (credential_process needs --allow-run,
 * an `aws login` refresh needs write access to its token cache): re-run the profile's own provider once
 * to recover that message as a NotCapable error, which classifyError turns into one clear line.
 */
async function sandboxDenial(profile: string | undefined): Promise<Error | undefined> {
  const { fromIni } = await import("@aws-sdk/credential-providers");
  try {
    await fromIni({ profile })();
  } catch (e) {
    const message = String((e as Error)?.message ?? e);
    // Spawning a credential_process first needs the whole environment ("Requires env access,"), then --allow-run.
    const spawn = /Requires run access|Requires env access,/.test(message);
    const denial = spawn ? 'Requires run access to "credential_process", run again with the --allow-run flag' : message;
    if (/Requires \w+ access/.test(message)) return Object.assign(new Error(denial), { name: "NotCapable" });
  }
  return undefined;
}

/** Lazily built, cached AWS clients plus one `call` entry point with error classification. */
export class Aws {
  readonly #clients = new Map<string, Promise<{ send(cmd: unknown, opts?: unknown): Promise<unknown> }>>();
  #credentials?: () => Promise<AwsCredentialIdentity>;
  #defaultRegion?: Promise<string | undefined>;

  constructor(readonly options: AwsOptions) {}

  /** The region tools use when none is given; undefined when nothing configures one. */
  defaultRegion(): Promise<string | undefined> {
    if (this.options.region) return Promise.resolve(this.options.region);
    this.#defaultRegion ??= (async () => {
      try {
        // The SDK resolves the region from AWS_PROFILE / --profile config files; reuse that logic.
        const { WorkSpacesClient } = await LOADERS.workspaces();
        const probe = new WorkSpacesClient({ profile: this.options.profile });
        const region = await probe.config.region();
        probe.destroy();
        return region || undefined;
      } catch {
        return undefined;
      }
    })();
    return this.#defaultRegion;
  }

  #credentialProvider(): () => Promise<AwsCredentialIdentity> {
    if (this.#credentials) return this.#credentials;
    const o = this.options;
    const fixed = o.credentials;
    const base = fixed ? () => Promise.resolve(fixed) : memoizeCredentials(async () => {
      const { fromNodeProviderChain } = await import("@aws-sdk/credential-providers");
      try {
        return await fromNodeProviderChain({ profile: o.profile })();
      } catch (e) {
        throw (await sandboxDenial(o.profile)) ?? e;
      }
    });
    if (!o.assumeRoleArn) {
      this.#credentials = base;
      return base;
    }
    // Assumed lazily: a bad role or an expired SSO session must not stop start-up; the first
    // tool call reports it, and a later call retries after the administrator fixes it.
    this.#credentials = memoizeCredentials(async () => {
      const { fromTemporaryCredentials } = await import("@aws-sdk/credential-providers");
      const region = (await this.defaultRegion()) ?? "us-east-1";
      try {
        return await fromTemporaryCredentials({
          params: {
            RoleArn: o.assumeRoleArn!,
            RoleSessionName: "workspaces-euc-mcp",
            ...(o.externalId ? { ExternalId: o.externalId } : {}),
          },
          masterCredentials: base,
          clientConfig: {
            region,
            ...(o.endpointUrl ? { endpoint: o.endpointUrl } : {}),
            ...(o.requestHandler ? { requestHandler: o.requestHandler as never } : {}),
          },
        })();
      } catch (e) {
        throw new AwsCallError(classifyError(e, { service: "sts", operation: "AssumeRole", region }, o), e);
      }
    });
    return this.#credentials;
  }

  #client(service: ServiceKey, region: string) {
    const key = `${service}@${region}`;
    let client = this.#clients.get(key);
    if (!client) {
      const o = this.options;
      client = LOADERS[service]().then((mod) => {
        const Ctor = (mod as Record<string, unknown>)[CLIENT_CLASS[service]] as new (config: unknown) => {
          send(cmd: unknown, opts?: unknown): Promise<unknown>;
        };
        return new Ctor({
          region,
          credentials: this.#credentialProvider(),
          retryMode: "adaptive",
          maxAttempts: o.maxAttempts ?? 3,
          customUserAgent: o.userAgent,
          ...(o.profile ? { profile: o.profile } : {}),
          ...(o.endpointUrl ? { endpoint: o.endpointUrl } : {}),
          requestHandler: o.requestHandler ?? { connectionTimeout: 5_000, requestTimeout: 30_000 },
        });
      });
      // A failed import must not poison the cache.
      client.catch(() => this.#clients.delete(key));
      this.#clients.set(key, client);
    }
    return client;
  }

  /** Calls one AWS operation; failures throw AwsCallError with code and hint. */
  async call<S extends ServiceKey, O extends OpName<S>>(
    service: S,
    operation: O,
    input: OpInput<S, O>,
    opts: CallOptions,
  ): Promise<OpOutput<S, O>> {
    const region = GLOBAL_REGION[service] ?? opts.region;
    const where = { service, operation: operation as string, region };
    const scope = currentScope();
    if (scope) {
      const action = `${service}:${operation as string}`;
      scope.sent.add(action);
      let seen = SENT_BY_TOOL.get(scope.tool);
      if (!seen) SENT_BY_TOOL.set(scope.tool, seen = new Set());
      seen.add(action);
      if (this.options.declaredActionsOnly && !scope.allowed.has(action)) {
        UNDECLARED.push({ tool: scope.tool, action });
        throw new AwsCallError({
          ...where,
          code: "AccessDenied",
          message: `${scope.tool} called ${action}, which it does not declare in its actions`,
          hint: `Add ${action} to the tool's actions (and its IAM tier policy), or stop calling it.`,
        }, undefined);
      }
    }
    try {
      const client = await this.#client(service, region);
      const mod = await LOADERS[service]();
      const Command = (mod as Record<string, unknown>)[`${operation}Command`] as new (input: unknown) => unknown;
      const out = await client.send(new Command(input), { abortSignal: opts.signal });
      return out as OpOutput<S, O>;
    } catch (e) {
      if (e instanceof AwsCallError) throw e;
      throw new AwsCallError(classifyError(e, where, this.options), e);
    }
  }
}
