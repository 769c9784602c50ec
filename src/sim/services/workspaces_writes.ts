/**
 * Amazon WorkSpaces write operations (awsJson1_1): Start/Stop/Reboot/Rebuild/Terminate in batches
 * with `FailedRequests` for refused desktops (these operations model no errors of their own), the
 * single-desktop Restore and ModifyWorkspaceProperties, and the three pool operations. State rules
 * are the API reference's; transitions settle after SIM_TIMING.transitionMs.
 */
import type { FailedWorkspaceChangeRequest, Workspace, WorkspacesPool } from "@aws-sdk/client-workspaces";
import { type OpContext, type OperationTable, reqString, SimError, validationMessage } from "./common.ts";
import { schedule, takeFailure } from "./transitions.ts";

type Region = OpContext["region"];
const INVALID = "InvalidParameterValuesException";

interface BatchRule {
  /** The request list member, e.g. StartWorkspaceRequests. */
  list: string;
  max: number;
  /** Why AWS refuses this desktop, or undefined when it accepts. */
  refuse(ws: Workspace, region: Region): string | undefined;
  /** The transitional state and the end state (null = the desktop disappears). */
  via: string;
  to: string | null;
}

const mode = (ws: Workspace) => ws.WorkspaceProperties?.RunningMode ?? "AUTO_STOP";
const stateIs = (ws: Workspace, ...states: string[]) => states.includes(ws.State ?? "");
const BAD_STATE = "The specified WorkSpace has an invalid state for this operation.";

const BATCH: Readonly<Record<string, BatchRule>> = {
  // "You cannot start a WorkSpace unless it has a running mode of AutoStop or Manual and a state of STOPPED."
  StartWorkspaces: {
    list: "StartWorkspaceRequests",
    max: 25,
    refuse: (ws) => mode(ws) === "ALWAYS_ON" || !stateIs(ws, "STOPPED") ? BAD_STATE : undefined,
    via: "STARTING",
    to: "AVAILABLE",
  },
  // AutoStop or Manual, and AVAILABLE, IMPAIRED, UNHEALTHY or ERROR.
  StopWorkspaces: {
    list: "StopWorkspaceRequests",
    max: 25,
    refuse: (ws) =>
      mode(ws) === "ALWAYS_ON" || !stateIs(ws, "AVAILABLE", "IMPAIRED", "UNHEALTHY", "ERROR") ? BAD_STATE : undefined,
    via: "STOPPING",
    to: "STOPPED",
  },
  RebootWorkspaces: {
    list: "RebootWorkspaceRequests",
    max: 25,
    refuse: (ws) => !stateIs(ws, "AVAILABLE", "UNHEALTHY", "REBOOTING") ? BAD_STATE : undefined,
    via: "REBOOTING",
    to: "AVAILABLE",
  },
  // Exactly one per call; needs a user-volume snapshot.
  RebuildWorkspaces: {
    list: "RebuildWorkspaceRequests",
    max: 1,
    refuse: (ws, region) => {
      if (!stateIs(ws, "AVAILABLE", "ERROR", "UNHEALTHY", "STOPPED", "REBOOTING")) return BAD_STATE;
      const snaps = region.snapshots.get(ws.WorkspaceId!);
      if (snaps && (snaps.RebuildSnapshots ?? []).length === 0) return "The WorkSpace has no user volume snapshot.";
      return undefined;
    },
    via: "REBUILDING",
    to: "AVAILABLE",
  },
  // Any state except SUSPENDED; TERMINATED shows briefly, then the id is no longer returned.
  TerminateWorkspaces: {
    list: "TerminateWorkspaceRequests",
    max: 25,
    refuse: (ws) => stateIs(ws, "SUSPENDED") ? BAD_STATE : undefined,
    via: "TERMINATING",
    to: null,
  },
};

