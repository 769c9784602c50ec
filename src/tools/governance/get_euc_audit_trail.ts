/**
 * get_euc_audit_trail: who changed what in the EUC services, from CloudTrail. A fixed budget of
 * paced LookupEvents calls: the account-wide write scan first, then each event source, then the
 * curated event names only where the scans did not reach; it says exactly how far back it saw
 * everything.
 */
import { z } from "zod";
import { LOOKUP_PAGE, LOOKUP_SPACING_MS, type TrailEvent } from "../../aws/cloudtrail.ts";
import { Collection } from "../_lib/collection.ts";
import { type Finding, finding, rankFindings, severityCounts, TargetFinding, withTarget } from "../_lib/findings.ts";
import { DAY, iso, plural } from "../_lib/format.ts";
import { Errors, Notes, RegionInput } from "../_lib/schemas.ts";
import { ServiceInput } from "../_lib/services.ts";
import { READ_ONLY, type ToolDef } from "../registry.ts";
import { errorSuffix, findingSummary, someNames } from "./_common.ts";
import { FindingCounts } from "./_schemas.ts";
import {
  curatedOrder,
  DENIED,
  HIGH_IMPACT,
  NAME_PAGES,
  parseTrailServices,
  serviceLabel,
  SOURCE_PAGES,
  SWEEP_PAGES,
  TRAIL,
  TRAIL_SERVICES,
  TrailRun,
  type TrailService,
} from "./_trail.ts";

const TrailInput = z.object({
  region: RegionInput,
  lookback_days: z.number().int().min(1).max(90).default(7).describe(
    "How many days back to look (1–90; CloudTrail event history keeps 90 days)",
  ),
  service: ServiceInput,
  include_read_only: z.boolean().default(false).describe(
    "Also include read-only calls (Describe*, List*, Get*); by default only changes are listed",
  ),
  max_events: z.number().int().min(1).max(500).default(100).describe("Most events returned, newest first (1–500)"),
});

const TrailEventRow = z.object({
  time: z.string().nullable(),
  service: z.string().describe("Current product name"),
  event_source: z.string().nullable(),
  event_name: z.string().nullable(),
  username: z.string().nullable(),
  user_arn: z.string().nullable(),
  source_ip: z.string().nullable(),
  aws_region: z.string().nullable(),
  resources: z.array(z.string()).describe("Resource names (the Python server's field)"),
  resource_details: z.array(z.object({ type: z.string().nullable(), name: z.string().nullable() }))
    .describe("Each resource's CloudFormation type and name"),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  read_only: z.boolean().nullable(),
  event_id: z.string().nullable(),
});

const TrailOutput = z.object({
  region: z.string(),
  service: z.string().describe("The services covered"),
  lookback_days: z.number().int(),
  include_read_only: z.boolean(),
  max_events: z.number().int(),
  window_start: z.string(),
  window_end: z.string(),
  window_fully_covered: z.boolean().describe(
    "True only when every matching event in the window was seen; false means older events may be missing",
  ),
  scanned_back_to: z.string().nullable().describe(
    "Every matching event newer than this was seen (the window start when fully covered)",
  ),
  coverage: z.array(z.object({
    service: z.enum(TRAIL_SERVICES),
    event_source: z.string(),
    complete: z.boolean().describe("Every event of this service in the window was seen"),
    scanned_back_to: z.string().nullable(),
  })).describe("How far back each service was seen"),
  curated_lookups: z.object({
    checked: z.number().int().describe("Curated event names looked up by name beyond the scan"),
    complete: z.number().int().describe("Of those, names whose whole window was read"),
    skipped: z.array(z.string()).describe("Names not looked up (call budget spent)"),
  }),
  lookup_calls: z.number().int().describe("LookupEvents calls made (paced at 2 per second)"),
  total_events: z.number().int().describe("Matching events found (before the max_events cut)"),
  truncated: z.boolean(),
  by_event_name: z.record(z.string(), z.number().int()),
  by_user: z.record(z.string(), z.number().int()),
  events: z.array(TrailEventRow),
  finding_counts: FindingCounts,
  findings: z.array(TargetFinding),
  errors: Errors,
  notes: Notes,
});
interface Detail {
  userIdentity?: {
    type?: string;
    arn?: string;
    userName?: string;
    invokedBy?: string;
    sessionContext?: { sessionIssuer?: { userName?: string } };
  };
  sourceIPAddress?: string;
  awsRegion?: string;
  errorCode?: string;
  errorMessage?: string;
  readOnly?: boolean;
}

