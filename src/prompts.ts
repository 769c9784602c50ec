/**
 * The prompts: each turns an administrator's recurring question into instructions for the model.
 * Arguments are validated like tool inputs (the same id patterns) and complete from the live estate.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { completable } from "@modelcontextprotocol/sdk/server/completable.js";
import { z } from "zod";
import type { CompletionContext, Completions, EstateKind } from "./completions.ts";
import { IDS, REGION_PATTERN } from "./tools/_lib/patterns.ts";

/** A Secure Browser portal ARN, or the bare portal id the tools also take. */
const PORTAL_REF = /^(arn:aws[a-z-]*:workspaces-web:[a-z]{2}(-[a-z]+)+-\d{1,2}:\d{12}:portal\/)?[0-9a-fA-F-]{36}$/;

type Arg = z.ZodType<string | undefined>;
type Complete = (value: string, context?: CompletionContext) => string[] | Promise<string[]>;

/** One prompt: its text from the validated arguments. */
interface PromptDef {
  name: string;
  title: string;
  description: string;
  args: (c: Completions) => Record<string, Arg>;
  text(args: Record<string, string | undefined>): string;
}

function live(c: Completions, kind: EstateKind): Complete {
  return (value, context) => c.estate(kind, value, context);
}

function region(c: Completions): Arg {
  return completable(
    z.string().regex(REGION_PATTERN, "must be an AWS region name such as us-east-1")
      .describe("AWS region, e.g. us-east-1 (default: the server's)").optional(),
    (value: string) => c.regions(value),
  ) as Arg;
}

function id(c: Completions, kind: EstateKind, pattern: RegExp, message: string, description: string): Arg {
  return completable(z.string().regex(pattern, message).describe(description), live(c, kind)) as Arg;
}

const inRegion = (a: Record<string, string | undefined>) => (a.region ? ` in ${a.region}` : "");

/** Every prompt the server offers. */
export const PROMPTS: readonly PromptDef[] = [
  {
    name: "triage_user_connection",
    title: "Triage a user's connection problem",
    description: "Why can't a user connect to a WorkSpace?",
    args: (c) => ({
      workspace_id: id(
        c,
        "workspace",
        IDS.workspace,
        "must be a WorkSpace id such as ws-0a1b2c3d4",
        "ws-… (type a user name to find it)",
      ),
      region: region(c),
    }),
    text: (a) =>
      `A user cannot connect to WorkSpace ${a.workspace_id}${inRegion(a)}. Run diagnose_workspace_connectivity on ` +
      "it; if the directory looks involved, check_directory_health; for the last days' pattern, " +
      "get_workspace_connection_history. Rank the likely causes, give the next step for each, and say which facts " +
      "came from which tool.",
  },
  {
    name: "pool_capacity_review",
    title: "WorkSpaces Pool capacity review",
    description: "Is a WorkSpaces Pool failing or out of capacity?",
    args: (c) => ({
      pool_id: id(c, "pool", IDS.pool, "must be a WorkSpaces Pool id such as wspool-0a1b2c3d4", "wspool-…"),
      region: region(c),
    }),
    text: (a) =>
      `Is the WorkSpaces Pool ${a.pool_id}${inRegion(a)} healthy and big enough? Run diagnose_pool (state, pool ` +
      "errors, sessions against capacity, directory) and get_pool_session_history (sessions over the last days), " +
      "then recommend capacity changes with their cost (get_euc_service_prices).",
  },
  {
    name: "monthly_cost_review",
    title: "Monthly EUC cost review",
    description: "Where can WorkSpaces cost be cut?",
    args: (c) => ({ region: region(c) }),
    text: (a) =>
      `Review EUC spend${inRegion(a)}: get_euc_cost_summary and compare_euc_costs for what ` +
      "changed and why, get_euc_cost_forecast for where it is heading, then recommend_running_mode, " +
      "list_unused_resources and recommend_bundle_rightsizing for savings. List savings in $/month, largest first, " +
      "with what each change risks (running-mode switches take effect best at month end).",
  },
  {
    name: "application_fleet_capacity_review",
    title: "WorkSpaces Applications fleet capacity review",
    description: "Is a fleet out of capacity?",
    args: (c) => ({
      fleet_name: id(c, "fleet", IDS.fleet, "must be a fleet name (letters, digits, _ . -)", "Fleet name"),
      stack_name: completable(
        z.string().regex(IDS.fleet, "must be a stack name (letters, digits, _ . -)")
          .describe("Stack whose users report the problem (optional)").optional(),
        live(c, "stack"),
      ) as Arg,
      region: region(c),
    }),
    text: (a) =>
      `Is the WorkSpaces Applications (AppStream 2.0) fleet ${a.fleet_name}${inRegion(a)} out of capacity` +
      `${a.stack_name ? ` for the users of stack ${a.stack_name}` : ""}? Run ` +
      "diagnose_application_fleet (state, capacity, fleet errors, failed scaling, insufficient-capacity errors) and " +
      "get_application_fleet_usage (live sessions, capacity over the last days)" +
      `${a.stack_name ? ", review_application_access for the stack's users" : ""}, then recommend capacity or ` +
      "scaling changes with their cost (get_euc_service_prices).",
  },
  {
    name: "secure_browser_portal_review",
    title: "Secure Browser portal review",
    description: "Is a WorkSpaces Secure Browser portal configured safely and used?",
    args: (c) => ({
      portal_arn: id(
        c,
        "portal",
        PORTAL_REF,
        "must be a Secure Browser portal ARN (arn:aws:workspaces-web:…:portal/…)",
        "Portal ARN",
      ),
    }),
    text: (a) =>
      `Review the WorkSpaces Secure Browser portal ${a.portal_arn}: get_secure_browser_portal_details (browser ` +
      "policy, URL filters, data protection, IP access, logging) and get_secure_browser_portal_usage (sessions, " +
      "failures). Rank findings critical first with a fix for each.",
  },
  {
    name: "security_posture_review",
    title: "EUC security posture review",
    description: "Encryption, IP access, egress and logging findings",
    args: (c) => ({ region: region(c) }),
    text: (a) =>
      `Review the EUC security posture${inRegion(a)}: run audit_security_posture (volume ` +
      "encryption, IP access groups, Secure Browser restrictions and logging, stack and portal egress, usage reports) " +
      "and get_euc_account_posture; for recent changes, get_euc_audit_trail. Rank findings critical first with a fix " +
      "for each.",
  },
];

/** Registers every prompt, its arguments completing through `completions`. */
export function registerPrompts(server: McpServer, completions: Completions): void {
  for (const p of PROMPTS) {
    server.registerPrompt(
      p.name,
      { title: p.title, description: p.description, argsSchema: p.args(completions) },
      (args: Record<string, string | undefined>) => ({
        messages: [{ role: "user" as const, content: { type: "text" as const, text: p.text(args) } }],
      }),
    );
  }
}
