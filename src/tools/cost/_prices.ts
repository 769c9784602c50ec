/**
 * One region's list prices for one EUC service, from the Price List layer (src/aws/pricing.ts).
 * An Applications fleet is priced from what it runs: its instance type, function, capacity, and
 * its platform (from the image when DescribeFleets omits it, as it does for non-Elastic fleets).
 */
import type { OpOutput } from "../../aws/clients.ts";
import {
  appOperatingSystem,
  bundleFamily,
  HOURS_PER_MONTH,
  personalOsLicense,
  priceListFor,
} from "../../aws/pricing.ts";
import { PRODUCT, type ServiceId } from "../../names.ts";
import { Collection } from "../_lib/collection.ts";
import { cents } from "../_lib/format.ts";
import { type ToolContext, ToolFailure } from "../registry.ts";
import type { PriceResult, PricesArgs } from "./_price_schemas.ts";

/** Checks that the service's required inputs are there, before any AWS call. */
export function checkPriceArgs(id: ServiceId, args: PricesArgs): void {
  const fail = (message: string, hint: string) => {
    throw new ToolFailure("InvalidInput", message, hint);
  };
  if (id === "personal" || id === "pools") {
    if (!args.compute_type) fail(`${PRODUCT[id]} prices need compute_type.`, "Pass e.g. compute_type=STANDARD.");
    if (!bundleFamily(args.compute_type!)) {
      fail(
        `Unknown compute type ${args.compute_type}.`,
        "Use a WorkSpaces compute type: VALUE, STANDARD, PERFORMANCE, POWER, POWERPRO, GRAPHICS_G4DN, GRAPHICSPRO_G4DN, GENERALPURPOSE_4XLARGE, GENERALPURPOSE_8XLARGE, GRAPHICS_G6_XLARGE….",
      );
    }
  }
  if (id === "personal") {
    if (args.operating_system && !personalOsLicense(args.operating_system)) {
      fail(
        `Unknown operating system ${args.operating_system}.`,
        "Use a WorkSpaces OS name: WINDOWS_10, WINDOWS_11, WINDOWS_SERVER_2019/2022/2025, AMAZON_LINUX_2, UBUNTU_22_04, RHEL_8, ROCKY_8.",
      );
    }
    if ((args.root_volume_gib === undefined) !== (args.user_volume_gib === undefined)) {
      fail(
        "Give both root_volume_gib and user_volume_gib, or neither (to list the published storage pairings).",
        "E.g. root_volume_gib=80 and user_volume_gib=50.",
      );
    }
  }
  if (id === "core" && !args.instance_type) {
    fail("WorkSpaces Core prices need instance_type.", "Pass the EC2 instance type, e.g. instance_type=m5.large.");
  }
  if (id === "applications" && !args.instance_type && !args.fleet_name) {
    fail(
      "WorkSpaces Applications prices need instance_type or fleet_name.",
      "Pass e.g. instance_type=stream.standard.large, or fleet_name to price an existing fleet.",
    );
  }
}

type Fleet = NonNullable<OpOutput<"appstream", "DescribeFleets">["Fleets"]>[number];

