/** The result budget: a result larger than RESULT_BUDGET_BYTES is trimmed, largest list first, with a note. */
import { RESULT_BUDGET_BYTES } from "./paging.ts";

/** Trims the largest arrays of a result until its JSON fits RESULT_BUDGET_BYTES; says so in `notes`. */
export function fitBudget<T extends Record<string, unknown>>(data: T, budget = RESULT_BUDGET_BYTES): T {
  let size = JSON.stringify(data).length;
  if (size <= budget) return data;
  const copy = structuredClone(data) as Record<string, unknown>;
  let trimmedAny = false;
  for (let guard = 0; guard < 200 && size > budget; guard++) {
    const largest = largestArray(copy);
    if (!largest || largest.array.length <= 1) break;
    largest.array.length = Math.max(1, Math.floor(largest.array.length / 2));
    if (typeof largest.owner.truncated === "boolean") largest.owner.truncated = true;
    trimmedAny = true;
    size = JSON.stringify(copy).length;
  }
  if (trimmedAny) {
    if (typeof copy.truncated === "boolean") copy.truncated = true;
    if (Array.isArray(copy.notes)) {
      copy.notes.push(
        `Result trimmed to fit the ${
          Math.round(budget / 1000)
        } KB response budget; totals are complete. Narrow the request (limit, services, region) or use next_token / the CSV export for everything.`,
      );
    }
  }
  return copy as T;
}

function largestArray(root: unknown): { array: unknown[]; owner: Record<string, unknown> } | undefined {
  let best: { array: unknown[]; owner: Record<string, unknown>; size: number } | undefined;
  const visit = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value) && value.length > 1) {
        const size = JSON.stringify(value).length;
        if (!best || size > best.size) best = { array: value, owner: node as Record<string, unknown>, size };
      }
      visit(value);
    }
  };
  visit(root);
  return best;
}
