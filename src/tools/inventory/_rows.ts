/** One report row per resource: the key attributes of each kind, flattened for the report and the CSV. */
import { z } from "zod";
import type { OpOutput } from "../../aws/clients.ts";
import type { Workspace } from "../../aws/listing.ts";
import { iso } from "../_lib/format.ts";
import { type Fleet, type Instance, type Pool, type Portal, type Stack, stackState } from "./_estate.ts";

/** A WorkSpaces bundle. */
export type Bundle = NonNullable<OpOutput<"workspaces", "DescribeWorkspaceBundles">["Bundles"]>[number];
/** An EC2 instance as DescribeInstances returns it. */
export type Ec2Instance = NonNullable<
  NonNullable<OpOutput<"ec2", "DescribeInstances">["Reservations"]>[number]["Instances"]
>[number];

/** One resource of a report section. */
export const Resource = z.object({
  id: z.string(),
  name: z.string().nullable(),
  state: z.string().nullable(),
  region: z.string(),
  attributes: z.record(z.string(), z.unknown()).describe("Per-type attributes; with include_tags also `tags`"),
  tags: z.record(z.string(), z.string()).optional().describe("Only with include_tags"),
});
/** A report row. */
export type ResourceRow = z.infer<typeof Resource>;

/** A desktop's row, with its bundle's name and compute type. */
export function workspaceRow(w: Workspace, region: string, bundles: Map<string, Bundle>): ResourceRow {
  const p = w.WorkspaceProperties ?? {};
  const bundle = w.BundleId ? bundles.get(w.BundleId) : undefined;
  return {
    id: w.WorkspaceId ?? "",
    name: w.UserName ?? null,
    state: w.State ?? null,
    region,
    attributes: {
      user_name: w.UserName ?? null,
      computer_name: w.ComputerName ?? null,
      workspace_name: w.WorkspaceName ?? null,
      ip_address: w.IpAddress ?? null,
      directory_id: w.DirectoryId ?? null,
      bundle_id: w.BundleId ?? null,
      bundle_name: bundle?.Name ?? null,
      compute_type: p.ComputeTypeName ?? bundle?.ComputeType?.Name ?? null,
      running_mode: p.RunningMode ?? null,
      auto_stop_timeout_minutes: p.RunningModeAutoStopTimeoutInMinutes ?? null,
      operating_system: p.OperatingSystemName ?? null,
      protocols: p.Protocols ?? [],
      root_volume_gib: p.RootVolumeSizeGib ?? null,
      user_volume_gib: p.UserVolumeSizeGib ?? null,
      // AWS omits the flags when a volume is not encrypted: absent means false.
      root_volume_encrypted: w.RootVolumeEncryptionEnabled === true,
      user_volume_encrypted: w.UserVolumeEncryptionEnabled === true,
      subnet_id: w.SubnetId ?? null,
      error_code: w.ErrorCode ?? null,
      error_message: w.ErrorMessage ?? null,
    },
  };
}

/** A pool's row, with its CapacityStatus and bundle. */
export function poolRow(p: Pool, region: string, bundles: Map<string, Bundle>): ResourceRow {
  const c = p.CapacityStatus;
  const bundle = p.BundleId ? bundles.get(p.BundleId) : undefined;
  return {
    id: p.PoolId ?? "",
    name: p.PoolName ?? null,
    state: p.State ?? null,
    region,
    attributes: {
      bundle_id: p.BundleId ?? null,
      bundle_name: bundle?.Name ?? null,
      compute_type: bundle?.ComputeType?.Name ?? null,
      operating_system: bundle?.Description ?? null,
      directory_id: p.DirectoryId ?? null,
      running_mode: p.RunningMode ?? null,
      description: p.Description ?? null,
      created_at: iso(p.CreatedAt),
      // CapacityStatus, not Capacity (a reference bug left these always null).
      desired_user_sessions: c?.DesiredUserSessions ?? null,
      actual_user_sessions: c?.ActualUserSessions ?? null,
      active_user_sessions: c?.ActiveUserSessions ?? null,
      available_user_sessions: c?.AvailableUserSessions ?? null,
      errors: (p.Errors ?? []).map((e) => ({ code: e.ErrorCode ?? null, message: e.ErrorMessage ?? null })),
    },
  };
}