async function applicationsPrice(
  ctx: ToolContext,
  region: string,
  args: PricesArgs,
  out: PriceResult,
): Promise<void> {
  const prices = priceListFor(ctx.aws);
  const col = new Collection();
  const o = { region, signal: ctx.signal };
  let fleet: Fleet | undefined;
  let platform = args.platform;
  let platformSource: "fleet" | "image" | "input" | "default" = args.platform ? "input" : "default";
  if (args.fleet_name) {
    const found = await col.attempt(
      { service: "appstream", operation: "DescribeFleets", region },
      async () => (await ctx.aws.call("appstream", "DescribeFleets", { Names: [args.fleet_name!] }, o)).Fleets ?? [],
    );
    fleet = found?.[0];
    if (!fleet) {
      const e = col.errors[0];
      if (!e || e.code === "NotFound") {
        throw new ToolFailure(
          "NotFound",
          `Fleet ${args.fleet_name} does not exist in ${region}.`,
          "Check the fleet name and the region (fleets are per region); get_euc_inventory_summary lists them.",
          col.errors,
        );
      }
      throw new ToolFailure(e.code, e.message, e.hint, col.errors);
    }
    if (!args.platform) {
      platform = fleet.Platform;
      platformSource = "fleet";
      // DescribeFleets omits Platform for non-Elastic fleets: the image knows it (BYOL fleets were mispriced without it).
      if (!platform && (fleet.ImageArn || fleet.ImageName)) {
        const images = await col.attempt(
          { service: "appstream", operation: "DescribeImages", region },
          async () =>
            (await ctx.aws.call(
              "appstream",
              "DescribeImages",
              fleet!.ImageArn ? { Arns: [fleet!.ImageArn] } : { Names: [fleet!.ImageName!] },
              o,
            )).Images ?? [],
        );
        const image = images?.[0];
        if (image?.Platform) {
          platform = image.Platform;
          platformSource = "image";
        }
      }
      if (!platform) platformSource = "default";
    }
  }
  // A BYOL Windows 10/11 image is told apart by its name: the platform alone says WINDOWS.
  const byolImage = fleet?.ImageName && /win(dows)?[-_ ]?1[01]|byol/i.test(fleet.ImageName) ? " BYOL" : "";
  const operatingSystem = appOperatingSystem(`${platform ?? ""}${platformSource === "input" ? "" : byolImage}`);
  const instanceType = fleet?.InstanceType ?? args.instance_type!;
  const fn = args.instance_function ??
    (fleet?.FleetType === "ELASTIC"
      ? "ElasticFleet"
      : (fleet?.MaxSessionsPerInstance ?? 1) > 1
      ? "MultiSessionFleet"
      : "Fleet");
  if (fleet && args.instance_type && args.instance_type !== fleet.InstanceType) {
    out.notes.push(`instance_type ${args.instance_type} was ignored: fleet ${fleet.Name} runs ${fleet.InstanceType}.`);
  }
  const included = operatingSystem === "Windows";
  const [hourly, stopped, fees] = await Promise.all([
    prices.applicationsHourly(region, instanceType, fn, operatingSystem, ctx.signal),
    prices.applicationsStoppedFee(region, ctx.signal),
    included ? prices.applicationsUserFees(region, ctx.signal) : Promise.resolve(undefined),
  ]);
  out.errors.push(...col.errors, ...hourly.errors, ...stopped.errors, ...(fees?.errors ?? []));
  out.notes.push(...hourly.notes, ...stopped.notes, ...(fees?.notes ?? []));
  out.pricing_location = hourly.pricing_location;
  out.instance_type = instanceType;
  out.instance_function = fn;
  out.operating_system = operatingSystem;
  const h = hourly.value.hourly_usd;
  out.hourly_usd = h;
  out.daily_usd_24x7 = h === null ? null : cents(h * 24);
  out.monthly_usd_24x7 = h === null ? null : cents(h * HOURS_PER_MONTH);
  out.on_demand_stopped_hourly_usd = stopped.value;
  if (Object.keys(hourly.value.available_operating_systems).length > 0) {
    out.available_operating_systems = hourly.value.available_operating_systems;
  }
  if (fees) out.microsoft_user_fees_monthly_usd = fees.value;
  if (platformSource === "default") {
    out.notes.push("No platform was given or found; priced as Windows (licence included).");
  }
  if (fleet) {
    const desired = fleet.ComputeCapacityStatus?.Desired ?? null;
    out.fleet = {
      name: fleet.Name ?? args.fleet_name!,
      fleet_type: fleet.FleetType ?? null,
      state: fleet.State ?? null,
      platform: platform ?? null,
      platform_source: platformSource,
      image_name: fleet.ImageName ?? null,
      desired_instances: desired,
      running_instances: fleet.ComputeCapacityStatus?.Running ?? null,
      max_sessions_per_instance: fleet.MaxSessionsPerInstance ?? null,
      fleet_name: fleet.Name ?? args.fleet_name!,
      desired_capacity: desired,
      image: fleet.ImageName ?? fleet.ImageArn ?? null,
    };
    if (fleet.FleetType === "ALWAYS_ON") {
      out.provisioned_monthly_usd = h === null || desired === null ? null : cents(h * HOURS_PER_MONTH * desired);
    }
    if (fleet.FleetType === "ON_DEMAND") {
      out.idle_monthly_usd = stopped.value === null || desired === null
        ? null
        : cents(stopped.value * HOURS_PER_MONTH * desired);
    }
  }
  const type = fleet?.FleetType ?? (fn === "ElasticFleet" ? "ELASTIC" : undefined);
  if (type === "ALWAYS_ON" || !type) {
    out.notes.push(
      "ALWAYS_ON fleets: every provisioned instance is billed at the running rate all the time, streaming or not " +
        "(provisioned_monthly_usd).",
    );
  }
  if (type === "ON_DEMAND" || !type) {
    out.notes.push(
      "ON_DEMAND fleets: the running rate only while a user streams; a provisioned instance that waits is billed the " +
        "stopped-instance fee (idle_monthly_usd), never the 24×7 rate.",
    );
  }
  if (type === "ELASTIC") {
    out.notes.push("ELASTIC fleets: billed only for streaming time; idle capacity costs nothing.");
  }
  if (fn === "MultiSessionFleet") {
    out.notes.push("Multi-session instances are billed per instance; user fees are per user (multi-session rates).");
  }
  if (fn === "ImageBuilder" || fn === "AppBlockBuilder") {
    out.notes.push("Builders bill the running rate while RUNNING: stop them when not building.");
  }
  if (included) {
    out.notes.push(
      "Included-licence Windows adds a Microsoft RDS SAL user fee per user per month (microsoft_user_fees_monthly_usd).",
    );
  } else if (operatingSystem === "Windows BYOL") {
    out.notes.push("BYOL: bring your own Windows licences; no Microsoft user fee from AWS.");
  }
}

