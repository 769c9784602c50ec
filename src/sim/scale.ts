/**
 * Large deterministic estates for scale tests and benchmarks.
 */
import type { RunningMode, WorkspaceState } from "@aws-sdk/client-workspaces";
import type { Estate } from "./region.ts";
import { scenario } from "./scenario.ts";
import { BUNDLES } from "./scenario_workspaces.ts";
import { DAY, seededRandom } from "./seed.ts";

/** Options of scaleEstate(). */
export interface ScaleOpts {
  desktops: number;
  pools?: number;
  fleets?: number;
  portals?: number;
  regions?: string[];
  /** Directories per region the desktops are spread over (default: one per 2,500 desktops, at least one). */
  directoriesPerRegion?: number;
  seed?: number;
  /** The "now" that connection times are relative to (default: the current time). */
  now?: Date;
}

// Desktop states by share of the estate: mostly healthy, a long tail of everything else.
const STATE_MIX: readonly [WorkspaceState, number][] = [
  ["AVAILABLE", 0.70],
  ["STOPPED", 0.22],
  ["ERROR", 0.015],
  ["UNHEALTHY", 0.015],
  ["IMPAIRED", 0.01],
  ["SUSPENDED", 0.01],
  ["PENDING", 0.01],
  ["REBOOTING", 0.005],
  ["MAINTENANCE", 0.005],
];
const RUNNING_MIX: readonly [RunningMode, number][] = [
  ["AUTO_STOP", 0.65],
  ["ALWAYS_ON", 0.35],
];
const COST_CENTERS = ["CC-1001", "CC-1002", "CC-1003", "CC-1004", "CC-EXEC"];

/** A deterministic estate of `desktops` desktops (plus pools, fleets, portals) spread over regions. */
export function scaleEstate(opts: ScaleOpts): Estate {
  const regions = opts.regions?.length ? opts.regions : ["us-east-1"];
  const random = seededRandom(opts.seed ?? 1);
  const now = (opts.now ?? new Date()).getTime();
  const bundleIds = Object.keys(BUNDLES);
  const s = scenario(regions[0]);
  // Large estates are split over several directories (per OU, per site), as real ones are.
  const perRegion = Math.ceil(opts.desktops / regions.length);
  const dirs = Math.max(1, opts.directoriesPerRegion ?? Math.ceil(perRegion / 2500));
  const directoryId = (r: number, d: number) => `d-9${hex(r * 16 + d, 9)}`;
  regions.forEach((region, r) => {
    for (let d = 0; d < dirs; d++) {
      s.inRegion(region).directory(directoryId(r, d), { name: `corp${r}-${d}.example.com` });
    }
    if ((opts.pools ?? 0) > 0) {
      s.directory(`wsd-scale${base36(r, 4)}`, { workspaceType: "POOLS" });
    }
  });
  for (let n = 0; n < opts.desktops; n++) {
    const r = n % regions.length;
    const state = pick(STATE_MIX, random());
    const idle = random();
    s.inRegion(regions[r]).workspace(`ws-x${base36(n, 8)}`, {
      user: `user${String(n).padStart(6, "0")}`,
      directory: directoryId(r, Math.floor(n / regions.length) % dirs),
      bundle: bundleIds[Math.floor(random() * bundleIds.length)],
      state,
      runningMode: pick(RUNNING_MIX, random()),
      rootEncrypted: random() > 0.1,
      userEncrypted: random() > 0.1,
      errorCode: state === "ERROR" ? "DomainJoinFailed" : undefined,
      errorMessage: state === "ERROR" ? "The WorkSpace could not join the domain." : undefined,
      // A fifth never connected; the rest connected within the last 90 days.
      lastConnected: idle < 0.2 ? undefined : new Date(now - Math.floor(random() * 90 * DAY)),
      tags: {
        CostCenter: COST_CENTERS[Math.floor(random() * COST_CENTERS.length)],
      },
    });
  }
  for (let n = 0; n < (opts.pools ?? 0); n++) {
    const r = n % regions.length;
    const desired = 5 + Math.floor(random() * 46);
    const active = Math.floor(random() * (desired + 1));
    s.inRegion(regions[r]).pool(`wspool-${base36(n, 9)}`, {
      name: `pool_${n}`,
      directory: `wsd-scale${base36(r, 4)}`,
      desired,
      actual: desired,
      active,
      available: desired - active,
    });
  }
  for (let n = 0; n < (opts.fleets ?? 0); n++) {
    const r = n % regions.length;
    const desired = 1 + Math.floor(random() * 20);
    const inUse = Math.floor(random() * (desired + 1));
    s.inRegion(regions[r]).fleet(`fleet-${n}`, {
      desired,
      inUse,
      fleetType: random() < 0.5 ? "ON_DEMAND" : "ALWAYS_ON",
    }).stack(`stack-${n}`, { fleets: [`fleet-${n}`] });
  }
  for (let n = 0; n < (opts.portals ?? 0); n++) {
    const r = n % regions.length;
    s.inRegion(regions[r]).portal(
      `${hex(n, 8)}-0000-4000-8000-${hex(n, 12)}`,
      {
        ipAccessSettings: random() > 0.3,
        logging: random() > 0.3,
      },
    );
  }
  return s.build();
}

function pick<T>(mix: readonly [T, number][], x: number): T {
  let acc = 0;
  for (const [value, share] of mix) {
    acc += share;
    if (x < acc) return value;
  }
  return mix[mix.length - 1][0];
}

function base36(n: number, width: number): string {
  return n.toString(36).padStart(width, "0");
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}
