/**
 * The simulator: a smithy `requestHandler` that routes each signed request to the simulated
 * service, with fault injection and a call log. `serve()` exposes the same handling over HTTP on
 * loopback for `--endpoint-url` end-to-end runs.
 */
import type { Estate } from "./region.ts";
import { SimError } from "./services/common.ts";
import { operations as appstream } from "./services/appstream.ts";
import { operations as applicationAutoscaling } from "./services/application_autoscaling.ts";
import { operations as ce } from "./services/ce.ts";
import { operations as cloudtrail } from "./services/cloudtrail.ts";
import { operations as cloudwatch } from "./services/cloudwatch.ts";
import { operations as ds } from "./services/ds.ts";
import { operations as pricing } from "./services/pricing.ts";
import { operations as serviceQuotas } from "./services/service_quotas.ts";
import { operations as tagging } from "./services/tagging.ts";
import { operations as ec2 } from "./services/ec2.ts";
import { operations as sts } from "./services/sts.ts";
import { operations as workspaces } from "./services/workspaces.ts";
import { operations as workspacesInstances } from "./services/workspaces_instances.ts";
import { operations as workspacesWeb, routes as workspacesWebRoutes } from "./services/workspaces_web.ts";
import {
  decodeOperation,
  encodeError,
  encodeResult,
  normalizeRequest,
  type ServiceDef,
  signingScope,
  type WireRequest,
  type WireResponse,
} from "./wire.ts";
import {
  type ActiveFault,
  connectionRefused,
  type Fault,
  faultError,
  malformed,
  MALFORMED_KINDS,
  sleep,
  withinRate,
} from "./faults.ts";
import { seededRandom } from "./seed.ts";

/** The simulated services by SigV4 signing name. Services with no operations yet answer UnknownOperationException. */
export const SERVICES: Readonly<Record<string, ServiceDef>> = {
  workspaces: {
    protocol: "awsJson1_1",
    targetPrefix: "WorkspacesService",
    iamPrefix: "workspaces",
    operations: workspaces,
  },
  "workspaces-instances": {
    protocol: "awsJson1_0",
    targetPrefix: "EUCMIFrontendAPIService",
    iamPrefix: "workspaces-instances",
    operations: workspacesInstances,
  },
  appstream: {
    protocol: "awsJson1_1",
    targetPrefix: "PhotonAdminProxyService",
    iamPrefix: "appstream",
    operations: appstream,
  },
  "workspaces-web": {
    protocol: "restJson1",
    iamPrefix: "workspaces-web",
    routes: workspacesWebRoutes,
    operations: workspacesWeb,
  },
  ds: {
    protocol: "awsJson1_1",
    targetPrefix: "DirectoryService_20150416",
    iamPrefix: "ds",
    operations: ds,
  },
  monitoring: {
    protocol: "awsJson1_0",
    targetPrefix: "GraniteServiceVersion20100801",
    iamPrefix: "cloudwatch",
    queryCompatible: true,
    operations: cloudwatch,
  },
  ce: {
    protocol: "awsJson1_1",
    targetPrefix: "AWSInsightsIndexService",
    iamPrefix: "ce",
    operations: ce,
  },
  pricing: {
    protocol: "awsJson1_1",
    targetPrefix: "AWSPriceListService",
    iamPrefix: "pricing",
    operations: pricing,
  },
  cloudtrail: {
    protocol: "awsJson1_1",
    targetPrefix: "CloudTrail_20131101",
    iamPrefix: "cloudtrail",
    operations: cloudtrail,
  },
  servicequotas: {
    protocol: "awsJson1_1",
    targetPrefix: "ServiceQuotasV20190624",
    iamPrefix: "servicequotas",
    operations: serviceQuotas,
  },
  "application-autoscaling": {
    protocol: "awsJson1_1",
    targetPrefix: "AnyScaleFrontendService",
    iamPrefix: "application-autoscaling",
    operations: applicationAutoscaling,
  },
  tagging: {
    protocol: "awsJson1_1",
    targetPrefix: "ResourceGroupsTaggingAPI_20170126",
    iamPrefix: "tag",
    operations: tagging,
  },
  ec2: {
    protocol: "ec2Query",
    xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/",
    iamPrefix: "ec2",
    operations: ec2,
  },
  sts: {
    protocol: "awsQuery",
    xmlns: "https://sts.amazonaws.com/doc/2011-06-15/",
    iamPrefix: "sts",
    operations: sts,
  },
};

