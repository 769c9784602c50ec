/**
 * Best-effort collection: each AWS sub-call either yields data or one classified entry in
 * `errors`, so one failing service or region never hides the others' results.
 */
import { AwsCallError } from "../../aws/clients.ts";
import { type AwsErrorInfo, classifyError } from "../../aws/errors.ts";
import { ToolFailure } from "./failure.ts";

/** Accumulates per-service/per-region errors while sub-collections run. */
export class Collection {
  readonly errors: AwsErrorInfo[] = [];
  #ok = 0;

  /** Runs one sub-collection; on failure records the error (with its place) and returns undefined. */
  async attempt<T>(
    where: { service: string; operation: string; region: string },
    fn: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      const value = await fn();
      this.#ok++;
      return value;
    } catch (e) {
      if ((e as Error)?.name === "AbortError") throw e;
      this.errors.push(e instanceof AwsCallError ? e.info : classifyError(e, where));
      return undefined;
    }
  }

  /** Number of sub-collections that succeeded. */
  get succeeded(): number {
    return this.#ok;
  }

  /** Throws an isError failure when nothing at all could be collected (e.g. expired credentials). */
  failIfNothing(what: string): void {
    if (this.#ok > 0 || this.errors.length === 0) return;
    const first = mostCommon(this.errors);
    throw new ToolFailure(first.code, `No ${what} could be collected: ${first.message}`, first.hint, this.errors);
  }
}

function mostCommon(errors: AwsErrorInfo[]): AwsErrorInfo {
  const counts = new Map<string, number>();
  for (const e of errors) counts.set(e.code, (counts.get(e.code) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
  return errors.find((e) => e.code === top)!;
}
