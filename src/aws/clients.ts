/**
 * The client factory: the only place that constructs AWS SDK clients.
 *
 * Client modules are loaded on first use with a dynamic `import()` of a literal specifier
 * (eagerly importing all of them costs ~0.25 s and ~100 MB at start-up; `deno compile` still
 * bundles literal dynamic imports). Clients are cached per service × region. Every call goes
 * through `Aws.call(service, operation, input, …)`, which is also what the IAM test greps for.
 */
import { join } from "node:path";
import process from "node:process";
import { type AwsErrorInfo, classifyError, REJECTED_CREDENTIALS } from "./errors.ts";
import { checkOutput, fetchRequestHandler, guardResponses } from "./http.ts";
import { type ActionScope, currentScope, SENT_BY_TOOL, UNDECLARED } from "./scope.ts";

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

const MODULES = new Map<ServiceKey, Promise<Record<string, unknown>>>();
/** A service's SDK module, imported once (a failed import is tried again on the next call). */
function sdkModule(service: ServiceKey): Promise<Record<string, unknown>> {
  let mod = MODULES.get(service);
  if (!mod) {
    mod = LOADERS[service]() as Promise<unknown> as Promise<Record<string, unknown>>;
    mod.catch(() => MODULES.delete(service));
    MODULES.set(service, mod);
  }
  return mod;
}

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
  /** Attempts per call, first one included (default RETRY_BUDGET.maxAttempts). */
  readonly maxAttempts?: number;
  /** Multiplies every retry backoff delay; tests shorten it, production leaves it at 1. */
  readonly retryDelayScale?: number;
  /** The shared config/credentials files whose change makes the credentials be read again (default: the SDK's). */
  readonly sharedFiles?: readonly string[];
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

/**
 * The retry budget of every call. A read tool fans out into hundreds of calls; with the SDK's three
 * attempts, 20 % throttling + 5 % 5xx lost data in 16 of 90 tool runs. Eight attempts with capped
 * jittered backoff make a lost call about 1 in 65,000 (0.25^8) and bound one call's wait to ~15 s.
 */
export const RETRY_BUDGET = { maxAttempts: 8, maxDelayMs: 5_000 } as const;

