/**
 * The HTTP layer under every AWS SDK client: Deno's `fetch`, and guards that turn unreadable
 * answers (empty 200, truncated or non-JSON body, null list entries) into one classified error and
 * read GetMetricData points into typed arrays (metric_wire.ts).
 *
 * Why `fetch` and not the SDK's default node:https handler: under Deno, node:https ignores
 * HTTPS_PROXY / NO_PROXY, and with NODE_EXTRA_CA_CERTS set it asks for `--allow-sys=ca`, a
 * descriptor `--allow-sys` does not accept (only a blanket --allow-sys would do). Deno's `fetch`
 * reads HTTP_PROXY / HTTPS_PROXY / NO_PROXY, DENO_CERT, NODE_EXTRA_CA_CERTS and
 * DENO_TLS_CA_STORE in the runtime itself, so corporate networks work under the scoped flags, and
 * `--allow-net` is checked against the AWS host, not the proxy.
 */
import { METRIC_POINTS, type MetricPoints, takeMetricPage, type WithMetricPoints } from "./metric_wire.ts";

/** A smithy HttpRequest as the SDK hands it to a request handler. */
interface SmithyRequest {
  protocol?: string;
  hostname: string;
  port?: number;
  method: string;
  path: string;
  query?: Record<string, string | string[] | null | undefined>;
  headers: Record<string, string>;
  body?: unknown;
}

/** Node-style codes for fetch failures, so the SDK's retry rules and classifyError recognise them. */
function networkError(e: unknown, url: string): Error {
  if (!(e instanceof TypeError)) return e as Error;
  const text = `${e.message} ${String((e as { cause?: unknown }).cause ?? "")}`;
  const code = /dns error|failed to lookup|name or service not known|nodename nor servname/i.test(text)
    ? "ENOTFOUND"
    : /connection refused/i.test(text)
    ? "ECONNREFUSED"
    : /timed out|timeout/i.test(text)
    ? "ETIMEDOUT"
    : /connection reset|broken pipe|connection closed|unexpected eof|incomplete message/i.test(text)
    ? "ECONNRESET"
    : /certificate|tls|handshake|unknownissuer/i.test(text)
    ? "CERT_UNTRUSTED"
    : "ECONNRESET";
  const host = new URL(url).host;
  return Object.assign(new Error(`fetch failed (${code}) for ${host}: ${e.message}`), { name: "NetworkError", code });
}

function queryString(query: SmithyRequest["query"]): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query ?? {})) {
    const key = encodeURIComponent(k);
    if (v === null || v === undefined) parts.push(key);
    else for (const item of Array.isArray(v) ? v : [v]) parts.push(`${key}=${encodeURIComponent(item)}`);
  }
  return parts.length ? `?${parts.join("&")}` : "";
}

