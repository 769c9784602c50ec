/**
 * The result budget: a result larger than RESULT_BUDGET_BYTES is trimmed, largest innermost list first, with a
 * note naming what was cut.
 */
import { RESULT_BUDGET_BYTES } from "./paging.ts";

/** How many trimmed lists the note names (the rest are counted). */
const NAMED_CUTS = 5;

/**
 * Trims the largest innermost list of a result until its JSON fits `budget`; marks the trimmed list's owner
 * and the result `truncated` (where those fields exist) and says in `notes` which lists were cut. A list of
 * sections (elements that are mostly one list, e.g. one entry per region) is never halved while a list inside
 * a section can be: an administrator loses rows of a section, not a whole section.
 */
export function fitBudget<T extends Record<string, unknown>>(data: T, budget = RESULT_BUDGET_BYTES): T {
  let size = JSON.stringify(data).length;
  if (size <= budget) return data;
  const copy = structuredClone(data) as Record<string, unknown>;
  const cuts = new Map<string, { from: number; to: number }>();
  for (let guard = 0; guard < 200 && size > budget; guard++) {
    const target = trimTarget(copy);
    if (!target || target.array.length <= 1) break;
    const from = cuts.get(target.path)?.from ?? target.array.length;
    target.array.length = Math.max(1, Math.floor(target.array.length / 2));
    cuts.set(target.path, { from, to: target.array.length });
    if (typeof target.owner.truncated === "boolean") target.owner.truncated = true;
    size = JSON.stringify(copy).length;
  }
  if (cuts.size) {
    if (typeof copy.truncated === "boolean") copy.truncated = true;
    if (Array.isArray(copy.notes)) {
      const named = [...cuts].slice(0, NAMED_CUTS).map(([path, c]) => `${path} ${c.from} → ${c.to}`);
      const more = cuts.size > NAMED_CUTS ? ` and ${cuts.size - NAMED_CUTS} more lists` : "";
      copy.notes.push(
        `Result trimmed to fit the ${Math.round(budget / 1000)} KB response budget (cut: ${
          named.join(", ")
        }${more}); totals are complete. Narrow the request (limit, services, region) or use next_token / the CSV export for everything.`,
      );
    }
  }
  return copy as T;
}

/** An array held by an object property, where it is and its JSON size. */
interface Found {
  array: unknown[];
  owner: Record<string, unknown>;
  path: string;
  size: number;
}

/**
 * The list to halve: the largest list of the result, then, while its elements are sections (an element at
 * least half of which is one nested list), the largest list inside those sections.
 */
function trimTarget(root: Record<string, unknown>): Found | undefined {
  let best = largestArray(root, "");
  for (let depth = 0; best && depth < 32; depth++) {
    const outer: Found = best;
    let inner: Found | undefined;
    outer.array.forEach((el, i) => {
      if (!el || typeof el !== "object") return;
      const f = largestArray(el, `${outer.path}[${i}]`);
      if (f && f.size * 2 >= JSON.stringify(el).length && (!inner || f.size > inner.size)) inner = f;
    });
    if (!inner) break;
    best = inner;
  }
  return best;
}

/** The largest array of more than one element held by an object property anywhere under `root`. */
function largestArray(root: unknown, prefix: string): Found | undefined {
  let best: Found | undefined;
  const visit = (node: unknown, path: string) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, `${path}[${i}]`));
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      const at = path ? `${path}.${key}` : key;
      if (Array.isArray(value) && value.length > 1) {
        const size = JSON.stringify(value).length;
        if (!best || size > best.size) best = { array: value, owner: node as Record<string, unknown>, path: at, size };
      }
      visit(value, at);
    }
  };
  visit(root, prefix);
  return best;
}
