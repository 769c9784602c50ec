/**
 * review_application_access: WorkSpaces Applications user-pool users and the stacks each is
 * assigned to (stack associations read with bounded concurrency, every page followed).
 */
import { z } from "zod";
import type { Aws, OpOutput } from "../../aws/clients.ts";
import { collect, mapLimit } from "../../aws/paginate.ts";
import { Collection } from "../_lib/collection.ts";
import { Finding, finding, rankFindings, severityCounts } from "../_lib/findings.ts";
import { iso, plural } from "../_lib/format.ts";
import { Errors, Notes, RegionInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef } from "../registry.ts";
import { errorSuffix, findingSummary, LOOKUP_CONCURRENCY, someNames } from "./_common.ts";
import { FindingCounts, Limit } from "./_schemas.ts";

type AppUser = NonNullable<OpOutput<"appstream", "DescribeUsers">["Users"]>[number];
type Stack = NonNullable<OpOutput<"appstream", "DescribeStacks">["Stacks"]>[number];

const AccessInput = z.object({ region: RegionInput, limit: Limit });

const UserRow = z.object({
  user_name: z.string(),
  enabled: z.boolean().nullable(),
  status: z.string().nullable().describe("CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED, COMPROMISED, …"),
  authentication_type: z.string().nullable(),
  created: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  stacks: z.array(z.string()).nullable().describe(
    "Stacks assigned to the user; null when some stack's assignments could not be read",
  ),
});

const AccessOutput = z.object({
  region: z.string(),
  user_count: z.number().int().describe("All user-pool users"),
  users: z.array(UserRow),
  stack_count: z.number().int(),
  stack_assignments: z.record(z.string(), z.array(z.string())).describe(
    "Stack name → assigned user-pool users (each list capped at limit)",
  ),
  stack_assignment_counts: z.record(z.string(), z.number().int()).describe("Stack name → number of assigned users"),
  stacks_without_assignments: z.array(z.string()),
  truncated: z.boolean(),
  finding_counts: FindingCounts,
  findings: z.array(Finding),
  errors: Errors,
  notes: Notes,
});

const PENDING_STATUSES = new Set(["FORCE_CHANGE_PASSWORD", "UNCONFIRMED", "RESET_REQUIRED"]);

function accessFindings(
  users: AppUser[],
  stacksByUser: Map<string, string[]> | undefined,
  stackCounts: Map<string, number> | undefined,
  assignmentsComplete: boolean,
): Finding[] {
  const out: Finding[] = [];
  const name = (u: AppUser) => u.UserName ?? "?";
  const compromised = users.filter((u) => u.Status === "COMPROMISED");
  if (compromised.length) {
    out.push(finding(
      "warning",
      `${plural(compromised.length, "user-pool user")} marked COMPROMISED`,
      `Users: ${someNames(compromised.map(name))}.`,
      "Disable them (DisableUser), reset their passwords, and review their recent sessions.",
      compromised.length === 1 ? name(compromised[0]) : null,
    ));
  }
  if (stacksByUser) {
    const disabledAssigned = users.filter((u) => u.Enabled === false && (stacksByUser.get(name(u)) ?? []).length > 0);
    if (disabledAssigned.length) {
      out.push(finding(
        "warning",
        `${plural(disabledAssigned.length, "disabled user")} still assigned to stacks`,
        someNames(disabledAssigned.map((u) => `${name(u)} (${(stacksByUser.get(name(u)) ?? []).join(", ")})`)),
        "Remove the assignments (BatchDisassociateUserStack): enabling the user again would restore their application access at once.",
        disabledAssigned.length === 1 ? name(disabledAssigned[0]) : null,
      ));
    }
    // "No stack" needs every stack's associations: a failed lookup could hide the user's assignment.
    const idle = assignmentsComplete
      ? users.filter((u) => u.Enabled !== false && (stacksByUser.get(name(u)) ?? []).length === 0)
      : [];
    if (idle.length) {
      out.push(finding(
        "info",
        `${plural(idle.length, "enabled user")} with no stack assigned`,
        `Users: ${someNames(idle.map(name))}. They can sign in to the user pool but see no applications.`,
        "Assign them to a stack, or disable or delete accounts nobody needs.",
        idle.length === 1 ? name(idle[0]) : null,
      ));
    }
  }
  const pending = users.filter((u) => u.Enabled !== false && PENDING_STATUSES.has(u.Status ?? ""));
  if (pending.length) {
    out.push(finding(
      "info",
      `${plural(pending.length, "user")} never completed sign-in`,
      someNames(pending.map((u) => `${name(u)} (${u.Status})`)),
      "Resend the welcome email (CreateUser with MessageAction RESEND) or remove invitations nobody accepted.",
      pending.length === 1 ? name(pending[0]) : null,
    ));
  }
  if (stackCounts) {
    const empty = [...stackCounts].filter(([, n]) => n === 0).map(([s]) => s);
    if (empty.length) {
      out.push(finding(
        "info",
        `${plural(empty.length, "stack")} with no user-pool assignments`,
        `Stacks: ${someNames(empty)}. Users who sign in through SAML 2.0 federation are not listed by the API.`,
        "If the stack serves user-pool users, assign them; if it serves no one, consider deleting it and its fleet.",
        empty.length === 1 ? empty[0] : null,
      ));
    }
  }
  return out;
}

