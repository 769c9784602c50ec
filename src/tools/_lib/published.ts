/**
 * Which CloudWatch metrics AWS actually publishes for a resource. A metric that does not exist for
 * a resource reads as an empty series — the same as "nothing happened" — so a tool must know the
 * difference before it calls silence zero, idle or "no attempts".
 */

/** The WorkSpaces connection metrics, which AWS documents as emitted for PCoIP desktops only. */
export const PCOIP_ONLY_METRICS: readonly string[] = ["ConnectionAttempt", "ConnectionSuccess", "ConnectionFailure"];

/** Why a metric is not published for a resource, or null when it is (or the protocol is unknown). */
export function connectionMetricsUnpublished(protocols: readonly string[] | undefined): string | null {
  // Unknown protocols (the desktop could not be read): assume published rather than hide real failures.
  if (!protocols || protocols.length === 0) return null;
  if (protocols.includes("PCOIP")) return null;
  return `not published for this resource (DCV/WSP desktop): AWS emits ${
    PCOIP_ONLY_METRICS.join(", ")
  } only for PCoIP WorkSpaces, and this desktop streams over ${protocols.join(", ")}`;
}
