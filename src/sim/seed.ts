/**
 * The simulator's deterministic building blocks: seeded hashes and ids (the same name always gives
 * the same id, without randomness), the alphabets they draw from, the fixed clock the estate's
 * creation dates count back from, and the shared shapes (subnets, VPC) every resource is placed in.
 * Imports nothing: every other simulator module may use it.
 */

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Lower-case base-36 digits. */
export const BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";
/** Upper-case base-36 digits. */
export const UPPER36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/** Lower-case hexadecimal digits. */
export const HEX = "0123456789abcdef";

/** The fixed instant creation dates of built resources count back from. */
export const BASE_TIME = Date.UTC(2024, 2, 4, 9, 30, 0);
/** The two subnets every simulated resource is placed in. */
export const SUBNETS = ["subnet-0a1b2c3d4e5f60718", "subnet-0f9e8d7c6b5a40321"];
/** The VPC of the simulated subnets. */
export const VPC = "vpc-0123456789abcdef0";

/** A 32-bit FNV-1a hash: stable ids and values from a name, without randomness. */
export function hash32(s: string): number {
  return hash32On(0x811c9dc5, s);
}

/** FNV-1a continued from `h` (a hash32 of a prefix): hash32On(hash32(a), b) === hash32(a + b). */
export function hash32On(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const DIGITS = new Uint8Array(20);

/**
 * hash32On(h, String(n)) for a non-negative safe integer `n`, without building the string (the
 * simulator hashes every 5-minute sample time of a CPU or memory read). Sample times are whole
 * multiples of 100,000 ms: their digits come from 32-bit integer arithmetic, the five zeros after.
 */
export function hash32OnInteger(h: number, n: number): number {
  let len = 0;
  let zeros = 0;
  if (n > 0 && n % 100_000 === 0 && n / 100_000 <= 0x7fffffff) {
    n /= 100_000;
    zeros = 5;
  }
  if (n <= 0x7fffffff) {
    let m = n | 0;
    do {
      DIGITS[len++] = m % 10;
      m = (m / 10) | 0;
    } while (m > 0);
  } else {
    do {
      DIGITS[len++] = n % 10;
      n = Math.floor(n / 10);
    } while (n > 0);
  }
  while (len > 0) {
    h ^= 48 + DIGITS[--len];
    h = Math.imul(h, 0x01000193);
  }
  for (; zeros > 0; zeros--) {
    h ^= 48;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** `len` characters of `alphabet` derived from `seed`. */
export function hashChars(seed: string, len: number, alphabet: string): string {
  let out = "";
  for (let round = 0; out.length < len; round++) {
    let h = hash32(`${seed}#${round}`);
    for (let k = 0; k < 4 && out.length < len; k++) {
      out += alphabet[h % alphabet.length];
      h = Math.floor(h / alphabet.length);
    }
  }
  return out;
}

/** A UUID-shaped string derived from `seed`. */
export function uuidFrom(seed: string): string {
  const h = hashChars(seed, 32, HEX);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Deletes the keys whose value is undefined (AWS omits them rather than sending null) and returns `obj`. */
export function stripUndefined<T extends object>(obj: T): T {
  for (const k of Object.keys(obj) as (keyof T)[]) {
    if (obj[k] === undefined) delete obj[k];
  }
  return obj;
}

/**
 * A copy of `obj` without the keys whose value is undefined. Unlike stripUndefined it never
 * deletes, so the object keeps V8's fast property layout: deleted keys turn an object into a
 * dictionary, and a scan of 10,000 such desktops per DescribeWorkspaces page was the simulator's
 * largest cost at scale.
 */
export function definedOnly<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** A private IPv4 address for the `n`th resource of a region. */
export function ipFor(n: number): string {
  return `10.0.${Math.floor(n / 250) % 256}.${(n % 250) + 4}`;
}

/** Tag records in the AWS Key/Value list shape. */
export function tagList(tags: Record<string, string> | undefined): { Key: string; Value: string }[] {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

/** A small seeded generator (mulberry32): the same seed gives the same sequence (estates, faults). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