/** Who can use which WorkSpaces Applications stacks (user pool). */
export const reviewApplicationAccess: ToolDef<typeof AccessInput, typeof AccessOutput> = {
  name: "review_application_access",
  title: "Review WorkSpaces Applications user access",
  toolset: "governance",
  tier: 0,
  actions: ["appstream:DescribeStacks", "appstream:DescribeUserStackAssociations", "appstream:DescribeUsers"],
  annotations: READ_ONLY,
  description:
    "Lists Amazon WorkSpaces Applications (formerly AppStream 2.0) user-pool users and the stacks each is assigned " +
    "to, and flags disabled users still assigned, compromised or never-signed-in users, users without stacks and " +
    "stacks without assignments. SAML/federated users cannot be enumerated through the API.",
  input: AccessInput,
  output: AccessOutput,
  async run(ctx, args) {
    const [region] = await ctx.regions(args);
    const col = new Collection();
    const o = { region, signal: ctx.signal };
    const [users, stacks] = await Promise.all([
      col.attempt(
        { service: "appstream", operation: "DescribeUsers", region },
        async () =>
          (await collect(ctx.aws, "appstream", "DescribeUsers", { AuthenticationType: "USERPOOL" }, "Users", o)).items,
      ),
      col.attempt(
        { service: "appstream", operation: "DescribeStacks", region },
        async () => (await collect(ctx.aws, "appstream", "DescribeStacks", {}, "Stacks", o)).items,
      ),
    ]);
    const assignments = stacks
      ? await assignmentsOf(ctx.aws, region, stacks, ctx.signal, col, async (n) => {
        await ctx.progress(n, stacks.length, "stack assignments");
      })
      : undefined;
    col.failIfNothing("WorkSpaces Applications users or stacks");
    const cap = args.limit;
    // Stacks whose lookup failed are left out of the assignment maps (reported in errors), never shown as empty.
    const known = assignments ? [...assignments].filter(([, u]) => u !== undefined) as [string, string[]][] : [];
    const stacksByUser = assignments ? new Map<string, string[]>() : undefined;
    for (const [stack, names] of known) {
      for (const u of names) stacksByUser!.set(u, [...stacksByUser!.get(u) ?? [], stack]);
    }
    const stackCounts = assignments ? new Map(known.map(([s, u]) => [s, u.length])) : undefined;
    const assignmentsComplete = assignments !== undefined && known.length === assignments.size;
    const all = users ?? [];
    const rows: z.infer<typeof UserRow>[] = all.map((u) => ({
      user_name: u.UserName ?? "?",
      enabled: u.Enabled ?? null,
      status: u.Status ?? null,
      authentication_type: u.AuthenticationType ?? null,
      created: iso(u.CreatedTime),
      first_name: u.FirstName ?? null,
      last_name: u.LastName ?? null,
      stacks: assignmentsComplete ? stacksByUser!.get(u.UserName ?? "") ?? [] : null,
    }));
    const findings = rankFindings(
      accessFindings(all, users ? stacksByUser : undefined, stackCounts, assignmentsComplete),
    );
    const truncated = rows.length > cap || known.some(([, u]) => u.length > cap);
    const notes = [
      "Only user-pool users can be listed: users who sign in through SAML 2.0 federation (or other identity providers) cannot be enumerated through the WorkSpaces Applications API; their access is governed by the IdP's stack assignments.",
    ];
    if (truncated) notes.push(`Lists are capped at limit=${cap}; counts and findings cover every user and stack.`);
    if (!users) notes.push("Users could not be listed (see errors): stack assignments are still shown.");
    if (!stacks) notes.push("Stacks could not be listed (see errors): users are shown without their stacks.");
    else if (!assignmentsComplete) {
      notes.push(
        "Some stacks' assignments could not be read (see errors): users' stacks are null and stacks missing from stack_assignments are unknown, not empty.",
      );
    }
    const withAssignments = known.filter(([, u]) => u.length > 0).length;
    return {
      summary: `${plural(all.length, "user-pool user")} and ${
        plural(stacks?.length ?? 0, "stack")
      } (${withAssignments} with assignments) in ${region}: ${findingSummary(findings)}${errorSuffix(col)}.`,
      data: {
        region,
        user_count: all.length,
        users: rows.slice(0, cap),
        stack_count: stacks?.length ?? 0,
        stack_assignments: Object.fromEntries(known.map(([s, u]) => [s, u.slice(0, cap)])),
        stack_assignment_counts: Object.fromEntries(known.map(([s, u]) => [s, u.length])),
        stacks_without_assignments: known.filter(([, u]) => u.length === 0).map(([s]) => s),
        truncated,
        finding_counts: severityCounts(findings),
        findings,
        errors: col.errors,
        notes,
      },
    };
  },
};

/** Stack name → assigned user names (undefined where the lookup failed), a few stacks at a time. */
async function assignmentsOf(
  aws: Aws,
  region: string,
  stacks: Stack[],
  signal: AbortSignal,
  col: Collection,
  progress: (done: number) => Promise<void>,
): Promise<Map<string, string[] | undefined>> {
  let done = 0;
  const names = stacks.map((s) => s.Name ?? "").filter(Boolean);
  const found = await mapLimit(names, LOOKUP_CONCURRENCY, async (StackName) => {
    const users = await col.attempt(
      { service: "appstream", operation: "DescribeUserStackAssociations", region },
      async () =>
        (await collect(aws, "appstream", "DescribeUserStackAssociations", { StackName }, "UserStackAssociations", {
          region,
          signal,
        })).items.map((a) => a.UserName ?? "?"),
    );
    await progress(++done);
    return users;
  });
  return new Map(names.map((n, i) => [n, found[i]]));
}
