/**
 * GetMetricData answers read straight into typed arrays. The SDK's deserializer makes a `Date` for
 * every timestamp through a schema walk: at 10,000 desktops a running-mode read returns ~2 M
 * datapoints, and that walk was the server's largest CPU cost and most of its garbage. The answer
 * guards (http.ts `guardResponses`) hand each raw 2xx CloudWatch GetMetricData body to
 * `takeMetricPage` before the SDK parses it: when the body has the documented awsJson shape, the points are taken out here
 * and the SDK parses what is left (ids, labels, status codes, messages, NextToken), and the points
 * ride on the output under METRIC_POINTS. Any other shape is left whole to the SDK.
 */

/** One result's points: epoch milliseconds and values, as the SDK's parse would give them. */
export interface MetricPoints {
  readonly t: Float64Array;
  readonly v: Float64Array;
}

/** Where a GetMetricData output carries the points taken out of its body, by result Id. */
export const METRIC_POINTS: unique symbol = Symbol("euc.metricPoints");

/** A GetMetricData output that may carry its points under METRIC_POINTS. */
export type WithMetricPoints = { [METRIC_POINTS]?: ReadonlyMap<string, MetricPoints> };

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Numbers only (the protocol also allows "NaN"/"Infinity" strings: those bodies go to the SDK). */
function numbers(a: unknown): a is number[] {
  if (!Array.isArray(a)) return false;
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== "number") return false;
  return true;
}

/**
 * Takes the points out of a GetMetricData JSON body: the points by result Id, and the body without
 * them (empty Timestamps and Values) for the SDK. Undefined, and nothing taken, when the body is
 * not the documented shape: an object whose MetricDataResults entries each have a string Id and
 * equally long number arrays Timestamps (epoch seconds) and Values.
 */
export function takeMetricPage(
  bytes: Uint8Array,
): { points: Map<string, MetricPoints>; rest: Uint8Array } | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined; // the SDK's parse fails on it too, and that failure is reported
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return undefined;
  const results = (doc as { MetricDataResults?: unknown }).MetricDataResults;
  if (!Array.isArray(results)) return undefined;
  const ids = new Set<string>();
  for (const r of results) {
    if (!r || typeof r !== "object") return undefined;
    const { Id, Timestamps = [], Values = [] } = r as { Id?: unknown; Timestamps?: unknown; Values?: unknown };
    if (typeof Id !== "string" || ids.has(Id) || !numbers(Timestamps) || !numbers(Values)) return undefined;
    if (Timestamps.length !== Values.length) return undefined;
    ids.add(Id);
  }
  const points = new Map<string, MetricPoints>();
  for (const r of results as { Id: string; Timestamps?: number[]; Values?: number[] }[]) {
    const ts = r.Timestamps ?? [];
    const vs = r.Values ?? [];
    const t = new Float64Array(ts.length);
    // The SDK's rule for epoch-seconds timestamps: milliseconds rounded.
    for (let k = 0; k < ts.length; k++) t[k] = Math.round(ts[k] * 1000);
    points.set(r.Id, { t, v: Float64Array.from(vs) });
    r.Timestamps = [];
    r.Values = [];
  }
  return { points, rest: encoder.encode(JSON.stringify(doc)) };
}
