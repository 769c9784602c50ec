/**
 * The AWS wire protocols as the simulator speaks them: request normalization, SigV4 scope
 * parsing, operation selection, and success / error encoding for awsJson1_0, awsJson1_1,
 * restJson1, ec2Query and awsQuery.
 */
import { type OperationTable, type RestRoute, SimError } from "./services/common.ts";

/** A protocol a simulated service speaks. */
export type WireProtocol =
  | "awsJson1_0"
  | "awsJson1_1"
  | "restJson1"
  | "ec2Query"
  | "awsQuery";

/** How one service is reached and what it answers. */
export interface ServiceDef {
  readonly protocol: WireProtocol;
  /** The IAM action prefix (what an AccessDenied message names). */
  readonly iamPrefix: string;
  /** awsJson: the X-Amz-Target prefix before ".<Op>". */
  readonly targetPrefix?: string;
  /** ec2Query / awsQuery: the response namespace. */
  readonly xmlns?: string;
  /** awsJson services that also send `x-amzn-query-error` (CloudWatch). */
  readonly queryCompatible?: boolean;
  /** restJson1: method + path → operation. */
  readonly routes?: readonly RestRoute[];
  readonly operations: OperationTable;
}

/** A request reduced to what the simulator reads. */
export interface WireRequest {
  readonly method: string;
  readonly hostname: string;
  readonly port?: number;
  readonly path: string;
  readonly query: Record<string, string | string[]>;
  /** Header names lower-cased. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The response handed back to the SDK (the shape of smithy's HttpResponse). */
export interface WireResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Reads a smithy HttpRequest (or anything shaped like one) into a WireRequest. */
export function normalizeRequest(raw: unknown): WireRequest {
  const r = (raw ?? {}) as Record<string, unknown>;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((r.headers ?? {}) as object)) {
    if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
  }
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries((r.query ?? {}) as object)) {
    if (v === null || v === undefined) query[k] = "";
    else query[k] = Array.isArray(v) ? v.map(String) : String(v);
  }
  return {
    method: String(r.method ?? "GET").toUpperCase(),
    hostname: String(r.hostname ?? headers.host ?? ""),
    port: typeof r.port === "number" ? r.port : undefined,
    path: String(r.path ?? "/"),
    query,
    headers,
    body: bodyText(r.body),
  };
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return "";
  if (typeof body === "string") return body;
  // The JSON protocols send a Uint8Array subclass; node handlers may see a Buffer.
  if (body instanceof Uint8Array) return decoder.decode(body);
  if (body instanceof ArrayBuffer) return decoder.decode(new Uint8Array(body));
  throw new Error(
    `simulator: unsupported request body type ${Object.prototype.toString.call(body)}`,
  );
}

/** The signing scope of a request: from SigV4 `Credential=AKID/DATE/REGION/SERVICE/…`, else the host. */
export function signingScope(
  req: WireRequest,
): { service?: string; region?: string; accessKeyId?: string } {
  const auth = req.headers.authorization ?? "";
  const m = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/
    .exec(auth);
  if (m) return { accessKeyId: m[1], region: m[2], service: m[3] };
  // Host fallback: service.region.amazonaws.com, service.region.api.aws, sts.amazonaws.com.
  const host = req.hostname.toLowerCase();
  const h = /^([a-z0-9-]+)\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(?:amazonaws\.com(?:\.cn)?|api\.aws)$/
    .exec(host);
  if (h) return { service: HOST_PREFIX[h[1]] ?? h[1], region: h[2] };
  const g = /^([a-z0-9-]+)\.amazonaws\.com$/.exec(host);
  if (g) return { service: HOST_PREFIX[g[1]] ?? g[1], region: "us-east-1" };
  return {};
}

/** Endpoint prefixes that differ from the signing name. */
const HOST_PREFIX: Readonly<Record<string, string>> = {
  appstream2: "appstream",
};

