/**
 * Access rules shared by the security audit and the Secure Browser tools: how open an IP range is
 * (parsed, IPv4 and IPv6, never a string prefix match) and what a Secure Browser portal's settings
 * let data do. Pure functions over AWS shapes; no AWS calls here.
 */
import { type Finding, finding, type Severity } from "./findings.ts";

/**
 * Prefix lengths shorter than these count as overly broad: an IPv4 range wider than a /8 (16.7
 * million addresses) or an IPv6 range wider than a /32 (a whole ISP allocation) is no real
 * restriction. A /0 of either family is the whole internet.
 */
export const BROAD_PREFIX = { ipv4: 8, ipv6: 32 } as const;

/** A parsed CIDR: its family and prefix length (a bare address is a /32 or /128). */
export interface Cidr {
  readonly family: 4 | 6;
  readonly prefix: number;
}

/** How open one IP rule is. */
export type Openness = "open" | "broad" | "narrow" | "invalid";

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

function ipv4Ok(addr: string): boolean {
  const m = IPV4.exec(addr);
  return !!m && m.slice(1).every((o) => Number(o) <= 255 && !(o.length > 1 && o.startsWith("0")));
}

function ipv6Ok(addr: string): boolean {
  if (addr.split("::").length > 2) return false;
  const [head, tail] = addr.includes("::") ? addr.split("::") : [addr, undefined];
  const groups = (part: string | undefined) => (part ? part.split(":") : []);
  const all = [...groups(head), ...groups(tail)];
  let count = all.length;
  // An embedded IPv4 address (::ffff:192.0.2.1) fills the last two hextets.
  const last = all[all.length - 1];
  if (last !== undefined && last.includes(".")) {
    if (!ipv4Ok(last)) return false;
    all.pop();
    count += 1;
  }
  if (!all.every((g) => HEXTET.test(g))) return false;
  return tail === undefined ? count === 8 : count < 8;
}

/** Parses "a.b.c.d/n", "x:y::z/n" or a bare address; undefined when it is not a valid CIDR. */
export function parseCidr(text: string): Cidr | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf("/");
  const addr = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const bits = slash < 0 ? undefined : trimmed.slice(slash + 1);
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return undefined;
  if (ipv4Ok(addr)) {
    const prefix = bits === undefined ? 32 : Number(bits);
    return prefix <= 32 ? { family: 4, prefix } : undefined;
  }
  if (addr.includes(":") && ipv6Ok(addr)) {
    const prefix = bits === undefined ? 128 : Number(bits);
    return prefix <= 128 ? { family: 6, prefix } : undefined;
  }
  return undefined;
}

/** open: a /0 (every address of its family); broad: shorter than BROAD_PREFIX; invalid: not a CIDR. */
export function openness(rule: string): Openness {
  const c = parseCidr(rule);
  if (!c) return "invalid";
  if (c.prefix === 0) return "open";
  return c.prefix < (c.family === 4 ? BROAD_PREFIX.ipv4 : BROAD_PREFIX.ipv6) ? "broad" : "narrow";
}

/** How many addresses an IPv4 CIDR covers, for the finding text ("67,108,864 addresses"). */
export function addressCount(rule: string): string | undefined {
  const c = parseCidr(rule);
  if (!c) return undefined;
  return c.family === 4 ? (2 ** (32 - c.prefix)).toLocaleString("en-US") : `2^${128 - c.prefix}`;
}

/** Rules of one allow-list grouped by openness (open, broad, invalid; narrow ones are fine). */
export function classifyRules(rules: readonly string[]): { open: string[]; broad: string[]; invalid: string[] } {
  const out = { open: [] as string[], broad: [] as string[], invalid: [] as string[] };
  for (const r of rules) {
    const kind = openness(r);
    if (kind !== "narrow") out[kind].push(r);
  }
  return out;
}