// What answers a request whose service cannot be told (no SigV4 scope, unknown host).
const FALLBACK: ServiceDef = {
  protocol: "awsJson1_1",
  iamPrefix: "unknown",
  operations: {},
};

/** One request the simulator received. */
export interface CallRecord {
  /** SigV4 signing name (workspaces, appstream, ec2, sts, …). */
  service: string;
  operation: string;
  region: string;
  /** HTTP status answered; 0 when no response was sent (unreachable, aborted). */
  status: number;
  /** Epoch milliseconds when the request arrived. */
  at: number;
  /** The decoded request parameters. */
  params?: unknown;
  /** The access key id the request was signed with. */
  accessKeyId?: string;
  /** The client's user agent (x-amz-user-agent, else user-agent). */
  userAgent?: string;
  /** Datapoints (Values) a successful GetMetricData answer returned; absent for every other answer. */
  points?: number;
}

// A type alias, not an interface: the SDK's `requestHandler` option accepts
// `Record<string, unknown>`, which interfaces do not satisfy.
/** The smithy request handler the AWS SDK clients are given. */
export type SimRequestHandler = {
  handle(
    req: unknown,
    opts?: { abortSignal?: AbortSignal },
  ): Promise<{ response: unknown }>;
  /** smithy calls these on custom handlers; the simulator has nothing to configure. */
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): Record<string, never>;
  destroy(): void;
};

/** An in-memory AWS that speaks the real wire protocols, with fault injection and a call log. */
export class Simulator {
  /** The resources the simulator answers from (mutable). */
  readonly estate: Estate;
  /** Pass as `requestHandler` to every AWS SDK v3 client. */
  readonly handler: SimRequestHandler;
  /** Every request received, in order, including failed ones. */
  readonly calls: CallRecord[] = [];
  readonly #latencyMs: number;
  readonly #random: () => number;
  #faults: ActiveFault[] = [];

  /** Creates a simulator over `estate`; `latencyMs` delays every answer, `seed` fixes probabilistic faults. */
  constructor(estate: Estate, opts: { latencyMs?: number; seed?: number } = {}) {
    this.estate = estate;
    this.#latencyMs = opts.latencyMs ?? 0;
    this.#random = seededRandom(opts.seed ?? 1);
    this.handler = {
      handle: (req, o) => this.#handle(normalizeRequest(req), o?.abortSignal),
      updateHttpClientConfig: () => {},
      httpHandlerConfigs: () => ({}),
      destroy: () => {},
    };
  }

  /** Number of recorded calls matching `service` and `operation` (omitted = any). */
  count(service?: string, operation?: string): number {
    return this.calls.filter((c) =>
      (service === undefined || c.service === service) &&
      (operation === undefined || c.operation === operation)
    ).length;
  }

  /** Makes matching calls fail (or slow down) `times` times, or always. */
  inject(fault: Fault): void {
    this.#faults.push({ fault, remaining: fault.times ?? Infinity });
  }

  /** Removes every injected fault. */
  clearFaults(): void {
    this.#faults = [];
  }