/** Which operation a request asks for and its decoded input; throws SimError when unreadable. */
export function decodeOperation(
  def: ServiceDef,
  req: WireRequest,
): { operation: string; input: Record<string, unknown> } {
  switch (def.protocol) {
    case "awsJson1_0":
    case "awsJson1_1": {
      const target = req.headers["x-amz-target"] ?? "";
      const dot = target.lastIndexOf(".");
      const prefix = target.slice(0, dot);
      const operation = target.slice(dot + 1);
      if (dot < 0 || prefix !== def.targetPrefix) {
        throw new SimError(
          "UnknownOperationException",
          `Unknown operation target "${target}"`,
        );
      }
      return { operation, input: parseJsonBody(req.body) };
    }
    case "restJson1": {
      const [rawPath, rawQuery] = splitPath(req.path);
      const query = { ...req.query, ...rawQuery };
      for (const route of def.routes ?? []) {
        if (route.method !== req.method) continue;
        const m = route.path.exec(rawPath);
        if (!m) continue;
        const labels: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(m.groups ?? {})) {
          labels[k] = decodeURIComponent(v);
        }
        const body = req.body ? parseJsonBody(req.body) : {};
        return {
          operation: route.operation,
          input: { ...body, ...query, ...labels },
        };
      }
      throw new SimError(
        "UnknownOperationException",
        `No simulated operation for ${req.method} ${rawPath}`,
      );
    }
    case "ec2Query":
    case "awsQuery": {
      const form = unflatten(new URLSearchParams(req.body));
      const operation = typeof form.Action === "string" ? form.Action : "";
      if (!operation) {
        throw new SimError(
          "UnknownOperationException",
          "The request has no Action parameter",
        );
      }
      return { operation, input: form };
    }
  }
}

function splitPath(path: string): [string, Record<string, string>] {
  const q = path.indexOf("?");
  if (q < 0) return [path, {}];
  return [
    path.slice(0, q),
    Object.fromEntries(new URLSearchParams(path.slice(q + 1))),
  ];
}

function parseJsonBody(body: string): Record<string, unknown> {
  if (!body.trim()) return {};
  try {
    const v: unknown = JSON.parse(body);
    if (typeof v === "object" && v !== null && !Array.isArray(v)) {
      return v as Record<string, unknown>;
    }
  } catch {
    // reported below
  }
  throw new SimError("SerializationException", "The request body is not a JSON object");
}

/**
 * Query-protocol form → nested input: `InstanceId.1=a&Filter.1.Name=n&Filter.1.Value.1=v` becomes
 * `{ InstanceId: ["a"], Filter: [{ Name: "n", Value: ["v"] }] }` (numeric segments are 1-based
 * list positions; `member` segments of awsQuery lists are skipped).
 */
export function unflatten(form: URLSearchParams): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of form) {
    const parts = key.split(".").filter((p) => p !== "member");
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      const last = i === parts.length - 1;
      const index = /^\d+$/.test(part) ? Number(part) - 1 : undefined;
      const slot: string | number = index ?? part;
      const container = node as Record<string | number, unknown>;
      if (last) {
        container[slot] = value;
      } else {
        const nextIsIndex = /^\d+$/.test(parts[i + 1]);
        if (
          container[slot] === undefined || typeof container[slot] !== "object"
        ) {
          container[slot] = nextIsIndex ? [] : {};
        }
        node = container[slot] as Record<string, unknown> | unknown[];
      }
    }
  }
  return root;
}

/** The success response of `operation` carrying `result`. */
export function encodeResult(
  def: ServiceDef,
  operation: string,
  result: unknown,
  requestId: string,
): WireResponse {
  switch (def.protocol) {
    case "awsJson1_0":
    case "awsJson1_1":
    case "restJson1":
      return respond(200, {
        "content-type": jsonContentType(def),
        "x-amzn-requestid": requestId,
      }, toJson(result ?? {}));
    case "ec2Query":
      return respond(
        200,
        { "content-type": "text/xml;charset=UTF-8" },
        xmlDocument(
          `<${operation}Response xmlns="${def.xmlns}"><requestId>${requestId}</requestId>${
            xmlMembers(result, "item")
          }</${operation}Response>`,
        ),
      );
    case "awsQuery":
      return respond(
        200,
        { "content-type": "text/xml", "x-amzn-requestid": requestId },
        xmlDocument(
          `<${operation}Response xmlns="${def.xmlns}"><${operation}Result>${
            xmlMembers(result, "member")
          }</${operation}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`,
        ),
      );
  }
}