/** Findings for an allow-list: any /0 is critical, overly broad ranges a warning, unparseable rules info. */
export function allowListFindings(
  rules: readonly string[],
  what: string,
  resourceId: string,
  context: string,
  fix: string,
): Finding[] {
  const { open, broad, invalid } = classifyRules(rules);
  const out: Finding[] = [];
  if (open.length) {
    out.push(finding(
      "critical",
      `${what} open to the internet`,
      `Rule${open.length > 1 ? "s" : ""} ${open.join(", ")} allow${open.length > 1 ? "" : "s"} every ${
        [...new Set(open.map((r) => parseCidr(r)!.family))].sort().map((f) => `IPv${f}`).join(" and ")
      } address${context}.`,
      `Replace ${
        open.join(", ")
      } with the public ranges users really connect from (offices, VPN or NAT egress). ${fix}`,
      resourceId,
    ));
  }
  if (broad.length) {
    out.push(finding(
      "warning",
      `${what} allows an overly broad range`,
      `${
        broad.map((r) => `${r} (${addressCount(r)} addresses)`).join(", ")
      }: IPv4 ranges wider than /${BROAD_PREFIX.ipv4} ` +
        `and IPv6 ranges wider than /${BROAD_PREFIX.ipv6} are no real restriction${context}.`,
      `Narrow ${broad.join(", ")} to the ranges users connect from. ${fix}`,
      resourceId,
    ));
  }
  if (invalid.length) {
    out.push(finding(
      "info",
      `${what} has rules that are not CIDR ranges`,
      `Could not parse ${invalid.map((r) => JSON.stringify(r)).join(", ")}${context}.`,
      "Check the rules in the console; AWS expects CIDR notation such as 203.0.113.0/24.",
      resourceId,
    ));
  }
  return out;
}

// ---------------------------------------------------------------- Secure Browser portals

/** User-settings members that move data between the session and the user's device, and what each allows. */
export const TRANSFER_FLAGS = [
  { member: "copyAllowed", label: "copy", egress: true },
  { member: "downloadAllowed", label: "download", egress: true },
  { member: "printAllowed", label: "print", egress: true },
  { member: "uploadAllowed", label: "upload", egress: false },
] as const;

/** The transfer members of a user settings object ("Enabled" / "Disabled"). */
export type TransferSettings = { readonly [K in (typeof TRANSFER_FLAGS)[number]["member"]]?: string };

/** The transfer flags a user settings object sets to "Enabled", by label. */
export function transfersAllowed(settings: TransferSettings): string[] {
  return TRANSFER_FLAGS.filter((f) => settings[f.member] === "Enabled").map((f) => f.label);
}

/** Minimal portal shape the portal rules read. */
export interface PortalLike {
  readonly portalArn?: string;
  readonly displayName?: string;
  readonly portalStatus?: string;
  readonly ipAccessSettingsArn?: string;
  readonly userAccessLoggingSettingsArn?: string;
  readonly sessionLoggerArn?: string;
  readonly userSettingsArn?: string;
}

function portalName(p: PortalLike): string {
  return p.displayName ? `"${p.displayName}"` : (p.portalArn?.split("/").pop() ?? "portal");
}

/** No IP access settings: the portal accepts sign-ins from any address. */
export function portalIpFindings(p: PortalLike): Finding[] {
  if (p.ipAccessSettingsArn) return [];
  return [finding(
    "warning",
    "Secure Browser portal has no IP access restriction",
    `Portal ${portalName(p)} has no IP access settings, so users can start sessions from any network.`,
    "Create IP access settings with your trusted public ranges and associate them with the portal (CreateIpAccessSettings, AssociateIpAccessSettings).",
    p.portalArn ?? null,
  )];
}

/**
 * No user access logging and no session logger: nobody can tell who visited what. A warning for an
 * Active portal (sessions are running without an audit trail), info for one that is not serving yet.
 */
export function portalLoggingFindings(p: PortalLike): Finding[] {
  if (p.userAccessLoggingSettingsArn || p.sessionLoggerArn) return [];
  const severity: Severity = p.portalStatus === "Active" ? "warning" : "info";
  return [finding(
    severity,
    "Secure Browser portal has no session logging",
    `Portal ${portalName(p)} (${p.portalStatus ?? "status unknown"}) has neither user access logging (Kinesis) ` +
      "nor a session logger (S3), so session starts and visited URLs are not recorded for audit or incident response.",
    "Attach a session logger (S3) or user access logging settings (Kinesis Data Streams) to the portal.",
    p.portalArn ?? null,
  )];
}

/** Copy, download or print allowed: data can leave the session; upload brings files in. */
export function portalTransferFindings(p: PortalLike, settings: TransferSettings): Finding[] {
  const allowed = transfersAllowed(settings);
  if (allowed.length === 0) return [];
  const egress = allowed.filter((l) => TRANSFER_FLAGS.find((f) => f.label === l)?.egress);
  const title = egress.length
    ? `Secure Browser user settings allow data egress (${egress.join(", ")})`
    : "Secure Browser user settings allow file upload into sessions";
  return [finding(
    "warning",
    title,
    `Portal ${portalName(p)} uses user settings that enable ${allowed.join(", ")}` +
      (egress.length ? ": users can move data from web apps in the session to their own device." : "."),
    `Disable ${allowed.join(", ")} in the user settings (UpdateUserSettings) unless the portal's users need them; ` +
      "consider data protection settings (inline redaction) for what must stay allowed.",
    p.portalArn ?? null,
  )];
}