/** One region's list prices for one service; Price List failures land in its `errors`, an unknown fleet throws. */
export async function priceOne(
  ctx: ToolContext,
  id: ServiceId,
  region: string,
  args: PricesArgs,
): Promise<PriceResult> {
  const prices = priceListFor(ctx.aws);
  const out: PriceResult = {
    service: id,
    service_name: PRODUCT[id],
    service_id: id,
    region,
    pricing_location: null,
    notes: [],
    errors: [],
  };
  switch (id) {
    case "applications":
      await applicationsPrice(ctx, region, args, out);
      break;
    case "pools": {
      const r = await prices.pools(region, args.compute_type!, ctx.signal);
      Object.assign(out, { pricing_location: r.pricing_location, compute_type: args.compute_type, rates: r.value });
      out.notes.push(...r.notes, "Pools stream by the hour per running instance; the user fee is per user per month.");
      out.errors.push(...r.errors);
      break;
    }
    case "secure-browser": {
      const r = await prices.secureBrowser(region, ctx.signal);
      Object.assign(out, { pricing_location: r.pricing_location, monthly_active_user_usd_by_tier: r.value });
      out.notes.push(
        ...r.notes,
        "Secure Browser bills per monthly active user by portal instance type; a user who never signs in costs nothing.",
      );
      out.errors.push(...r.errors);
      break;
    }
    case "core": {
      const r = await prices.core(region, args.instance_type!, ctx.signal);
      Object.assign(out, { pricing_location: r.pricing_location, instance_type: args.instance_type, skus: r.value });
      out.notes.push(
        ...r.notes,
        "One SKU per billing option (and tenancy); do not assume monthly billing. The EC2 instance and its licences " +
          "are billed separately by EC2.",
      );
      out.errors.push(...r.errors);
      break;
    }
    case "personal": {
      const os = args.operating_system ?? "WINDOWS_SERVER_2022";
      if (!args.operating_system) {
        out.notes.push("operating_system not given: priced as WINDOWS_SERVER_2022 (licence included).");
      }
      const listOnly = args.root_volume_gib === undefined;
      const r = await prices.personal(region, {
        computeType: args.compute_type!,
        operatingSystem: os,
        rootGib: args.root_volume_gib ?? 0,
        userGib: args.user_volume_gib ?? 0,
      }, ctx.signal);
      const p = r.price;
      Object.assign(out, {
        pricing_location: p.pricing_location,
        compute_type: args.compute_type,
        operating_system: os,
        license_model: p.license_model,
        storage: listOnly ? undefined : `Root:${args.root_volume_gib} GB,User:${args.user_volume_gib} GB`,
        alwayson_monthly_usd: p.alwayson_monthly_usd,
        autostop_monthly_base_usd: p.autostop_monthly_base_usd,
        autostop_hourly_usd: p.autostop_hourly_usd,
        autostop_breakeven_hours_per_month: p.autostop_breakeven_hours_per_month,
        completeness: p.completeness,
      });
      if (!out.storage) delete out.storage;
      if (r.available_storage_configurations.length > 0) {
        out.available_storage_configurations = r.available_storage_configurations;
      }
      out.notes.push(
        ...(listOnly
          ? p.notes.filter((n) => !/No clean bundle match/.test(n)).concat(
            "No volume sizes given: available_storage_configurations lists every published pairing.",
          )
          : p.notes),
      );
      out.errors.push(...r.errors);
      break;
    }
  }
  return out;
}
