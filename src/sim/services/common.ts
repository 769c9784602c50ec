/**
 * What every simulated service shares: the operation context, the typed service error, input
 * readers and AWS-style pagination.
 */
import type { Estate, RegionEstate } from "../region.ts";

/** Everything an operation handler may read: the decoded input and the estate of its region. */
export interface OpContext {
  /** The decoded request parameters (JSON body, restJson1 labels + query, or unflattened form). */
  readonly input: Record<string, unknown>;
  /** The region the request was signed for. */
  readonly region: RegionEstate;
  /** The whole estate (for cross-region or account-wide answers). */
  readonly estate: Estate;
  /** The request id sent back to the client. */
  readonly requestId: string;
}

/** One operation: returns the output in the service's wire naming (Dates allowed), or throws SimError. */
export type OpHandler = (ctx: OpContext) => unknown;

/** A service's operations by name. */
export type OperationTable = Readonly<Record<string, OpHandler>>;

/**
 * A query-protocol (EC2, STS) response body in the service's XML member names: nested objects,
 * arrays (written as `<item>` or `<member>` lists), scalars and Dates (ISO 8601).
 */
export type XmlBody = { [name: string]: unknown };

/** One restJson1 route: a method, a path pattern whose named groups are URI labels, an operation. */
export interface RestRoute {
  readonly method: string;
  readonly path: RegExp;
  readonly operation: string;
}

/** An AWS error as the service would send it; the protocol layer picks the wire shape. */
export class SimError extends Error {
  /** Creates an error with the AWS error code, message and HTTP status. */
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "SimError";
  }
}

/** The AWS "1 validation error detected" message for one member constraint. */
export function validationMessage(
  value: unknown,
  member: string,
  constraint: string,
): string {
  return `1 validation error detected: Value '${
    Array.isArray(value) ? `[${value.join(", ")}]` : String(value)
  }' at '${member}' failed to satisfy constraint: Member must ${constraint}`;
}

/** An optional string parameter; throws ValidationException on the wrong type. */
export function optString(
  input: Record<string, unknown>,
  name: string,
  code = "ValidationException",
): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") {
    throw new SimError(code, `${name} must be a string`);
  }
  return v;
}

/** A required string parameter. */
export function reqString(
  input: Record<string, unknown>,
  name: string,
  code = "ValidationException",
): string {
  const v = optString(input, name, code);
  if (v === undefined || v === "") {
    throw new SimError(
      code,
      validationMessage(null, lowerFirst(name), "not be null"),
    );
  }
  return v;
}

/** An optional list of strings, at most `max` long (AWS checks the length before anything else). */
export function optStringList(
  input: Record<string, unknown>,
  name: string,
  max: number,
  code = "ValidationException",
): string[] | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== "string")) {
    throw new SimError(code, `${name} must be a list of strings`);
  }
  if (v.length < 1 || v.length > max) {
    throw new SimError(
      code,
      validationMessage(
        v,
        lowerFirst(name),
        v.length < 1 ? "have length greater than or equal to 1" : `have length less than or equal to ${max}`,
      ),
    );
  }
  return v as string[];
}

/** An optional integer in [min, max]; query protocols send numbers as strings. */
export function optInt(
  input: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
  code = "ValidationException",
): number | undefined {
  const raw = input[name];
  if (raw === undefined || raw === null || raw === "") return undefined;
  const v = typeof raw === "string" ? Number(raw) : raw;
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new SimError(code, `${name} must be an integer`);
  }
  if (v < min) {
    throw new SimError(
      code,
      validationMessage(
        v,
        lowerFirst(name),
        `have value greater than or equal to ${min}`,
      ),
    );
  }
  if (v > max) {
    throw new SimError(
      code,
      validationMessage(
        v,
        lowerFirst(name),
        `have value less than or equal to ${max}`,
      ),
    );
  }
  return v;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** One page of a list and the token for the next one (absent on the last page). */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/**
 * Cuts `items` into pages of `size`. Tokens are opaque to callers (base64 of the operation and
 * an offset); a token from another operation or a mangled one is rejected like AWS does.
 */
export function paginate<T>(
  items: readonly T[],
  opts: {
    operation: string;
    token: string | undefined;
    size: number;
    invalidTokenCode?: string;
    invalidTokenStatus?: number;
  },
): Page<T> {
  let offset = 0;
  if (opts.token !== undefined) {
    offset = decodeToken(opts.token, opts.operation) ?? -1;
    if (offset < 0 || offset > items.length) {
      throw new SimError(
        opts.invalidTokenCode ?? "InvalidParameterValuesException",
        "The specified NextToken is not valid.",
        opts.invalidTokenStatus ?? 400,
      );
    }
  }
  const end = Math.min(items.length, offset + opts.size);
  return {
    items: items.slice(offset, end),
    nextToken: end < items.length ? encodeToken(opts.operation, end) : undefined,
  };
}

/**
 * How many of the matching items `paginate` needs for the page `token` asks for: the page's and one
 * more (to know a next page exists). A scan may stop there; Infinity for an invalid token (the full
 * list, so `paginate` rejects it as before).
 */
export function itemsNeeded(token: string | undefined, operation: string, size: number): number {
  const offset = token === undefined ? 0 : decodeToken(token, operation) ?? -1;
  return offset < 0 ? Infinity : offset + size + 1;
}

function encodeToken(operation: string, offset: number): string {
  return btoa(JSON.stringify({ op: operation, offset, v: 1 }));
}

function decodeToken(token: string, operation: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(atob(token));
    if (
      typeof parsed === "object" && parsed !== null &&
      (parsed as { op?: unknown }).op === operation
    ) {
      const offset = (parsed as { offset?: unknown }).offset;
      if (typeof offset === "number" && Number.isInteger(offset)) return offset;
    }
  } catch {
    // fall through: not one of ours
  }
  return undefined;
}

/** Drops undefined members so the wire output carries only what the service would send. */
export function compact<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}