function requestIds(input: Record<string, unknown>, rule: BatchRule): string[] {
  const list = input[rule.list];
  if (!Array.isArray(list) || list.length < 1 || list.length > rule.max) {
    const n = Array.isArray(list) ? list.length : 0;
    throw new SimError(
      "ValidationException",
      validationMessage(
        `[${n} items]`,
        rule.list[0].toLowerCase() + rule.list.slice(1),
        n < 1 ? "have length greater than or equal to 1" : `have length less than or equal to ${rule.max}`,
      ),
    );
  }
  return list.map((r) => {
    const id = (r as { WorkspaceId?: unknown })?.WorkspaceId;
    if (typeof id !== "string") throw new SimError("ValidationException", "WorkspaceId must not be null");
    return id;
  });
}

function transition(region: Region, ws: Workspace, via: string, to: string | null): void {
  ws.State = via as Workspace["State"];
  const id = ws.WorkspaceId!;
  schedule(region, id, () => {
    const cur = region.workspaces.get(id);
    if (!cur || cur.State !== via) return;
    if (to === null) {
      region.workspaces.delete(id);
      region.connections.delete(id);
      region.tags.delete(id);
    } else {
      cur.State = to as Workspace["State"];
    }
  });
}

function batch(operation: string) {
  const rule = BATCH[operation];
  return (ctx: OpContext): { FailedRequests: FailedWorkspaceChangeRequest[] } => {
    const { region } = ctx;
    const failed: FailedWorkspaceChangeRequest[] = [];
    for (const id of requestIds(ctx.input, rule)) {
      const ws = region.workspaces.get(id);
      const injected = takeFailure(region, id);
      const why = injected ? undefined : ws ? rule.refuse(ws, region) : undefined;
      if (injected) failed.push({ WorkspaceId: id, ErrorCode: injected.code, ErrorMessage: injected.message });
      else if (!ws) {
        failed.push({ WorkspaceId: id, ErrorCode: "ResourceNotFound.Workspace", ErrorMessage: "Workspace not found." });
      } else if (why) failed.push({ WorkspaceId: id, ErrorCode: "InvalidResourceState", ErrorMessage: why });
      else transition(region, ws, rule.via, rule.to);
    }
    return { FailedRequests: failed };
  };
}

function desktop(ctx: OpContext): Workspace {
  const id = reqString(ctx.input, "WorkspaceId", INVALID);
  const injected = takeFailure(ctx.region, id);
  if (injected) throw new SimError(injected.code, injected.message);
  const ws = ctx.region.workspaces.get(id);
  if (!ws) throw new SimError("ResourceNotFoundException", `The WorkSpace ${id} could not be found.`);
  return ws;
}

// AVAILABLE, ERROR, UNHEALTHY or STOPPED; both snapshots needed.
function restoreWorkspace(ctx: OpContext): Record<string, never> {
  const ws = desktop(ctx);
  if (!stateIs(ws, "AVAILABLE", "ERROR", "UNHEALTHY", "STOPPED")) {
    throw new SimError("OperationNotSupportedException", BAD_STATE);
  }
  const snaps = ctx.region.snapshots.get(ws.WorkspaceId!);
  if (snaps && (snaps.RestoreSnapshots ?? []).length === 0) {
    throw new SimError("OperationNotSupportedException", "The WorkSpace has no restore snapshot.");
  }
  transition(ctx.region, ws, "RESTORING", "AVAILABLE");
  return {};
}

// The Modify-a-WorkSpace precondition: AVAILABLE or STOPPED.
function modifyWorkspaceProperties(ctx: OpContext): Record<string, never> {
  const ws = desktop(ctx);
  const props = ctx.input.WorkspaceProperties as { RunningMode?: unknown } | undefined;
  const mode = props?.RunningMode;
  if (mode !== undefined && !["AUTO_STOP", "ALWAYS_ON", "MANUAL"].includes(String(mode))) {
    throw new SimError(INVALID, `Invalid RunningMode ${String(mode)}`);
  }
  if (!stateIs(ws, "AVAILABLE", "STOPPED")) {
    throw new SimError(
      "InvalidResourceStateException",
      "The specified WorkSpace has an invalid state for this operation.",
    );
  }
  if (mode !== undefined) {
    ws.WorkspaceProperties = { ...ws.WorkspaceProperties, RunningMode: mode as "AUTO_STOP" };
  }
  return {};
}