/** A fleet's row. */
export function fleetRow(f: Fleet, region: string): ResourceRow {
  const c = f.ComputeCapacityStatus;
  return {
    id: f.Name ?? "",
    name: f.DisplayName ?? f.Name ?? null,
    state: f.State ?? null,
    region,
    attributes: {
      arn: f.Arn ?? null,
      instance_type: f.InstanceType ?? null,
      fleet_type: f.FleetType ?? null,
      platform: f.Platform ?? null,
      stream_view: f.StreamView ?? null,
      image_name: f.ImageName ?? null,
      image_arn: f.ImageArn ?? null,
      max_user_duration_seconds: f.MaxUserDurationInSeconds ?? null,
      idle_disconnect_timeout_seconds: f.IdleDisconnectTimeoutInSeconds ?? null,
      disconnect_timeout_seconds: f.DisconnectTimeoutInSeconds ?? null,
      max_sessions_per_instance: f.MaxSessionsPerInstance ?? null,
      max_concurrent_sessions: f.MaxConcurrentSessions ?? null,
      default_internet_access: f.EnableDefaultInternetAccess ?? null,
      desired: c?.Desired ?? null,
      running: c?.Running ?? null,
      in_use: c?.InUse ?? null,
      available: c?.Available ?? null,
      fleet_errors: (f.FleetErrors ?? []).map((e) => ({ code: e.ErrorCode ?? null, message: e.ErrorMessage ?? null })),
    },
  };
}

/** A stack's row (its associated fleets are added by the report). */
export function stackRow(s: Stack, region: string): ResourceRow {
  return {
    id: s.Name ?? "",
    name: s.DisplayName ?? s.Name ?? null,
    state: stackState(s),
    region,
    attributes: {
      arn: s.Arn ?? null,
      description: s.Description ?? null,
      embed_host_domains: s.EmbedHostDomains ?? [],
      redirect_url: s.RedirectURL ?? null,
      feedback_url: s.FeedbackURL ?? null,
      user_settings: (s.UserSettings ?? []).map((u) => ({
        action: u.Action ?? null,
        permission: u.Permission ?? null,
      })),
      storage_connectors: (s.StorageConnectors ?? []).map((c) => c.ConnectorType ?? null),
      application_settings_enabled: s.ApplicationSettings?.Enabled ?? null,
      stack_errors: (s.StackErrors ?? []).map((e) => ({ code: e.ErrorCode ?? null, message: e.ErrorMessage ?? null })),
    },
  };
}

/** A Secure Browser portal's row. */
export function portalRow(p: Portal, region: string): ResourceRow {
  return {
    id: p.portalArn ?? "",
    name: p.displayName ?? null,
    state: p.portalStatus ?? null,
    region,
    attributes: {
      browser_type: p.browserType ?? null,
      authentication_type: p.authenticationType ?? null,
      max_concurrent_sessions: p.maxConcurrentSessions ?? null,
      instance_type: p.instanceType ?? null,
      renderer_type: p.rendererType ?? null,
      portal_endpoint: p.portalEndpoint ?? null,
      created_at: iso(p.creationDate),
      ip_access_settings_arn: p.ipAccessSettingsArn ?? null,
      user_access_logging_settings_arn: p.userAccessLoggingSettingsArn ?? null,
    },
  };
}

/** A Core managed instance's row, with its EC2 details. */
export function instanceRow(i: Instance, region: string, ec2: Map<string, Ec2Instance>): ResourceRow {
  const id = i.EC2ManagedInstance?.InstanceId;
  const e = id ? ec2.get(id) : undefined;
  return {
    id: i.WorkspaceInstanceId ?? "",
    name: e?.Tags?.find((t) => t.Key === "Name")?.Value ?? null,
    state: i.ProvisionState ?? null,
    region,
    attributes: {
      ec2_instance_id: id ?? null,
      ec2_instance_type: e?.InstanceType ?? null,
      ec2_state: e?.State?.Name ?? null,
      ec2_launch_time: iso(e?.LaunchTime),
      ec2_private_ip: e?.PrivateIpAddress ?? null,
      ec2_platform: e?.PlatformDetails ?? null,
    },
  };
}
