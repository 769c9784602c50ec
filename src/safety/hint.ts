/** How a finding names a write tool: the name when the flags register it, else the name and the flags it needs. */
import type { Config } from "../config.ts";

const DESTRUCTIVE = new Set(["terminate_workspaces", "rebuild_workspaces", "restore_workspace"]);

/** "restore_workspace", or "restore_workspace (start the server with --enable-writes --enable-destructive)". */
export function writeToolHint(config: Pick<Config, "enableWrites" | "enableDestructive">, tool: string): string {
  const destructive = DESTRUCTIVE.has(tool);
  const on = config.enableWrites && (!destructive || config.enableDestructive);
  if (on) return tool;
  return `${tool} (start the server with --enable-writes${destructive ? " --enable-destructive" : ""})`;
}
