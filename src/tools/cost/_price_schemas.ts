/** The input of get_euc_service_prices and the shape of one region's price answer. */
import { z } from "zod";
import { APP_FUNCTIONS } from "../../aws/pricing.ts";
import { SERVICE_IDS } from "../../names.ts";
import { Errors, Notes, RegionInput, RegionsInput } from "../_lib/schemas.ts";

/** What to price: the service, the region(s) and the service's own inputs. */
export const PricesInput = z.object({
  service: z.string().max(60).default("applications").describe(
    "personal, pools, applications (default), secure-browser or core; legacy names work",
  ),
  region: RegionInput,
  regions: RegionsInput.describe("Several regions: the answer is a by_region map"),
  fleet_name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,99}$/, "must be a fleet name").optional().describe(
    "applications: price this fleet (its type, function, platform, capacity)",
  ),
  instance_type: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,62}$/, "must be an instance type").optional().describe(
    "applications: e.g. stream.standard.large; core: the EC2 type, e.g. m5.large",
  ),
  instance_function: z.enum(APP_FUNCTIONS).optional().describe(
    "applications: Fleet (default), ImageBuilder, AppBlockBuilder, ElasticFleet or MultiSessionFleet",
  ),
  platform: z.string().max(64).optional().describe(
    "applications: e.g. WINDOWS_SERVER_2022, AMAZON_LINUX2; default Windows",
  ),
  compute_type: z.string().regex(/^[A-Za-z0-9_.]+$/, "must be a compute type").max(40).optional().describe(
    "personal and pools: WorkSpaces compute type, e.g. STANDARD, POWER, GRAPHICSPRO_G4DN",
  ),
  operating_system: z.string().max(40).optional().describe(
    "personal: e.g. WINDOWS_11 (BYOL), WINDOWS_SERVER_2022 (default), AMAZON_LINUX_2, UBUNTU_22_04",
  ),
  root_volume_gib: z.number().int().min(1).max(2000).optional().describe("personal: root volume GiB, e.g. 80"),
  user_volume_gib: z.number().int().min(1).max(2000).optional().describe("personal: user volume GiB, e.g. 50"),
});

const Nullable = z.number().nullable();
const StorageConfig = z.object({
  storage: z.string(),
  alwayson_monthly_usd: Nullable,
  autostop_monthly_base_usd: Nullable,
  autostop_hourly_usd: Nullable,
});

/** The fields of one region's price answer (each service fills its own). */
export const PriceFields = {
  service: z.enum(SERVICE_IDS).describe("The service id priced (the Python server's field: the id it was given)"),
  service_name: z.string().describe("Current product name"),
  service_id: z.enum(SERVICE_IDS),
  region: z.string(),
  pricing_location: z.string().nullable().describe("Price List location; null when the region is not mapped"),
  // applications
  instance_type: z.string().optional(),
  instance_function: z.string().optional(),
  operating_system: z.string().optional().describe("The Price List operatingSystem (or WorkSpaces OS for personal)"),
  hourly_usd: Nullable.optional(),
  daily_usd_24x7: Nullable.optional(),
  monthly_usd_24x7: Nullable.optional(),
  on_demand_stopped_hourly_usd: Nullable.optional(),
  fleet: z.object({
    name: z.string(),
    fleet_type: z.string().nullable(),
    state: z.string().nullable(),
    platform: z.string().nullable(),
    platform_source: z.enum(["fleet", "image", "input", "default"]),
    image_name: z.string().nullable(),
    desired_instances: z.number().nullable(),
    running_instances: z.number().nullable(),
    max_sessions_per_instance: z.number().nullable(),
    fleet_name: z.string().describe("The Python server's field (= name)"),
    desired_capacity: z.number().nullable().describe("The Python server's field (= desired_instances)"),
    image: z.string().nullable().describe("The Python server's field: the fleet's image name"),
  }).optional(),
  provisioned_monthly_usd: Nullable.optional().describe("ALWAYS_ON fleets: hourly × 730 × desired"),
  idle_monthly_usd: Nullable.optional().describe("ON_DEMAND fleets: stopped-instance fee × 730 × desired"),
  microsoft_user_fees_monthly_usd: z.object({
    single_session_user_monthly_usd: Nullable,
    multi_session_user_monthly_usd: Nullable,
    multi_session_additional_user_monthly_usd: Nullable,
  }).optional().describe("Included-licence Windows only"),
  available_operating_systems: z.record(z.string(), z.number()).optional().describe(
    "$/h by published OS when the requested one is not published",
  ),
  // pools
  compute_type: z.string().optional(),
  rates: z.object({
    streaming_hourly_included_usd: Nullable,
    streaming_hourly_byol_usd: Nullable,
    stopped_instance_hourly_usd: Nullable,
    user_fee_monthly_usd: Nullable,
  }).optional(),
  // secure browser
  monthly_active_user_usd_by_tier: z.record(z.string(), Nullable).optional(),
  // core
  skus: z.array(z.object({
    unit: z.string(),
    usd: z.number(),
    billing_option: z.string().nullable(),
    tenancy: z.string().nullable(),
    description: z.string(),
  })).optional(),
  // personal
  license_model: z.string().nullable().optional(),
  storage: z.string().optional(),
  alwayson_monthly_usd: Nullable.optional(),
  autostop_monthly_base_usd: Nullable.optional(),
  autostop_hourly_usd: Nullable.optional(),
  autostop_breakeven_hours_per_month: Nullable.optional().describe(
    "Monthly hours above which AlwaysOn is cheaper than AutoStop",
  ),
  completeness: z.enum(["complete", "partial", "none"]).optional(),
  available_storage_configurations: z.array(StorageConfig).optional(),
  notes: Notes,
  errors: Errors,
};

/** One region's price answer. */
export const PriceResult = z.object(PriceFields);
/** One region's price answer. */
export type PriceResult = z.infer<typeof PriceResult>;

/** The parsed get_euc_service_prices arguments. */
export type PricesArgs = z.infer<typeof PricesInput>;