// Query-compatible services (CloudWatch) report the awsQuery error code in a header; where the
// JSON shape name differs, this maps it.
const QUERY_CODE: Readonly<Record<string, string>> = {
  ThrottlingException: "Throttling",
  AccessDeniedException: "AccessDenied",
  ExpiredTokenException: "ExpiredToken",
};

/** The error response for `err` in the service's protocol. */
export function encodeError(
  def: ServiceDef,
  err: SimError,
  requestId: string,
): WireResponse {
  const sender = err.status < 500 ? "Sender" : "Receiver";
  switch (def.protocol) {
    case "awsJson1_0":
    case "awsJson1_1":
    case "restJson1": {
      const headers: Record<string, string> = {
        "content-type": jsonContentType(def),
        "x-amzn-requestid": requestId,
        "x-amzn-errortype": err.code,
      };
      if (def.queryCompatible) {
        headers["x-amzn-query-error"] = `${QUERY_CODE[err.code] ?? err.code};${sender}`;
      }
      return respond(
        err.status,
        headers,
        JSON.stringify({ __type: err.code, message: err.message }),
      );
    }
    case "ec2Query":
      return respond(
        err.status,
        { "content-type": "text/xml;charset=UTF-8" },
        xmlDocument(
          `<Response><Errors><Error><Code>${escapeXml(err.code)}</Code><Message>${
            escapeXml(err.message)
          }</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
        ),
      );
    case "awsQuery":
      return respond(
        err.status,
        { "content-type": "text/xml", "x-amzn-requestid": requestId },
        xmlDocument(
          `<ErrorResponse xmlns="${def.xmlns}"><Error><Type>${sender}</Type><Code>${
            escapeXml(err.code)
          }</Code><Message>${
            escapeXml(err.message)
          }</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        ),
      );
  }
}

function jsonContentType(def: ServiceDef): string {
  switch (def.protocol) {
    case "awsJson1_0":
      return "application/x-amz-json-1.0";
    case "awsJson1_1":
      return "application/x-amz-json-1.1";
    default:
      return "application/json";
  }
}

function respond(
  statusCode: number,
  headers: Record<string, string>,
  body: string,
): WireResponse {
  const bytes = encoder.encode(body);
  return {
    statusCode,
    headers: {
      ...headers,
      "content-length": String(bytes.byteLength),
      date: new Date().toUTCString(),
    },
    body: bytes,
  };
}

/** JSON with timestamps as epoch seconds, as every JSON protocol here sends them. */
export function toJson(value: unknown): string {
  // One pass converting Dates, then a plain stringify: a replacer function runs for every value and
  // made large GetMetricData answers (100,800 timestamps a page) the simulator's main cost.
  return JSON.stringify(epochDates(value));
}

function epochDates(v: unknown): unknown {
  if (v instanceof Date) return v.getTime() / 1000;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x !== "object" || x === null) continue;
      out ??= v.slice();
      out[i] = epochDates(x);
    }
    return out ?? v;
  }
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === "object" && x !== null ? epochDates(x) : x;
  return out;
}

function xmlDocument(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

function xmlMembers(value: unknown, itemTag: string): string {
  if (typeof value !== "object" || value === null) return "";
  let out = "";
  for (const [k, v] of Object.entries(value)) out += xmlElement(k, v, itemTag);
  return out;
}

function xmlElement(name: string, value: unknown, itemTag: string): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) {
    if (value.length === 0) return `<${name}/>`;
    return `<${name}>${value.map((v) => xmlElement(itemTag, v, itemTag)).join("")}</${name}>`;
  }
  if (value instanceof Date) {
    return `<${name}>${value.toISOString()}</${name}>`;
  }
  if (typeof value === "object") {
    return `<${name}>${xmlMembers(value, itemTag)}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

const XML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};
