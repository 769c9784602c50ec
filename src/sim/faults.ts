/**
 * Fault injection: the faults a test can inject, the errors real services send for them (per wire
 * protocol), a refused connection, and an abortable wait for injected latency.
 */
import { SimError } from "./services/common.ts";
import type { ServiceDef, WireRequest, WireResponse } from "./wire.ts";

/** A failure to inject; omitted service/operation/region match everything, `times` defaults to every call. */
export type Fault = {
  kind:
    | "throttle"
    | "server-error"
    | "access-denied"
    | "expired-token"
    | "invalid-token"
    | "bad-signature"
    | "unreachable"
    | "latency"
    // Malformed answers with HTTP 200: no body, half a body, a proxy's HTML page, null entries in every list.
    | "empty200"
    | "truncated"
    | "html"
    | "null-items";
  service?: string;
  operation?: string;
  region?: string;
  /** Only requests signed with this access key id (a rotated-away key). */
  accessKeyId?: string;
  /** Fire on this share of the matching requests, deterministically for a given seed. */
  probability?: number;
  times?: number;
  ms?: number;
  /**
   * A "throttle" that models a rate limit instead of firing at random: each matching request takes a
   * token from a bucket of `burst` tokens (default `perSecond`) refilled at `perSecond`, and only a
   * request finding the bucket empty is throttled (AWS's token-bucket throttling).
   */
  perSecond?: number;
  burst?: number;
};

/** The kinds that answer HTTP 200 with a malformed body. */
export const MALFORMED_KINDS: ReadonlySet<Fault["kind"]> = new Set(["empty200", "truncated", "html", "null-items"]);

/** The principal named in injected AccessDenied messages. */
export const SIM_PRINCIPAL = "assumed-role/EucMcpReadOnly/euc-mcp-session";

export interface ActiveFault {
  fault: Fault;
  remaining: number;
  /** A rate limit's bucket: tokens left at `at` (ms). */
  bucket?: { tokens: number; at: number };
}

/** Whether a rate-limited fault lets this request through (takes a token), at time `now` (ms). */
export function withinRate(active: ActiveFault, now: number): boolean {
  const { perSecond, burst } = active.fault;
  if (perSecond === undefined) return false;
  const size = burst ?? perSecond;
  const b = active.bucket ??= { tokens: size, at: now };
  b.tokens = Math.min(size, b.tokens + (now - b.at) * perSecond / 1000);
  b.at = now;
  if (b.tokens < 1) return false;
  b.tokens--;
  return true;
}

/** The error a real service sends for an injected fault. */
export function faultError(
  fault: Fault,
  def: ServiceDef,
  operation: string,
  account: string,
  input: Record<string, unknown> | undefined,
): SimError {
  const rest = def.protocol === "restJson1";
  const action = `${def.iamPrefix}:${operation}`;
  const user = `arn:aws:sts::${account}:${SIM_PRINCIPAL}`;
  switch (
    def.protocol === "ec2Query" ? `ec2:${fault.kind}` : def.protocol === "awsQuery" ? `query:${fault.kind}` : fault.kind
  ) {
    // EC2 throttles with 503 RequestLimitExceeded; the SDK classifies it as throttling by code.
    case "ec2:throttle":
      return new SimError("RequestLimitExceeded", "Request limit exceeded.", 503);
    case "query:throttle":
      return new SimError("Throttling", "Rate exceeded", 400);
    case "throttle":
      return new SimError("ThrottlingException", "Rate exceeded", rest ? 429 : 400);
    case "ec2:server-error":
      return new SimError(
        "Unavailable",
        "The server is overloaded and can't handle the request.",
        503,
      );
    case "query:server-error":
    case "server-error":
      return new SimError(
        "ServiceUnavailable",
        "Service is unavailable. Please try again later.",
        503,
      );
    case "ec2:access-denied":
      return new SimError(
        "UnauthorizedOperation",
        `You are not authorized to perform this operation. User: ${user} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
        403,
      );
    case "query:access-denied":
      return new SimError(
        "AccessDenied",
        `User: ${user} is not authorized to perform: ${action}${
          typeof input?.RoleArn === "string" ? ` on resource: ${input.RoleArn}` : ""
        }`,
        403,
      );
    case "access-denied":
      return new SimError(
        "AccessDeniedException",
        `User: ${user} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
        rest ? 403 : 400,
      );
    // EC2 reports an expired session token as RequestExpired.
    case "ec2:expired-token":
      return new SimError("RequestExpired", "Request has expired.", 400);
    case "query:expired-token":
      return new SimError(
        "ExpiredToken",
        "The security token included in the request is expired",
        400,
      );
    case "expired-token":
      return new SimError(
        "ExpiredTokenException",
        "The security token included in the request is expired",
        rest ? 403 : 400,
      );
    case "ec2:invalid-token":
      return new SimError("AuthFailure", "AWS was not able to validate the provided access credentials", 401);
    case "query:invalid-token":
      return new SimError("InvalidClientTokenId", "The security token included in the request is invalid.", 403);
    case "invalid-token":
      return new SimError(
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
        rest ? 403 : 400,
      );
    case "ec2:bad-signature":
    case "query:bad-signature":
      return new SimError(
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided.",
        403,
      );
    case "bad-signature":
      return new SimError(
        "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided.",
        rest ? 403 : 400,
      );
    default:
      throw new Error(`simulator: unknown fault kind ${fault.kind}`);
  }
}

/** What Node's HTTP stack throws when nothing listens (the SDK treats it as transient). */
export function connectionRefused(req: WireRequest): Error {
  const address = /^\d+\.\d+\.\d+\.\d+$/.test(req.hostname) ? req.hostname : "127.0.0.1";
  const port = req.port ?? 443;
  return Object.assign(
    new Error(`connect ECONNREFUSED ${address}:${port}`),
    {
      code: "ECONNREFUSED",
      errno: -111,
      syscall: "connect",
      address,
      port,
    },
  );
}

function abortError(): Error {
  return Object.assign(new Error("The operation was aborted"), {
    name: "AbortError",
  });
}

/** Waits `ms` (0 = no wait), rejecting with an AbortError as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError());
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A successful answer made unreadable the way a broken connection or a proxy makes it. */
export function malformed(kind: string, response: WireResponse): WireResponse {
  const text = new TextDecoder().decode(response.body);
  const encode = (s: string) => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>;
  switch (kind) {
    case "empty200":
      return { ...response, body: encode("") };
    case "truncated":
      return { ...response, body: encode(text.slice(0, Math.floor(text.length / 2))) };
    case "html":
      return {
        ...response,
        headers: { ...response.headers, "content-type": "text/html" },
        body: encode("<!DOCTYPE html><html><body><h1>Proxy authentication required</h1></body></html>"),
      };
    default: {
      // null-items: a null in front of every top-level list of a JSON answer.
      if (!text.trim().startsWith("{")) return response;
      const parsed = JSON.parse(text) as Record<string, unknown>;
      for (const [k, v] of Object.entries(parsed)) if (Array.isArray(v)) parsed[k] = [null, ...v];
      return { ...response, body: encode(JSON.stringify(parsed)) };
    }
  }
}