/** The SDK's exponential full-jitter backoff, capped lower than its 20 s and scalable for tests. */
class CappedBackoff {
  #base = 50;
  constructor(readonly scale: number, readonly capMs: number) {}
  setDelayBase(ms: number): void {
    this.#base = ms;
  }
  computeNextBackoffDelay(attempt: number): number {
    return Math.floor(Math.random() * Math.min(this.#base * 2 ** attempt, this.capMs) * this.scale);
  }
}

/** A memoised identity that can be dropped (AWS rejected it) and notices edited credential files. */
interface CredentialSource {
  get(): Promise<AwsCredentialIdentity>;
  /** Forgets the identity: the next get() asks the providers again. */
  reset(): void;
  peek(): AwsCredentialIdentity | undefined;
}

/** Fingerprints of the shared files, to tell cheaply (a stat each) whether one was rewritten. */
function fileWatch(
  files: readonly string[] | Promise<readonly string[]>,
): { mark(): Promise<void>; changed(): Promise<boolean> } {
  let last: string | undefined;
  let checking: Promise<boolean> | undefined;
  const stamp = async () =>
    (await Promise.all(
      (await files).map((p) => Deno.stat(p).then((s) => `${s.mtime?.getTime()}:${s.size}:${s.ino}`, () => "-")),
    )).join("|");
  return {
    async mark() {
      last = await stamp();
    },
    changed() {
      checking ??= stamp().then((now) => {
        checking = undefined;
        const changed = last !== undefined && now !== last;
        last = now;
        return changed;
      });
      return checking;
    },
  };
}

/**
 * The files the SDK reads profiles from: its own rule (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE,
 * ~/.aws). Its home-directory rule is imported when first needed (the module costs ~40 ms of start-up).
 */
async function defaultSharedFiles(): Promise<string[]> {
  const { getHomeDir } = await import("@smithy/core/config");
  const env = (name: string) => {
    try {
      return process.env[name];
    } catch {
      return undefined; // not granted: the SDK cannot read it either
    }
  };
  try {
    const home = getHomeDir();
    return [
      env("AWS_SHARED_CREDENTIALS_FILE") ?? join(home, ".aws", "credentials"),
      env("AWS_CONFIG_FILE") ?? join(home, ".aws", "config"),
    ];
  } catch {
    return [];
  }
}

/** How long one look at the shared files stands within one tool run. */
const FILE_CHECK_MS = 1_000;

/**
 * Credentials cached until five minutes before they expire, or until a watched file changes;
 * failures are never cached. The files are looked at on the first call of each tool run, then
 * again only after FILE_CHECK_MS (and on every call outside a tool run): a 10,000-desktop read
 * makes ~1,000 calls, and a stat of both files per call was a sixth of the server's CPU. A file
 * rewritten between two tool calls is used by the next one; within a run, a rejected identity is
 * re-read anyway (renewCredentials).
 */
function memoizeCredentials(
  provider: () => Promise<AwsCredentialIdentity>,
  watch?: { mark(): Promise<void>; changed(): Promise<boolean> },
): CredentialSource {
  let cached: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  let lookedAt = { scope: undefined as ActionScope | undefined, at: -Infinity };
  const due = () => {
    const scope = currentScope();
    const now = performance.now();
    if (scope && scope === lookedAt.scope && now - lookedAt.at < FILE_CHECK_MS) return false;
    lookedAt = { scope, at: now };
    return true;
  };
  const load = () =>
    pending ??= (async () => {
      await watch?.mark();
      return await provider();
    })().then(
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
  return {
    async get() {
      const c = cached;
      const fresh = c && (!c.expiration || c.expiration.getTime() - Date.now() > 300_000);
      if (fresh && !(watch && due() && await watch.changed())) return c;
      return load();
    },
    reset() {
      cached = undefined;
    },
    peek: () => cached,
  };
}

const sameIdentity = (a?: AwsCredentialIdentity, b?: AwsCredentialIdentity) =>
  !!a && !!b && a.accessKeyId === b.accessKeyId && a.secretAccessKey === b.secretAccessKey &&
  a.sessionToken === b.sessionToken;

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
  /** The identity providers, base first; the last one signs service calls. */
  #sources?: CredentialSource[];
  #defaultRegion?: Promise<string | undefined>;
  #http?: ReturnType<typeof fetchRequestHandler>;

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

  /** The request handler: the simulator in tests and --demo, else Deno's fetch (proxies, extra CAs). */
  #requestHandler(): unknown {
    return this.options.requestHandler ?? (this.#http ??= fetchRequestHandler({ requestTimeoutMs: 30_000 }));
  }

  #credentialSources(): CredentialSource[] {
    if (this.#sources) return this.#sources;
    const o = this.options;
    const fixed = o.credentials;
    const nested = { requestHandler: this.#requestHandler() as never };
    const base: CredentialSource = fixed
      ? { get: () => Promise.resolve(fixed), reset: () => {}, peek: () => fixed }
      : memoizeCredentials(async () => {
        const { fromNodeProviderChain } = await import("@aws-sdk/credential-providers");
        try {
          // ignoreCache: the SDK keeps parsed ~/.aws files for the process lifetime; a re-read must see edits.
          return await fromNodeProviderChain({ profile: o.profile, ignoreCache: true, clientConfig: nested })();
        } catch (e) {
          throw (await sandboxDenial(o.profile)) ?? e;
        }
      }, fileWatch(o.sharedFiles ?? defaultSharedFiles()));
    if (!o.assumeRoleArn) return this.#sources = [base];
    // Assumed lazily: a bad role or an expired SSO session must not stop start-up; the first
    // tool call reports it, and a later call retries after the administrator fixes it.
    const role = memoizeCredentials(async () => {
      const { fromTemporaryCredentials } = await import("@aws-sdk/credential-providers");
      const region = (await this.defaultRegion()) ?? "us-east-1";
      try {
        return await fromTemporaryCredentials({
          params: {
            RoleArn: o.assumeRoleArn!,
            RoleSessionName: "workspaces-euc-mcp",
            ...(o.externalId ? { ExternalId: o.externalId } : {}),
          },
          masterCredentials: () => base.get(),
          clientConfig: { region, ...(o.endpointUrl ? { endpoint: o.endpointUrl } : {}), ...nested },
        })();
      } catch (e) {
        throw new AwsCallError(classifyError(e, { service: "sts", operation: "AssumeRole", region }, o), e);
      }
    });
    return this.#sources = [base, role];
  }

  /** The provider handed to the SDK; marked memoised so the SDK never pins an identity without expiry. */
  #credentialProvider(): () => Promise<AwsCredentialIdentity> {
    const sources = this.#credentialSources();
    const top = sources[sources.length - 1];
    return Object.assign(() => top.get(), { memoized: true });
  }

  /** After AWS rejected the identity: read it again; true when a different one came back. */
  async #renewCredentials(): Promise<boolean> {
    if (this.options.credentials && !this.options.assumeRoleArn) return false;
    const sources = this.#credentialSources();
    const top = sources[sources.length - 1];
    const before = top.peek();
    for (const s of sources) s.reset();
    try {
      return !sameIdentity(before, await top.get());
    } catch {
      return false; // the original rejection says more than a failed re-read
    }
  }

  /**
   * Whom the calls are signed as, for cache keys: the endpoint and the current credentials' access
   * key id (a rotated key, another profile or a renewed role session is another identity). The
   * secret is not part of it. Undefined when no credentials load (the call itself reports why).
   */
  async identityKey(): Promise<string | undefined> {
    try {
      const c = await this.#credentialProvider()();
      return `${this.options.endpointUrl ?? ""}|${c.accessKeyId}`;
    } catch {
      return undefined;
    }
  }

  #client(service: ServiceKey, region: string) {
    const key = `${service}@${region}`;
    let client = this.#clients.get(key);
    if (!client) {
      const o = this.options;
      const maxAttempts = o.maxAttempts ?? RETRY_BUDGET.maxAttempts;
      const scale = o.retryDelayScale ?? 1;
      // The retry module, like the service's, loads with the first client (it is ~40 ms of start-up otherwise).
      client = Promise.all([sdkModule(service), import("@smithy/core/retry")]).then(([mod, retry]) => {
        const { AdaptiveRetryStrategy, DefaultRateLimiter } = retry;
        const Ctor = mod[CLIENT_CLASS[service]] as new (config: unknown) => {
          send(cmd: unknown, opts?: unknown): Promise<unknown>;
          middlewareStack: { addRelativeTo(mw: unknown, opts: unknown): void };
          config: { defaultUserAgentProvider?: () => Promise<unknown> };
        };
        const c = new Ctor({
          region,
          credentials: this.#credentialProvider(),
          maxAttempts,
          // Adaptive: a client-side rate limiter backs off when AWS throttles, on top of the retries.
          retryStrategy: new AdaptiveRetryStrategy(maxAttempts, {
            maxAttempts,
            backoff: new CappedBackoff(scale, RETRY_BUDGET.maxDelayMs),
            // The limiter's floor (0.5 requests/s) scaled like the backoff; production keeps the SDK's own.
            ...(scale === 1 ? {} : { rateLimiter: new DefaultRateLimiter({ minFillRate: 0.5 / scale }) }),
          } as never),
          customUserAgent: o.userAgent,
          ...(o.profile ? { profile: o.profile } : {}),
          ...(o.endpointUrl ? { endpoint: o.endpointUrl } : {}),
          requestHandler: this.#requestHandler(),
        });
        guardResponses(c.middlewareStack, service);
        // The SDK rebuilds its user-agent sections (an os.release() call among them) on every request: once per client.
        const userAgent = c.config.defaultUserAgentProvider;
        if (userAgent) {
          let sections: Promise<unknown> | undefined;
          c.config.defaultUserAgentProvider = () => sections ??= userAgent();
        }
        return c;
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
    const send = async () => {
      const client = await this.#client(service, region);
      const mod = await sdkModule(service);
      const Command = mod[`${operation}Command`] as new (input: unknown) => unknown;
      const out = await client.send(new Command(input), { abortSignal: opts.signal });
      checkOutput(out);
      return out as OpOutput<S, O>;
    };
    try {
      try {
        return await send();
      } catch (e) {
        // Rotated keys, a new SSO login, a rewritten credentials file: one retry with the fresh identity.
        if (REJECTED_CREDENTIALS.has((e as Error)?.name) && await this.#renewCredentials()) return await send();
        throw e;
      }
    } catch (e) {
      if (e instanceof AwsCallError) throw e;
      throw new AwsCallError(classifyError(e, where, this.options), e);
    }
  }
}