  /** Serves the same handling over HTTP (or HTTPS with `tls`) on 127.0.0.1 (random port) for `--endpoint-url`. */
  serve(opts: { tls?: { cert: string; key: string } } = {}): Promise<{ url: string; close(): Promise<void> }> {
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {}, ...(opts.tls ?? {}) },
      (req) => this.#serveOne(req),
    );
    const url = `${opts.tls ? "https" : "http"}://127.0.0.1:${server.addr.port}`;
    return Promise.resolve({
      url,
      close: async () => {
        await server.shutdown();
      },
    });
  }

  async #serveOne(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of url.searchParams) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => headers[k] = v);
    const wire: WireRequest = {
      method: req.method,
      hostname: url.hostname,
      port: Number(url.port) || undefined,
      path: url.pathname,
      query,
      headers,
      body: req.body ? await req.text() : "",
    };
    try {
      // No abort signal over HTTP: touching `req.signal` makes Deno warn about its legacy
      // abort-on-success behaviour, and a disconnecting client needs no early stop here.
      const { response } = await this.#handle(wire, undefined);
      return new Response(response.body, {
        status: response.statusCode,
        headers: response.headers,
      });
    } catch (e) {
      // Over HTTP an "unreachable" fault cannot refuse the connection that already exists;
      // a 502 with no AWS error body is the closest a client sees from a dead endpoint's proxy.
      if ((e as { code?: string }).code === "ECONNREFUSED") {
        return new Response(null, { status: 502 });
      }
      throw e;
    }
  }

  async #handle(
    req: WireRequest,
    signal: AbortSignal | undefined,
  ): Promise<{ response: WireResponse }> {
    const scope = signingScope(req);
    const service = scope.service ?? "unknown";
    const region = scope.region ?? "us-east-1";
    const def = SERVICES[service];
    const requestId = crypto.randomUUID();
    let operation = "Unknown";
    let input: Record<string, unknown> | undefined;
    let failure: SimError | undefined;
    if (!def) {
      operation = guessOperation(req) ?? operation;
      failure = new SimError(
        "UnknownOperationException",
        `The simulator has no service "${service}" (host ${req.hostname})`,
      );
    } else {
      try {
        ({ operation, input } = decodeOperation(def, req));
      } catch (e) {
        if (!(e instanceof SimError)) throw e;
        failure = e;
        operation = guessOperation(req) ?? operation;
      }
    }
    const record: CallRecord = {
      service,
      operation,
      region,
      status: 0,
      at: Date.now(),
      params: input,
      accessKeyId: scope.accessKeyId,
      userAgent: headerOf(req, "user-agent") ?? headerOf(req, "x-amz-user-agent"),
    };
    this.calls.push(record);

    const latency = this.#latencyMs +
      this.#take(service, operation, region, true, scope.accessKeyId).reduce(
        (ms, f) => ms + (f.ms ?? 0),
        0,
      );
    await sleep(latency, signal);
    const fault = this.#take(service, operation, region, false, scope.accessKeyId)[0];
    if (fault?.kind === "unreachable") throw connectionRefused(req);
    const mangle = fault && MALFORMED_KINDS.has(fault.kind) ? fault.kind : undefined;

    const svc = def ?? FALLBACK;
    let response: WireResponse;
    if (failure) {
      response = encodeError(svc, failure, requestId);
    } else if (fault && !mangle) {
      response = encodeError(
        svc,
        faultError(fault, svc, operation, this.estate.account, input),
        requestId,
      );
    } else {
      const fn = svc.operations[operation];
      if (!fn) {
        response = encodeError(
          svc,
          new SimError(
            "UnknownOperationException",
            `The simulator does not implement ${service}:${operation}`,
          ),
          requestId,
        );
      } else {
        try {
          const result = await fn({
            input: input ?? {},
            region: this.estate.region(region),
            estate: this.estate,
            requestId,
          });
          response = encodeResult(svc, operation, result, requestId);
          const metricResults = (result as { MetricDataResults?: { Values?: unknown[] }[] }).MetricDataResults;
          if (operation === "GetMetricData" && metricResults) {
            record.points = metricResults.reduce((n, r) => n + (r.Values?.length ?? 0), 0);
          }
        } catch (e) {
          // A non-SimError is a simulator bug: let it surface instead of hiding behind retries.
          if (!(e instanceof SimError)) throw e;
          response = encodeError(svc, e, requestId);
        }
      }
    }
    if (mangle && response.statusCode === 200) response = malformed(mangle, response);
    record.status = response.statusCode;
    return { response };
  }

  /** Consumes the matching faults: all latency faults, or the first failure fault. */
  #take(
    service: string,
    operation: string,
    region: string,
    latency: boolean,
    accessKeyId: string | undefined,
  ): Fault[] {
    const taken: Fault[] = [];
    for (const active of this.#faults) {
      const f = active.fault;
      if ((f.kind === "latency") !== latency) continue;
      if (f.service !== undefined && f.service !== service) continue;
      if (f.operation !== undefined && f.operation !== operation) continue;
      if (f.region !== undefined && f.region !== region) continue;
      if (f.accessKeyId !== undefined && f.accessKeyId !== accessKeyId) continue;
      if (active.remaining <= 0) continue;
      if (f.probability !== undefined && this.#random() >= f.probability) continue;
      if (withinRate(active, Date.now())) continue;
      active.remaining--;
      taken.push(f);
      if (!latency) break;
    }
    this.#faults = this.#faults.filter((a) => a.remaining > 0);
    return taken;
  }
}

function guessOperation(req: WireRequest): string | undefined {
  const target = req.headers["x-amz-target"];
  if (target) return target.slice(target.lastIndexOf(".") + 1);
  const action = /(?:^|&)Action=([^&]+)/.exec(req.body);
  if (action) return decodeURIComponent(action[1]);
  return undefined;
}

function headerOf(req: { headers?: Record<string, string> }, name: string): string | undefined {
  for (const [k, v] of Object.entries(req.headers ?? {})) if (k.toLowerCase() === name) return v;
  return undefined;
}
