/**
 * Plan tokens: proof that a live plan for exactly this tool, region, target set and parameters was
 * shown in the last 10 minutes. HMAC-SHA-256 (WebCrypto) under a per-process random key that is never
 * logged or written; single use (the nonce is spent when execution reaches AWS). A restart
 * invalidates every token. A token is not consent: the phrase and the human confirm are separate gates.
 */

/** Token lifetime. */
export const TOKEN_TTL_MS = 10 * 60_000;

/** The parameters a plan binds besides its targets (the non-gate arguments). */
export type BoundParams = Readonly<Record<string, string | number>>;

/** What a token is bound to. */
export interface PlanBinding {
  tool: string;
  region: string;
  targets: readonly string[];
  params: BoundParams;
}

/** Why a presented token does not authorise this call. */
export type TokenProblem = "missing" | "malformed" | "bad_signature" | "expired" | "other_plan" | "reused";

/** Clock used for issuing and checking tokens (tests move it forward to expire tokens). */
export const TOKEN_CLOCK = { now: (): number => Date.now() };

const key: Promise<CryptoKey> = crypto.subtle.importKey(
  "raw",
  crypto.getRandomValues(new Uint8Array(32)),
  { name: "HMAC", hash: "SHA-256" },
  false,
  ["sign", "verify"],
);
const spent = new Map<string, number>();
const enc = new TextEncoder();
const DOMAIN = "euc-mcp-plan\n";

function b64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function unb64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const bin = atob(text.replaceAll("-", "+").replaceAll("_", "/") + "=".repeat((4 - text.length % 4) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** Canonical JSON: object keys sorted at every level. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const sortedTargets = (t: readonly string[]) => [...new Set(t)].sort();

/** Issues a token for the binding; returns it with its expiry. */
export async function issueToken(b: PlanBinding): Promise<{ token: string; expiresAt: string; id: string }> {
  const iat = Math.floor(TOKEN_CLOCK.now() / 1000);
  const nonce = b64url(crypto.getRandomValues(new Uint8Array(16)));
  const payload = canonical({
    v: 1,
    tool: b.tool,
    region: b.region,
    targets: sortedTargets(b.targets),
    params: b.params,
    iat,
    exp: iat + TOKEN_TTL_MS / 1000,
    nonce,
  });
  const body = b64url(enc.encode(payload));
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await key, enc.encode(DOMAIN + body)));
  return {
    token: `v1.${body}.${b64url(mac)}`,
    expiresAt: new Date((iat + TOKEN_TTL_MS / 1000) * 1000).toISOString(),
    id: await tokenId(nonce),
  };
}

/** A short public id of a token (first 8 hex of SHA-256 of its nonce), for audit lines. */
async function tokenId(nonce: string): Promise<string> {
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(nonce)));
  return [...h.slice(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A verified token: its nonce (to spend) and its public id. */
export interface VerifiedToken {
  nonce: string;
  id: string;
  exp: number;
}

/** Checks a presented token against the call (signature first, in constant time, then expiry, binding, reuse). */
export async function verifyToken(
  token: string | undefined,
  b: PlanBinding,
): Promise<{ ok: true; token: VerifiedToken } | { ok: false; problem: TokenProblem }> {
  if (token === undefined || token === "") return { ok: false, problem: "missing" };
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== "v1") return { ok: false, problem: "malformed" };
  const mac = unb64url(parts[2]);
  const body = unb64url(parts[1]);
  if (!mac || !body) return { ok: false, problem: "malformed" };
  const valid = await crypto.subtle.verify("HMAC", await key, mac, enc.encode(DOMAIN + parts[1]));
  if (!valid) return { ok: false, problem: "bad_signature" };
  let p: { tool?: string; region?: string; targets?: string[]; params?: unknown; exp?: number; nonce?: string };
  try {
    p = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return { ok: false, problem: "malformed" };
  }
  const now = TOKEN_CLOCK.now() / 1000;
  if (typeof p.exp !== "number" || p.exp <= now) return { ok: false, problem: "expired" };
  const same = p.tool === b.tool && p.region === b.region &&
    canonical(p.targets) === canonical(sortedTargets(b.targets)) && canonical(p.params) === canonical(b.params);
  if (!same) return { ok: false, problem: "other_plan" };
  const nonce = String(p.nonce);
  if (spent.has(nonce)) return { ok: false, problem: "reused" };
  return { ok: true, token: { nonce, id: await tokenId(nonce), exp: p.exp } };
}

/** Spends a verified token (single use); forgotten once it would have expired anyway. */
export function spendToken(t: VerifiedToken): void {
  const now = TOKEN_CLOCK.now() / 1000;
  for (const [n, exp] of spent) if (exp <= now) spent.delete(n);
  spent.set(t.nonce, t.exp);
}

/** What each token problem means for the caller. */
export const TOKEN_PROBLEM_TEXT: Readonly<Record<TokenProblem, string>> = {
  missing: "no plan_token was given",
  malformed: "the plan_token is not a token this server issued",
  bad_signature: "the plan_token's signature does not match (altered, or issued before a server restart)",
  expired: "the plan_token has expired (tokens last 10 minutes)",
  other_plan: "the plan_token belongs to a different tool, region, target set or parameters",
  reused: "the plan_token was already used (tokens are single use)",
};
