/**
 * Id and name patterns AWS documents for the resources our tools take as input, checked before any
 * AWS call. One copy: every tool and the launch flags use these.
 */

/** AWS region names, including GovCloud, China and ISO partitions. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** WorkSpaces' own id constraints (API reference). */
export const IDS = {
  /** A WorkSpaces Personal desktop (WorkspaceId). */
  workspace: /^ws-[0-9a-z]{8,63}$/,
  /** A WorkSpaces Pool (PoolId). */
  pool: /^wspool-[0-9a-z]{9}$/,
  /** WorkSpaces accepts d-… (Directory Service) and wsd-… (WorkSpaces-managed) directory ids. */
  directory: /^(d-[0-9a-f]{8,63}|wsd-[0-9a-z]{8,63})$/,
  /** Directory Service's own id format; anything else (notably wsd-…) is never sent to ds. */
  dsDirectory: /^d-[0-9a-f]{10}$/,
  /** WorkSpaces Applications resource names (CreateFleet Name). */
  fleet: /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,100}$/,
} as const;
