/**
 * Bundle list prices for running-mode and rightsizing advice: one Price List lookup per distinct
 * bundle spec and region, and one sentence for a price that is missing.
 */
import type { Workspace } from "../../aws/listing.ts";
import { HOURS_PER_MONTH, type PersonalPrice, priceListFor } from "../../aws/pricing.ts";
import type { Collection } from "../_lib/collection.ts";
import type { ToolContext } from "../registry.ts";
import { addErrors, limiter } from "./_reader.ts";

/** Price List lookups in flight at once (each distinct bundle family is 5 GetProducts queries, then cached). */
const PRICE_CONCURRENCY = 4;

/** What the Price List needs to price a desktop's bundle. */
export interface PriceSpec {
  computeType: string;
  operatingSystem?: string;
  rootGib: number;
  userGib: number;
}

/** The price spec of a desktop's bundle (optionally at another compute type); undefined when a fact is missing. */
export function priceSpec(w: Workspace, computeType?: string): PriceSpec | undefined {
  const p = w.WorkspaceProperties ?? {};
  const compute = computeType ?? p.ComputeTypeName;
  if (!compute || p.RootVolumeSizeGib === undefined || p.UserVolumeSizeGib === undefined) return undefined;
  return {
    computeType: compute,
    operatingSystem: p.OperatingSystemName,
    rootGib: p.RootVolumeSizeGib,
    userGib: p.UserVolumeSizeGib,
  };
}

function specKey(s: PriceSpec): string {
  return `${s.computeType}|${s.operatingSystem ?? ""}|${s.rootGib}|${s.userGib}`;
}

/** A looked-up price, and whether the lookup failed. */
export interface Priced {
  price: PersonalPrice;
  failed: boolean;
}

/** List prices of bundle specs, one lookup per distinct spec and region (the Price List caches per process). */
export class PriceBook {
  readonly #list;
  readonly #run = limiter(PRICE_CONCURRENCY);
  readonly #cache = new Map<string, Promise<Priced>>();

  constructor(readonly ctx: ToolContext, readonly col: Collection) {
    this.#list = priceListFor(ctx.aws);
  }

  /** The price of a spec in a region; undefined spec → undefined. */
  get(region: string, spec: PriceSpec | undefined): Promise<Priced | undefined> {
    if (!spec) return Promise.resolve(undefined);
    const key = `${region}|${specKey(spec)}`;
    let hit = this.#cache.get(key);
    if (!hit) {
      hit = this.#run(async () => {
        const r = await this.#list.personal(region, spec, this.ctx.signal);
        addErrors(this.col, r.errors);
        return { price: r.price, failed: r.errors.length > 0 };
      });
      this.#cache.set(key, hit);
    }
    return hit;
  }
}

/** Why a price (or break-even) is missing, in one sentence. */
export function missingPriceReason(p: Priced | undefined, what: string): string {
  if (!p) return `The desktop's bundle (compute type, operating system or volume sizes) is not known, so no ${what}.`;
  if (p.failed) {
    return `The Price List could not be read (see errors; pricing:GetProducts is in tier 1), so no ${what}.`;
  }
  const why = p.price.notes.find((n) =>
    /no clean bundle match|PARTIAL PRICE LIST|not in the pricing location map|no known Price List|not one the Price List|cannot be computed/i
      .test(n)
  );
  return `No ${what}: ${why ?? "the Price List publishes no complete rates for this bundle."}`;
}

/** The note every priced answer carries. */
export const LIST_PRICE_NOTE =
  "Prices are USD LIST prices from the AWS Price List (private pricing, EDP/PPA discounts and " +
  `credits are not included); a month is ${HOURS_PER_MONTH} hours. A null dollar figure means the price is not ` +
  "published or could not be read (the reason is given), never $0.";
