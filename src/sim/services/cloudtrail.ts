/**
 * AWS CloudTrail (awsJson1_1, `CloudTrail_20131101.<Op>`).
 *
 * LookupEvents as AWS documents it: management events of the last 90 days, newest first, at most
 * one lookup attribute per request, MaxResults 1–50 (default 50), an optional StartTime/EndTime
 * window, and a NextToken that is only valid with the same attribute and window.
 */
import type { Event, LookupEventsResponse } from "@aws-sdk/client-cloudtrail";
import { DAY, hash32 } from "../seed.ts";
import { compact, type OpContext, type OperationTable, optInt, optString, paginate, SimError } from "./common.ts";

/** Event history keeps 90 days of management events. */
const RETENTION_MS = 90 * DAY;
const MAX_RESULTS = 50;

const ATTRIBUTES: Readonly<Record<string, (e: Event, value: string) => boolean>> = {
  EventId: (e, v) => e.EventId === v,
  EventName: (e, v) => e.EventName === v,
  ReadOnly: (e, v) => (e.ReadOnly ?? "").toLowerCase() === v.toLowerCase(),
  Username: (e, v) => e.Username === v,
  ResourceType: (e, v) => (e.Resources ?? []).some((r) => r.ResourceType === v),
  ResourceName: (e, v) => (e.Resources ?? []).some((r) => r.ResourceName === v),
  EventSource: (e, v) => e.EventSource === v,
  AccessKeyId: (e, v) => e.AccessKeyId === v,
};

function epochMs(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number") return v * 1000;
  if (typeof v === "string" && !Number.isNaN(Date.parse(v))) return Date.parse(v);
  throw new SimError("InvalidTimeRangeException", `${name} is not a valid timestamp.`);
}

function lookupEvents(ctx: OpContext): LookupEventsResponse {
  const { input, region } = ctx;
  const raw = input.LookupAttributes;
  let filter: ((e: Event) => boolean) | undefined;
  let attribute = "";
  if (raw !== undefined && raw !== null) {
    if (!Array.isArray(raw)) throw new SimError("InvalidLookupAttributesException", "LookupAttributes must be a list.");
    if (raw.length > 1) {
      throw new SimError(
        "InvalidLookupAttributesException",
        "You can specify only one lookup attribute per request.",
      );
    }
    if (raw.length === 1) {
      const { AttributeKey: key, AttributeValue: value } = raw[0] as Record<string, unknown>;
      const match = typeof key === "string" ? ATTRIBUTES[key] : undefined;
      if (!match || typeof value !== "string" || value === "") {
        throw new SimError("InvalidLookupAttributesException", `The lookup attribute ${String(key)} is not valid.`);
      }
      filter = (e) => match(e, value);
      attribute = `${key}=${value}`;
    }
  }
  const maxResults = optInt(input, "MaxResults", 1, MAX_RESULTS, "InvalidMaxResultsException") ?? MAX_RESULTS;
  const now = Date.now();
  const end = epochMs(input.EndTime, "EndTime") ?? now;
  const start = epochMs(input.StartTime, "StartTime") ?? now - RETENTION_MS;
  if (start > end) throw new SimError("InvalidTimeRangeException", "The start time must be before the end time.");
  const category = optString(input, "EventCategory");
  // Insights events are a separate category; the simulated account has none.
  const events = category === "insight" ? [] : region.governance.trailEvents.filter((e) => {
    const t = e.EventTime!.getTime();
    return t >= Math.max(start, now - RETENTION_MS) && t <= end && (!filter || filter(e));
  }).sort((a, b) => b.EventTime!.getTime() - a.EventTime!.getTime() || (a.EventId! < b.EventId! ? -1 : 1));
  // A token is only valid for the request that produced it (same attribute and time range).
  const query = hash32(`${attribute}|${input.StartTime ?? ""}|${input.EndTime ?? ""}|${category ?? ""}`);
  const page = paginate(events, {
    operation: `LookupEvents/${query}`,
    token: optString(input, "NextToken"),
    size: maxResults,
    invalidTokenCode: "InvalidNextTokenException",
  });
  return compact({ Events: page.items, NextToken: page.nextToken });
}

/** Operations by name. */
export const operations: OperationTable = {
  LookupEvents: lookupEvents,
};
