/**
 * The Skip_Convert opt-out of many running-mode candidates, read with the Resource Groups Tagging
 * API instead of one workspaces:DescribeTags per desktop. A PaginationToken sweep of every tagged
 * desktop is one dependent chain of 100-desktop pages (10,000 tagged desktops: 100 round trips in a
 * row, the longest path of the whole tool), so the sweep reads one page only: when that page ends
 * the sweep, it is every tagged desktop; otherwise it gives the ARN form of the region's desktops,
 * and the candidates of each chunk are then read by ARN, 100 a call (`ResourceARNList`, which takes
 * no pagination), side by side.
 */
import { AwsCallError, type OpOutput } from "../../aws/clients.ts";
import { type AwsErrorInfo, classifyError } from "../../aws/errors.ts";
import type { ToolContext } from "../registry.ts";
import { limiter } from "./_reader.ts";

/** A desktop's tags as DescribeTags returns them. */
export type TagList = NonNullable<OpOutput<"workspaces", "DescribeTags">["TagList"]>;

/** ARNs one GetResources call takes in ResourceARNList (the API's maximum). */
const ARNS_PER_CALL = 100;
/** GetResources calls by ARN in flight at once per tool call. */
const ARN_CONCURRENCY = 8;

/** What the first sweep page(s) of a region gave. */
interface FirstPage {
  /** Tags of the desktops the page(s) returned. */
  tags: Map<string, TagList>;
  /** Set when the sweep ended: `tags` holds every tagged desktop of the region. */
  complete: boolean;
  /** The ARN of a region's desktop up to the id (`arn:aws:workspaces:<region>:<account>:workspace/`). */
  prefix?: string;
}

/** The region's opt-out tags by ARN lookup, sharing one first sweep page per region. */
export class TagSweep {
  readonly #first = new Map<string, Promise<FirstPage | undefined>>();
  readonly #run = limiter(ARN_CONCURRENCY);
  /** Regions where the Tagging API failed: the error, and the DescribeTags calls the fallback took. */
  readonly failures = new Map<string, { error: AwsErrorInfo; fallbackCalls: number }>();
  constructor(readonly ctx: ToolContext) {}

  started(region: string): boolean {
    return this.#first.has(region);
  }

  /**
   * Tags of the desktops `ids` by WorkspaceId (untagged desktops absent), or undefined when the
   * Tagging API failed in the region (then and for every later chunk: the caller falls back).
   */
  async get(region: string, ids: readonly string[]): Promise<Map<string, TagList> | undefined> {
    let first = this.#first.get(region);
    if (!first) {
      first = this.#firstPage(region);
      this.#first.set(region, first);
    }
    const page = await first;
    if (!page || this.failures.has(region)) return undefined;
    const out = new Map<string, TagList>();
    const missing: string[] = [];
    for (const id of ids) {
      const tags = page.tags.get(id);
      if (tags) out.set(id, tags);
      else if (!page.complete) missing.push(id);
    }
    const batches: string[][] = [];
    for (let i = 0; i < missing.length; i += ARNS_PER_CALL) batches.push(missing.slice(i, i + ARNS_PER_CALL));
    // A failed call is recorded in `failures` (by #guard): then this chunk falls back as a whole.
    await Promise.all(batches.map((batch) =>
      this.#run(() =>
        this.#guard(region, async () => {
          const r = await this.ctx.aws.call("tag", "GetResources", {
            ResourceARNList: batch.map((id) => page.prefix + id),
          }, { region, signal: this.ctx.signal });
          const wanted = new Set(batch);
          for (const m of r.ResourceTagMappingList ?? []) {
            const id = idOf(m.ResourceARN);
            if (id && wanted.has(id)) out.set(id, tagList(m.Tags));
          }
        })
      )
    ));
    return this.failures.has(region) ? undefined : out;
  }

  /** The sweep's first page with a desktop ARN on it (or the whole sweep, when it ends first). */
  #firstPage(region: string): Promise<FirstPage | undefined> {
    return this.#guard(region, async () => {
      const tags = new Map<string, TagList>();
      const seen = new Set<string>();
      let token: string | undefined;
      let prefix: string | undefined;
      do {
        const page = await this.ctx.aws.call("tag", "GetResources", {
          ResourceTypeFilters: ["workspaces:workspace"],
          ResourcesPerPage: 100,
          PaginationToken: token,
        }, { region, signal: this.ctx.signal });
        for (const m of page.ResourceTagMappingList ?? []) {
          const id = idOf(m.ResourceARN);
          if (!id) continue;
          tags.set(id, tagList(m.Tags));
          const head = m.ResourceARN!.slice(0, -id.length);
          if (!prefix && head.endsWith(":workspace/")) prefix = head;
        }
        // The API ends with an empty token.
        token = page.PaginationToken || undefined;
        if (token && seen.has(token)) {
          throw Object.assign(new Error("GetResources returned a PaginationToken it had returned before"), {
            name: "MalformedResponse",
          });
        }
        if (token) seen.add(token);
      } while (token && !prefix);
      return { tags, complete: !token, prefix };
    });
  }

  /** `fn`'s result, or undefined with the region's failure recorded (an abort is rethrown). */
  async #guard<T>(region: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      if ((e as Error)?.name === "AbortError") throw e;
      const where = { service: "tag", operation: "GetResources", region };
      if (!this.failures.has(region)) {
        this.failures.set(region, {
          error: e instanceof AwsCallError ? e.info : classifyError(e, where),
          fallbackCalls: 0,
        });
      }
      return undefined;
    }
  }
}

/** The WorkspaceId at the end of a desktop's ARN (after the last "/"). */
function idOf(arn: string | undefined): string | undefined {
  const cut = arn?.lastIndexOf("/") ?? -1;
  return cut >= 0 ? arn!.slice(cut + 1) || undefined : undefined;
}

function tagList(tags: readonly { Key?: string; Value?: string }[] | undefined): TagList {
  return (tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value }));
}