/** A smithy request handler over Deno's fetch (proxies and extra CAs honoured by the runtime). */
export function fetchRequestHandler(opts: { requestTimeoutMs: number }): {
  handle(req: unknown, o?: { abortSignal?: AbortSignal }): Promise<{ response: unknown }>;
  updateHttpClientConfig(): void;
  httpHandlerConfigs(): Record<string, never>;
  destroy(): void;
} {
  return {
    async handle(raw, o) {
      const req = raw as SmithyRequest;
      const port = req.port ? `:${req.port}` : "";
      const url = `${req.protocol ?? "https:"}//${req.hostname}${port}${req.path}${queryString(req.query)}`;
      const timeout = AbortSignal.timeout(opts.requestTimeoutMs);
      const signal = o?.abortSignal ? AbortSignal.any([o.abortSignal, timeout]) : timeout;
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : req.body as BodyInit | undefined;
      let res: Response;
      let bytes: Uint8Array;
      try {
        res = await fetch(url, { method: req.method, headers: req.headers, body, signal });
        bytes = new Uint8Array(await res.arrayBuffer());
      } catch (e) {
        if (o?.abortSignal?.aborted) throw Object.assign(new Error("Request aborted"), { name: "AbortError" });
        if (timeout.aborted) {
          throw Object.assign(new Error(`no answer from ${req.hostname} within ${opts.requestTimeoutMs} ms`), {
            name: "TimeoutError",
            code: "ETIMEDOUT",
          });
        }
        throw networkError(e, url);
      }
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => headers[k] = v);
      // smithy's HttpResponse shape; the SDK's stream collector reads a Uint8Array body as is.
      return { response: { statusCode: res.status, reason: res.statusText, headers, body: bytes } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}

/** What a malformed-response error carries: the reason, for the message. */
export class MalformedResponseError extends Error {
  override name = "MalformedResponse";
  /** A truncated or garbled body is usually a dropped connection or a proxy page: worth retrying. */
  readonly $retryable = {};
  constructor(readonly detail: string) {
    super(detail);
  }
}

const READ_OPERATION = /^(Describe|List|Get|Search|Lookup|BatchGet)/;
const decoder = new TextDecoder();

async function bodyBytes(body: unknown): Promise<Uint8Array | undefined> {
  if (body === undefined || body === null) return new Uint8Array();
  if (body instanceof Uint8Array) return body;
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof ReadableStream) return new Uint8Array(await new Response(body).arrayBuffer());
  if (body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  return undefined; // a node stream (another handler): left to the SDK's own deserializer
}

/** Where a body's first byte that is not JSON whitespace is (its length when there is none). */
function firstNonSpace(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return i;
}

/** Whether a status and operation make a 2xx answer of a read, the answers the guards look at. */
const isReadAnswer = (operation: string, status: number) =>
  status >= 200 && status <= 299 && READ_OPERATION.test(operation);

/**
 * Checks a read operation's raw 2xx answer before the SDK parses it; throws MalformedResponseError.
 * Only the first bytes are looked at: an empty body (which the SDK would read as "no items") and an
 * HTML page. A body that is not JSON (truncated, garbled) fails the SDK's own parse, which
 * `unreadableBody` turns into the same error; parsing every answer here as well doubled the JSON
 * work of a large read (a 10,000-desktop running-mode read is ~2 M datapoints). Returns the body's
 * bytes for a 2xx read (undefined otherwise, or when the body is a node stream left to the SDK).
 */
export async function checkRawResponse(
  operation: string,
  response: { statusCode?: number; headers?: Record<string, string>; body?: unknown },
): Promise<Uint8Array | undefined> {
  if (!isReadAnswer(operation, response.statusCode ?? 0)) return undefined;
  const bytes = await bodyBytes(response.body);
  if (!bytes) return undefined;
  response.body = bytes; // read once here; the deserializer reads the same bytes
  const i = firstNonSpace(bytes);
  // Every read answer of the JSON and XML protocols has a body; an empty one must not read as "no items".
  if (i === bytes.length) throw new MalformedResponseError("empty body with HTTP 200");
  if (bytes[i] === 0x3c) {
    const head = decoder.decode(bytes.subarray(i, i + 64));
    if (/^<(!doctype\s+html|html)/i.test(head)) {
      throw new MalformedResponseError(`an HTML page instead of an AWS answer (a proxy or captive portal?)`);
    }
    // ec2Query / awsQuery XML: the SDK's XML parser judges it
  }
  return bytes; // JSON: the SDK's parse judges the rest
}

/**
 * The SDK's failure to parse a read operation's 2xx JSON answer as MalformedResponseError (retryable,
 * with the body's size); undefined for any other error.
 */
export function unreadableBody(operation: string, e: unknown): MalformedResponseError | undefined {
  if ((e as Error)?.name !== "SyntaxError") return undefined;
  const response = (e as { $response?: { statusCode?: number; body?: unknown } }).$response;
  if (!isReadAnswer(operation, response?.statusCode ?? 0)) return undefined;
  const body = response?.body;
  // An XML answer where JSON was expected is not retried (another protocol answers the same again): the
  // SyntaxError stays, and is classified as a malformed answer.
  const xml = typeof body === "string"
    ? body.trimStart().startsWith("<")
    : body instanceof Uint8Array && body[firstNonSpace(body)] === 0x3c;
  if (xml) return undefined;
  const size = body instanceof Uint8Array || typeof body === "string" ? body.length : "?";
  return new MalformedResponseError(`unreadable JSON body (${size} bytes, truncated?)`);
}

/** Throws MalformedResponseError when a top-level list of an AWS answer holds null entries. */
export function checkOutput(output: unknown): void {
  if (!output || typeof output !== "object") return;
  for (const [key, value] of Object.entries(output as Record<string, unknown>)) {
    if (!Array.isArray(value)) continue;
    const nulls = value.filter((v) => v === null || v === undefined).length;
    if (nulls) throw new MalformedResponseError(`${nulls} null ${nulls === 1 ? "entry" : "entries"} in ${key}`);
  }
}

type GuardContext = { commandName?: string; [METRIC_POINTS]?: ReadonlyMap<string, MetricPoints> };
const operationOf = (context: GuardContext) => (context.commandName ?? "").replace(/Command$/, "");

/**
 * Installs the answer guards on a client's middleware stack, both inside the retry loop:
 * - before the SDK parses: an empty or HTML answer is an error, never "no items" (checkRawResponse),
 *   and a CloudWatch GetMetricData body's points are read into typed arrays (metric_wire.ts), the
 *   SDK parsing the rest;
 * - around the parse: a body the SDK cannot parse is a retryable malformed answer (unreadableBody),
 *   and the points taken out of a GetMetricData body join its output.
 */
export function guardResponses(stack: { addRelativeTo(mw: unknown, opts: unknown): void }, service: string): void {
  const metricData = service === "cloudwatch";
  stack.addRelativeTo(
    (next: (a: unknown) => Promise<{ response: { statusCode?: number; body?: unknown } }>, context: GuardContext) =>
    async (args: unknown) => {
      context[METRIC_POINTS] = undefined;
      const result = await next(args);
      const operation = operationOf(context);
      const bytes = await checkRawResponse(operation, result.response);
      if (metricData && bytes && operation === "GetMetricData") {
        const taken = takeMetricPage(bytes);
        if (taken) {
          result.response.body = taken.rest;
          context[METRIC_POINTS] = taken.points;
        }
      }
      return result;
    },
    { relation: "after", toMiddleware: "deserializerMiddleware", name: "eucResponseGuard", override: true },
  );
  stack.addRelativeTo(
    (next: (a: unknown) => Promise<{ output?: WithMetricPoints }>, context: GuardContext) => async (args: unknown) => {
      try {
        const result = await next(args);
        const points = context[METRIC_POINTS];
        if (points && result.output) result.output[METRIC_POINTS] = points;
        return result;
      } catch (e) {
        throw unreadableBody(operationOf(context), e) ?? e;
      }
    },
    { relation: "before", toMiddleware: "deserializerMiddleware", name: "eucParseGuard", override: true },
  );
}
