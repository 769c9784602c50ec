/**
 * Fault injection: the faults a test can inject, the errors real services send for them (per wire
 * protocol), a refused connection, and an abortable wait for injected latency.
 */
import { SimError } from "./services/common.ts";
import type { ServiceDef, WireRequest } from "./wire.ts";

/** A failure to inject; omitted service/operation/region match everything, `times` defaults to every call. */
export type Fault = {
  kind:
    | "throttle"
    | "server-error"
    | "access-denied"
    | "expired-token"
    | "unreachable"
    | "latency";
  service?: string;
  operation?: string;
  region?: string;
  times?: number;
  ms?: number;
};

/** The principal named in injected AccessDenied messages. */
export const SIM_PRINCIPAL = "assumed-role/EucMcpReadOnly/euc-mcp-session";

export interface ActiveFault {
  fault: Fault;
  remaining: number;
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
