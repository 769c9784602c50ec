/**
 * CloudTrail LookupEvents, paced: the API allows 2 requests per second per account and region, so
 * every call in the process waits for its region's next slot (concurrent tool calls included).
 */
import type { Aws, OpInput, OpOutput } from "./clients.ts";

/**
 * Calls are scheduled this far apart: 500 ms plus a margin for client-side jitter between the
 * scheduled start and the request leaving (signing, a busy event loop), so the requests themselves
 * stay ≥ 0.5 s apart.
 */
export const LOOKUP_SPACING_MS = 550;
/** LookupEvents' largest page. */
export const LOOKUP_PAGE = 50;

/**
 * Start time of the next LookupEvents call per region, shared by every tool call in the process so
 * that concurrent audits together stay under the 2 TPS limit (the server runs as one identity, so
 * one account; the limit is per region).
 */
const nextLookupAt = new Map<string, number>();

/** The pacer's clock and wait (tests install a virtual one, so pacing never depends on machine load). */
export interface PacerClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

const REAL_CLOCK: PacerClock = { now: () => Date.now(), sleep };
let clock: PacerClock = REAL_CLOCK;

/** Installs `c` as the pacer's clock with a fresh schedule; returns a function that restores the real one. */
export function usePacerClock(c: PacerClock): () => void {
  clock = c;
  nextLookupAt.clear();
  return () => {
    clock = REAL_CLOCK;
    nextLookupAt.clear();
  };
}

/** A LookupEvents attribute key (EventSource, EventName, ReadOnly, …). */
export type LookupKey = NonNullable<OpInput<"cloudtrail", "LookupEvents">["LookupAttributes"]>[number]["AttributeKey"];

/** One CloudTrail event as LookupEvents returns it. */
export type TrailEvent = NonNullable<OpOutput<"cloudtrail", "LookupEvents">["Events"]>[number];

/** One page of a lookup by a single attribute (CloudTrail takes one per request). */
export interface LookupPage {
  key: LookupKey;
  value: string;
  start: Date;
  end: Date;
  token?: string;
}

/** Waits for this region's next LookupEvents slot, then fetches one page of up to LOOKUP_PAGE events. */
export async function pacedLookup(
  aws: Aws,
  region: string,
  page: LookupPage,
  signal: AbortSignal,
): Promise<OpOutput<"cloudtrail", "LookupEvents">> {
  const now = clock.now();
  const at = Math.max(now, nextLookupAt.get(region) ?? 0);
  nextLookupAt.set(region, at + LOOKUP_SPACING_MS);
  if (at > now) await clock.sleep(at - now, signal);
  return await aws.call("cloudtrail", "LookupEvents", {
    LookupAttributes: [{ AttributeKey: page.key, AttributeValue: page.value }],
    StartTime: page.start,
    EndTime: page.end,
    MaxResults: LOOKUP_PAGE,
    NextToken: page.token,
  }, { region, signal });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