function eventRow(e: TrailEvent): z.infer<typeof TrailEventRow> {
  let d: Detail = {};
  try {
    d = JSON.parse(e.CloudTrailEvent ?? "{}") as Detail;
  } catch {
    // A malformed record still has the lookup's own fields.
  }
  const id = d.userIdentity ?? {};
  return {
    time: iso(e.EventTime),
    service: serviceLabel(e.EventSource, e.EventName),
    event_source: e.EventSource ?? null,
    event_name: e.EventName ?? null,
    username: e.Username ?? id.userName ?? id.sessionContext?.sessionIssuer?.userName ?? id.invokedBy ?? id.arn ??
      null,
    user_arn: id.arn ?? null,
    source_ip: d.sourceIPAddress ?? null,
    aws_region: d.awsRegion ?? null,
    resources: (e.Resources ?? []).map((r) => r.ResourceName ?? r.ResourceType ?? "").filter(Boolean),
    resource_details: (e.Resources ?? []).map((r) => ({ type: r.ResourceType ?? null, name: r.ResourceName ?? null })),
    error_code: d.errorCode ?? null,
    error_message: d.errorMessage ?? null,
    read_only: typeof d.readOnly === "boolean"
      ? d.readOnly
      : e.ReadOnly === undefined
      ? null
      : e.ReadOnly.toLowerCase() === "true",
    event_id: e.EventId ?? null,
  };
}

function trailFindings(rows: z.infer<typeof TrailEventRow>[]): Finding[] {
  const out: Finding[] = [];
  const group = <K>(items: typeof rows, key: (r: typeof rows[number]) => K | undefined) => {
    const m = new Map<K, typeof rows>();
    for (const r of items) {
      const k = key(r);
      if (k !== undefined) m.set(k, [...m.get(k) ?? [], r]);
    }
    return m;
  };
  const who = (rs: typeof rows) => {
    const counts = new Map<string, number>();
    for (const r of rs) counts.set(r.username ?? "unknown", (counts.get(r.username ?? "unknown") ?? 0) + 1);
    return someNames([...counts].sort((a, b) => b[1] - a[1]).map(([u, n]) => `${u} (${n})`), 5);
  };
  const resources = (rs: typeof rows) => [...new Set(rs.flatMap((r) => r.resources))].filter(Boolean);
  const succeeded = rows.filter((r) => !r.error_code);
  for (const [name, rs] of group(succeeded, (r) => HIGH_IMPACT.test(r.event_name ?? "") ? r.event_name! : undefined)) {
    const res = resources(rs);
    out.push(finding(
      "warning",
      `Destructive/high-impact: ${name} ×${rs.length}`,
      `${rs[0].service}; by ${who(rs)}; latest ${rs[0].time}${res.length ? `; resources: ${someNames(res)}` : ""}.`,
      "Confirm each was an intended, approved change; if not, find the caller (username, source IP) and restrict who holds that permission.",
      res.length === 1 ? res[0] : null,
    ));
  }
  const failed = rows.filter((r) => r.error_code);
  for (const [, rs] of group(failed, (r) => DENIED.test(r.error_code!) ? `${r.event_name}|${r.username}` : undefined)) {
    const r = rs[0];
    out.push(finding(
      "warning",
      `Access denied: ${r.username ?? "unknown"} → ${r.event_name} ×${rs.length}`,
      `${r.service}; ${r.error_code}: ${r.error_message ?? ""}; latest ${r.time}${
        r.source_ip ? ` from ${r.source_ip}` : ""
      }.`.replace(": ;", ";"),
      "If the caller should be able to do this, grant the missing permission; if not, find out why it tried (a misconfigured tool, or someone probing permissions).",
      r.user_arn ?? r.username,
    ));
  }
  for (
    const [, rs] of group(failed, (r) => DENIED.test(r.error_code!) ? undefined : `${r.event_name}|${r.error_code}`)
  ) {
    const r = rs[0];
    out.push(finding(
      "info",
      `${r.event_name} failed with ${r.error_code} ×${rs.length}`,
      `${r.service}; by ${who(rs)}; latest ${r.time}: ${(r.error_message ?? "no message").replace(/\.$/, "")}.`,
      "Usually a request the service rejected (validation, state, limit); check the message if it repeats.",
      resources(rs)[0] ?? null,
    ));
  }
  return out;
}