function pool(ctx: OpContext): WorkspacesPool {
  const id = reqString(ctx.input, "PoolId", INVALID);
  const injected = takeFailure(ctx.region, id);
  if (injected) throw new SimError(injected.code, injected.message);
  const p = ctx.region.pools.get(id);
  if (!p) throw new SimError("ResourceNotFoundException", `The pool ${id} could not be found.`);
  return p;
}

function poolTransition(region: Region, p: WorkspacesPool, via: string, to: string): void {
  p.State = via as WorkspacesPool["State"];
  schedule(region, p.PoolId!, () => {
    if (p.State !== via) return;
    p.State = to as WorkspacesPool["State"];
    const c = p.CapacityStatus;
    if (c) {
      c.ActualUserSessions = to === "RUNNING" ? c.DesiredUserSessions : 0;
      if (to === "STOPPED") c.ActiveUserSessions = 0;
      c.AvailableUserSessions = Math.max(0, (c.ActualUserSessions ?? 0) - (c.ActiveUserSessions ?? 0));
    }
  });
}

function startWorkspacesPool(ctx: OpContext): Record<string, never> {
  const p = pool(ctx);
  if (p.State !== "STOPPED") throw new SimError("InvalidResourceStateException", "The pool is not STOPPED.");
  poolTransition(ctx.region, p, "STARTING", "RUNNING");
  return {};
}

function stopWorkspacesPool(ctx: OpContext): Record<string, never> {
  const p = pool(ctx);
  if (p.State !== "RUNNING") throw new SimError("InvalidResourceStateException", "The pool is not RUNNING.");
  poolTransition(ctx.region, p, "STOPPING", "STOPPED");
  return {};
}

function updateWorkspacesPool(ctx: OpContext): { WorkspacesPool: WorkspacesPool } {
  const p = pool(ctx);
  const desired = (ctx.input.Capacity as { DesiredUserSessions?: unknown } | undefined)?.DesiredUserSessions;
  if (ctx.input.Capacity !== undefined && (typeof desired !== "number" || desired < 0 || !Number.isInteger(desired))) {
    throw new SimError(INVALID, "Capacity.DesiredUserSessions must be an integer >= 0.");
  }
  if (p.State === "UPDATING") throw new SimError("OperationInProgressException", "The pool is being updated.");
  if (p.State === "CREATING" || p.State === "DELETING") {
    throw new SimError("InvalidResourceStateException", `The pool is ${p.State}.`);
  }
  if (typeof desired === "number") {
    const c = p.CapacityStatus ??= {
      AvailableUserSessions: 0,
      DesiredUserSessions: 0,
      ActualUserSessions: 0,
      ActiveUserSessions: 0,
    };
    c.DesiredUserSessions = desired;
    if (p.State === "RUNNING") {
      c.ActualUserSessions = Math.max(desired, c.ActiveUserSessions ?? 0);
      c.AvailableUserSessions = Math.max(0, c.ActualUserSessions - (c.ActiveUserSessions ?? 0));
    }
  }
  return { WorkspacesPool: p };
}

/** The write operations, spread into the WorkSpaces operations table. */
export const workspacesWrites: OperationTable = {
  StartWorkspaces: batch("StartWorkspaces"),
  StopWorkspaces: batch("StopWorkspaces"),
  RebootWorkspaces: batch("RebootWorkspaces"),
  RebuildWorkspaces: batch("RebuildWorkspaces"),
  TerminateWorkspaces: batch("TerminateWorkspaces"),
  RestoreWorkspace: restoreWorkspace,
  ModifyWorkspaceProperties: modifyWorkspaceProperties,
  StartWorkspacesPool: startWorkspacesPool,
  StopWorkspacesPool: stopWorkspacesPool,
  UpdateWorkspacesPool: updateWorkspacesPool,
};

/** The mutating WorkSpaces operations (for call-log assertions). */
export const WORKSPACES_MUTATIONS: readonly string[] = Object.keys(workspacesWrites);
