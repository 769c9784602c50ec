/** Helpers of the simulator's fault injection: a seeded generator and malformed answers. */
import type { WireResponse } from "./wire.ts";

/** A small seeded generator (mulberry32): the same seed injects the same faults. */
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

/** A successful answer made unreadable the way a broken connection or a proxy makes it. */
export function malformed(kind: string, response: WireResponse): WireResponse {
  const text = new TextDecoder().decode(response.body);
  const encode = (s: string) => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>;
  switch (kind) {
    case "empty200":
      return { ...response, body: encode("") };
    case "truncated":
      return { ...response, body: encode(text.slice(0, Math.floor(text.length / 2))) };
    case "html":
      return {
        ...response,
        headers: { ...response.headers, "content-type": "text/html" },
        body: encode("<!DOCTYPE html><html><body><h1>Proxy authentication required</h1></body></html>"),
      };
    default: {
      // null-items: a null in front of every top-level list of a JSON answer.
      if (!text.trim().startsWith("{")) return response;
      const parsed = JSON.parse(text) as Record<string, unknown>;
      for (const [k, v] of Object.entries(parsed)) if (Array.isArray(v)) parsed[k] = [null, ...v];
      return { ...response, body: encode(JSON.stringify(parsed)) };
    }
  }
}
