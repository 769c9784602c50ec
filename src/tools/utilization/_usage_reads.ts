/**
 * The usage engine's two batched readers besides the listing's metric chunks: connection status
 * (DescribeWorkspacesConnectionStatus, 25 ids per call, side by side instead of one NextToken chain)
 * and the 5-minute UserConnected reads of the desktops a tool needs exact figures of. Both queue
 * what the engine hands them and send full requests; neither makes one call per desktop.
 */
import type { OpOutput } from "../../aws/clients.ts";
import type { AwsErrorInfo } from "../../aws/errors.ts";
import { LISTING_CHAINS, type Workspace } from "../../aws/listing.ts";
import {
  getMetricSeries,
  MAX_QUERIES_PER_REQUEST,
  type MetricQuery,
  type MetricWindow,
  type Series,
} from "../../aws/metrics.ts";
import { collect } from "../../aws/paginate.ts";
import { Collection } from "../_lib/collection.ts";
import { addErrors, limiter, type UsageContext } from "./_reader.ts";

/** What a 5-minute read needs of a desktop: which one, and how many hourly points it had. */
export interface FineTarget {
  workspace: Workspace;
  hourly_points: number;
}

/** Ids per DescribeWorkspacesConnectionStatus call (the API maximum). */
const CONNECTION_IDS_PER_CALL = 25;
/**
 * DescribeWorkspacesConnectionStatus calls in flight at once per region: one call per listing page,
 * so as many as the listing's chains deliver pages side by side (fewer, and they fall behind it).
 */
const CONNECTION_CONCURRENCY = LISTING_CHAINS;
/** 5-minute GetMetricData requests in flight at once per region. */
const FINE_CONCURRENCY = 4;
/** Datapoints a 5-minute request aims at: one 100,800-point response page with headroom. */
const FINE_POINTS_PER_REQUEST = 90_000;
/** 5-minute buckets per hour: a desktop's 5-minute read returns at most this many points per hourly point. */
const BUCKETS_PER_HOUR = 12;

/** One desktop's DescribeWorkspacesConnectionStatus entry. */
export type ConnectionStatus = NonNullable<
  OpOutput<"workspaces", "DescribeWorkspacesConnectionStatus">["WorkspacesConnectionStatus"]
>[number];

/** Connection status of desktops, asked for 25 ids at a time as the listing delivers them. */
export class ConnectionStatuses {
  readonly #run = limiter(CONNECTION_CONCURRENCY);
  readonly #byId = new Map<string, Promise<ConnectionStatus | null | undefined>>();
  #buffer: { id: string; resolve: (s: ConnectionStatus | null | undefined) => void }[] = [];
  failed = false;

  constructor(
    readonly ctx: UsageContext,
    readonly region: string,
    readonly col: Collection,
  ) {}

  /** Queues the desktops' ids; a call goes out for every 25. */
  add(ids: readonly string[]): void {
    for (const id of ids) {
      this.#byId.set(id, new Promise((resolve) => this.#buffer.push({ id, resolve })));
      if (this.#buffer.length >= CONNECTION_IDS_PER_CALL) this.flush();
    }
  }

  /** Sends the queued ids (the last, partial call). */
  flush(): void {
    const batch = this.#buffer;
    this.#buffer = [];
    if (batch.length === 0) return;
    void this.#run(async () => {
      const scratch = new Collection();
      const items = await scratch.attempt(
        { service: "workspaces", operation: "DescribeWorkspacesConnectionStatus", region: this.region },
        async () =>
          (await collect(
            this.ctx.aws,
            "workspaces",
            "DescribeWorkspacesConnectionStatus",
            { WorkspaceIds: batch.map((b) => b.id) },
            "WorkspacesConnectionStatus",
            { region: this.region, signal: this.ctx.signal },
          )).items,
      );
      addErrors(this.col, scratch.errors);
      if (!items) this.failed = true;
      const byId = new Map((items ?? []).map((s) => [s.WorkspaceId, s]));
      for (const b of batch) b.resolve(items ? byId.get(b.id) ?? null : undefined);
    });
  }

  /** The status of a desktop: null when AWS returned none, undefined when the call failed. */
  of(id: string): Promise<ConnectionStatus | null | undefined> {
    return this.#byId.get(id) ?? Promise.resolve(undefined);
  }
}

/**
 * The UserConnected query of one desktop. AlwaysOn and Manual desktops publish zeros around the
 * clock: only their connected samples are read (positive-only, two slots). An AutoStop desktop
 * publishes only while it runs, so its whole series is read (one slot): the connected samples, and
 * the zero samples of a running, disconnected desktop — the evidence of how long it kept running
 * after a disconnect (about timeout / 5 minutes more datapoints per session).
 */
export function connectedQuery(w: Workspace): MetricQuery {
  return {
    namespace: "AWS/WorkSpaces",
    metric: "UserConnected",
    dimensions: { WorkspaceId: w.WorkspaceId! },
    stat: "Maximum",
    positiveOnly: w.WorkspaceProperties?.RunningMode !== "AUTO_STOP",
  };
}

/**
 * 5-minute UserConnected reads for chosen desktops: queued, and packed into GetMetricData requests
 * of at most 500 query slots and FINE_POINTS_PER_REQUEST datapoints — a desktop's 5-minute read
 * returns at most 12 points per hourly point, so a request never needs a second page.
 */
export class FineReads {
  readonly #run = limiter(FINE_CONCURRENCY);
  #buffer: { d: FineTarget; resolve: (r: FineRead) => void; reject: (e: unknown) => void }[] = [];
  #slots = 0;
  #points = 0;
  /** Datapoints and GetMetricData requests of the 5-minute reads so far. */
  points = 0;
  requests = 0;

  constructor(
    readonly ctx: UsageContext,
    readonly region: string,
    readonly window: MetricWindow,
    readonly col: Collection,
  ) {}

  /** Queues a desktop; a request goes out when the next one would not fit. */
  add(d: FineTarget): Promise<FineRead> {
    const slots = d.workspace.WorkspaceProperties?.RunningMode !== "AUTO_STOP" ? 2 : 1;
    const points = Math.max(1, d.hourly_points) * BUCKETS_PER_HOUR;
    if (
      this.#buffer.length > 0 &&
      (this.#slots + slots > MAX_QUERIES_PER_REQUEST || this.#points + points > FINE_POINTS_PER_REQUEST)
    ) {
      this.flush();
    }
    this.#slots += slots;
    this.#points += points;
    return new Promise((resolve, reject) => this.#buffer.push({ d, resolve, reject }));
  }

  /** Sends the queued desktops (the last, partial request). */
  flush(): void {
    const batch = this.#buffer;
    this.#buffer = [];
    this.#slots = 0;
    this.#points = 0;
    if (batch.length === 0) return;
    void this.#run(async () => {
      try {
        const r = await getMetricSeries(
          this.ctx.aws,
          this.region,
          batch.map((b) => connectedQuery(b.d.workspace)),
          this.window,
          { signal: this.ctx.signal, concurrency: 1 },
        );
        this.requests += r.requests;
        addErrors(this.col, r.errors);
        for (const s of r.series) this.points += s?.values.length ?? 0;
        batch.forEach((b, i) => b.resolve({ series: r.series[i], error: r.errors[0] }));
      } catch (e) {
        // Aborted (getMetricSeries reports every other failure as errors): the waiting desktops fail with it.
        for (const b of batch) b.reject(e);
      }
    });
  }
}

/** A desktop's 5-minute series, or null with the error. */
export interface FineRead {
  series: Series | null;
  error?: AwsErrorInfo;
}