/** Who changed what in the EUC services, from CloudTrail. */
export const getEucAuditTrail: ToolDef<typeof TrailInput, typeof TrailOutput> = {
  name: "get_euc_audit_trail",
  title: "EUC audit trail (CloudTrail)",
  toolset: "governance",
  tier: 0,
  actions: ["cloudtrail:LookupEvents"],
  annotations: READ_ONLY,
  description: "Who changed what: CloudTrail management events of Amazon WorkSpaces (Personal and Pools), WorkSpaces " +
    "Applications (AppStream 2.0), Secure Browser (WorkSpaces Web) and Core Managed Instances over the last " +
    "lookback_days, newest first, with destructive/high-impact actions and access-denied calls flagged. " +
    "window_fully_covered and scanned_back_to say how far back every event was seen — when coverage is partial, " +
    "do not conclude that nothing changed. CloudTrail allows 2 lookups per second, so this takes seconds to ~30 s.",
  input: TrailInput,
  output: TrailOutput,
  async run(ctx, args) {
    const services = parseTrailServices(args.service);
    const [region] = await ctx.regions(args);
    const col = new Collection();
    const run = new TrailRun(ctx, region, col);
    const end = new Date();
    const start = new Date(end.getTime() - args.lookback_days * DAY);
    const sources = new Set(services.map((s) => TRAIL[s].source));
    const isEuc = (e: TrailEvent) => sources.has(e.EventSource ?? "");
    const max = args.max_events;
    const found = new Map<string, TrailEvent>();
    const keep = (events: TrailEvent[], match: (e: TrailEvent) => boolean) => {
      for (const e of events) if (match(e)) found.set(e.EventId ?? `${e.EventTime?.getTime()}/${e.EventName}`, e);
    };
    const curated = { checked: 0, complete: 0, skipped: [] as string[] };
    /** Per service: back to when every matching event of its source was seen (the window start: all of it). */
    const reach = new Map<TrailService, number | null>();
    let reachedMax = false;
    let incompleteBelowMax = false;
    if (args.include_read_only) {
      // Reads and writes: one scan per event source.
      for (const s of services) {
        const scan = await run.scan("EventSource", TRAIL[s].source, start, end, SWEEP_PAGES, (ev) => ev.length >= max);
        keep(scan.events, () => true);
        reach.set(s, scan.complete ? start.getTime() : scan.oldest);
        // A source cut off only because it alone filled max_events still yields the true newest events.
        if (!scan.complete) incompleteBelowMax ||= scan.events.length < max;
      }
      reachedMax = !incompleteBelowMax && services.some((s) => reach.get(s) !== start.getTime());
    } else {
      // 1. Every write in the account, newest first: complete for the span it reaches.
      const sweep = await run.scan(
        "ReadOnly",
        "false",
        start,
        end,
        SWEEP_PAGES,
        (ev) => ev.filter(isEuc).length >= max,
      );
      keep(sweep.events, isEuc);
      for (const s of services) reach.set(s, sweep.complete ? start.getTime() : sweep.oldest);
      reachedMax = !sweep.complete && !sweep.failed && found.size >= max;
      if (!sweep.complete && !reachedMax) {
        // 2. Beyond the sweep's reach, each EUC source on its own (reads included, so only cheap when the
        //    source is quiet): a scan that reaches the window start proves that source complete.
        const from = sweep.oldest ?? end.getTime();
        const until = (t: number) => new Date(Math.min(end.getTime(), t + 1000));
        const partial: TrailService[] = [];
        for (const s of services) {
          const scan = await run.scan("EventSource", TRAIL[s].source, start, until(from), SOURCE_PAGES);
          keep(scan.events, (e) => e.ReadOnly?.toLowerCase() === "false");
          if (scan.complete) reach.set(s, start.getTime());
          else {
            reach.set(s, scan.oldest ?? sweep.oldest);
            partial.push(s);
          }
        }
        // 3. Where a source is still incomplete: its curated write events by name, high-impact first.
        for (const { service, name } of curatedOrder(partial)) {
          if (run.budgetLeft <= 0) {
            curated.skipped.push(name);
            continue;
          }
          const scan = await run.scan("EventName", name, start, until(reach.get(service) ?? from), NAME_PAGES);
          if (scan.failed) continue;
          curated.checked++;
          if (scan.complete) curated.complete++;
          keep(scan.events, (e) => e.EventSource === TRAIL[service].source);
        }
      }
    }
    const covered = services.every((s) => reach.get(s) === start.getTime());
    const reaches = services.map((s) => reach.get(s));
    const scannedBackTo = covered
      ? start.getTime()
      : reaches.some((t) => t === null || t === undefined)
      ? null
      : Math.max(...reaches as number[]);
    col.failIfNothing("CloudTrail events");
    const rows = [...found.values()].sort((a, b) => (b.EventTime?.getTime() ?? 0) - (a.EventTime?.getTime() ?? 0))
      .map(eventRow);
    const byName: Record<string, number> = {};
    const byUser: Record<string, number> = {};
    for (const r of rows) {
      byName[r.event_name ?? "unknown"] = (byName[r.event_name ?? "unknown"] ?? 0) + 1;
      byUser[r.username ?? "unknown"] = (byUser[r.username ?? "unknown"] ?? 0) + 1;
    }
    const findings = rankFindings(trailFindings(rows));
    const scannedIso = scannedBackTo === null ? null : new Date(scannedBackTo).toISOString();
    const coverage = services.map((s) => {
      const t = reach.get(s);
      return {
        service: s,
        event_source: TRAIL[s].source,
        complete: t === start.getTime(),
        scanned_back_to: t === null || t === undefined ? null : new Date(t).toISOString(),
      };
    });
    const notes: string[] = [];
    if (!covered && reachedMax) {
      notes.push(
        `The newest ${max} matching events are listed; the scan stopped there, before the start of the window (${start.toISOString()}). Raise max_events or shorten lookback_days to see older ones.`,
      );
    } else if (!covered) {
      const short = coverage.filter((c) => !c.complete).map((c) =>
        `${c.service} (back to ${c.scanned_back_to ?? "nothing"})`
      );
      notes.push(
        `PARTIAL WINDOW COVERAGE: every matching event was seen only back to ${
          scannedIso ?? "(nothing could be read)"
        }; the window starts ${start.toISOString()}. Not fully covered: ${short.join(", ")}. ` +
          (args.include_read_only
            ? `Each service's scan (${SWEEP_PAGES} pages of ${LOOKUP_PAGE} events) ran out before the window start. `
            : `Other services' writes filled the account-wide scan (${SWEEP_PAGES} pages of ${LOOKUP_PAGE}) and the service's own events (reads included) filled its scan; older changes come only from ${curated.checked} curated event names looked up by name (${curated.complete} read completely${
              curated.skipped.length ? `; ${curated.skipped.length} skipped: ${someNames(curated.skipped, 5)}` : ""
            }). `) +
          "Do NOT conclude that nothing changed before that time: shorten lookback_days, pick one service, or query CloudTrail Lake or Athena over the trail's S3 logs for the full window.",
      );
    }
    notes.push(
      `CloudTrail LookupEvents allows 2 requests per second per account and region: ${
        plural(run.calls, "call")
      } were spaced ${LOOKUP_SPACING_MS} ms apart, shared with any other audit running in this server. Management events only; event history keeps 90 days.`,
    );
    if (services.includes("workspaces")) {
      notes.push(
        "Personal and Pools share the workspaces.amazonaws.com event source; Pool operations are labelled Pools.",
      );
    }
    const events = rows.slice(0, max);
    return {
      summary: `${plural(rows.length, "EUC event")} in ${region} over ${plural(args.lookback_days, "day")}${
        rows.length > max ? ` (newest ${max} listed)` : ""
      }${covered ? "" : `; PARTIAL coverage back to ${scannedIso ?? "nothing"}`}: ${findingSummary(findings)}${
        errorSuffix(col)
      }.`,
      data: {
        region,
        service: services.join(","),
        lookback_days: args.lookback_days,
        include_read_only: args.include_read_only,
        max_events: max,
        window_start: start.toISOString(),
        window_end: end.toISOString(),
        window_fully_covered: covered,
        scanned_back_to: scannedIso,
        coverage,
        curated_lookups: curated,
        lookup_calls: run.calls,
        total_events: rows.length,
        truncated: rows.length > max,
        by_event_name: byName,
        by_user: byUser,
        events,
        finding_counts: severityCounts(findings),
        findings: findings.map((f) => withTarget(f, region)),
        errors: col.errors,
        notes,
      },
    };
  },
};
