/** The launch-flag table: the one source of parseArgs options, --help and the README flags table (data). */
import { TOOLSET_IDS } from "./tools/catalogue.ts";

/** One launch flag: how it parses, its line in --help, and its README row. */
export interface FlagDoc {
  readonly name: string;
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** Placeholder of the value, e.g. "<r>". */
  readonly arg?: string;
  /** One line for --help. */
  readonly help: string;
  /** README "Default" column. */
  readonly default: string;
  /** README "Effect" column. */
  readonly effect: string;
}

/** Every launch flag, in --help order: the one source of parseArgs options, --help and the README flags table. */
export const FLAGS: readonly FlagDoc[] = [
  {
    name: "region",
    type: "string",
    arg: "<r>",
    help: "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, then the profile)",
    default: "`AWS_REGION`, `AWS_DEFAULT_REGION`, the profile",
    effect: "Default AWS region of every tool.",
  },
  {
    name: "regions",
    type: "string",
    arg: "<r1,r2>",
    help: 'default region list for tools that accept "regions"',
    default: "none",
    effect: "Default region list for tools that accept `regions` (fan-out); up to 30.",
  },
  {
    name: "profile",
    type: "string",
    arg: "<name>",
    help: "named profile from ~/.aws/config (default: AWS_PROFILE)",
    default: "`AWS_PROFILE`",
    effect: "Named profile from `~/.aws/config` (static keys, SSO `sso-session`, `role_arn`, …).",
  },
  {
    name: "assume-role-arn",
    type: "string",
    arg: "<arn>",
    help: "assume this role (lazily, auto-refreshed) for every AWS call",
    default: "none",
    effect: "Assume this role for every AWS call; assumed lazily on first use and refreshed before expiry.",
  },
  {
    name: "external-id",
    type: "string",
    arg: "<id>",
    help: "ExternalId for --assume-role-arn",
    default: "none",
    effect: "ExternalId for `--assume-role-arn` (requires it).",
  },
  {
    name: "enable-writes",
    type: "boolean",
    help: "register lifecycle tools (start/stop/reboot, capacity, running mode)",
    default: "off",
    effect: "Register the lifecycle toolset (start/stop/reboot, capacity, running mode).",
  },
  {
    name: "enable-destructive",
    type: "boolean",
    help: "register terminate/rebuild/restore (requires --enable-writes)",
    default: "off",
    effect: "Register terminate/rebuild/restore. Refused without `--enable-writes`.",
  },
  {
    name: "max-bulk-targets",
    type: "string",
    arg: "<n>",
    help: "blast-radius cap for one write call (default 25)",
    default: "25",
    effect:
      "Blast-radius cap for one write call: more deduplicated targets than this are refused (any integer, as in the Python server; below 1 refuses every write).",
  },
  {
    name: "require-plan-token",
    type: "boolean",
    help: "writes also need the plan_token of a dry run",
    default: "off",
    effect: "Lifecycle writes also need the `plan_token` of a dry run (destructive ones always do).",
  },
  {
    name: "toolsets",
    type: "string",
    arg: "<a,b>",
    help: "register only these toolsets (see --list-toolsets)",
    default: "all that the write flags allow",
    effect: `Register only these toolsets: ${TOOLSET_IDS.join(", ")}.`,
  },
  {
    name: "list-toolsets",
    type: "boolean",
    help: "print the toolsets and exit",
    default: "",
    effect: "Print the toolsets, whether each is enabled, and exit.",
  },
  {
    name: "endpoint-url",
    type: "string",
    arg: "<url>",
    help: "send every AWS call to this endpoint (LocalStack, tests)",
    default: "none",
    effect: "Send every AWS call to this endpoint (LocalStack, tests).",
  },
  {
    name: "demo",
    type: "boolean",
    help: "use the built-in simulated estate (no AWS account needed)",
    default: "off",
    effect:
      "Use the built-in simulated estate instead of AWS. Cannot be combined with `--endpoint-url` or `--assume-role-arn`.",
  },
  {
    name: "log-level",
    type: "string",
    arg: "<level>",
    help: "debug | info | warn | error (default info, or EUC_MCP_LOG_LEVEL / FASTMCP_LOG_LEVEL)",
    default: "`info`, or `EUC_MCP_LOG_LEVEL`, or `FASTMCP_LOG_LEVEL`",
    effect:
      "`debug`, `info`, `warn` or `error`; logs are JSON lines on stderr (stdout carries only MCP), and go to an MCP client as `notifications/message` at the level it sets with `logging/setLevel`.",
  },
  {
    name: "sso-auto-login",
    type: "boolean",
    help: "accepted for the Python server's users; no effect (no subprocess is ever started)",
    default: "off",
    effect:
      "Accepted for compatibility with the Python server (also `WORKSPACES_EUC_SSO_AUTO_LOGIN`). This server never starts `aws sso login` (it is never granted `--allow-run`); an expired SSO session is answered with the exact `aws sso login --profile …` command. A one-line note on stderr says so.",
  },
  {
    name: "no-sso-auto-login",
    type: "boolean",
    help: "accepted for the Python server's users (this server never logs in by itself)",
    default: "",
    effect: "Accepted for compatibility with the Python server; this is always how this server behaves.",
  },
  {
    name: "version",
    type: "boolean",
    help: "print the version and exit",
    default: "",
    effect: "Print the version and exit.",
  },
  {
    name: "help",
    type: "boolean",
    short: "h",
    help: "print this help and exit",
    default: "",
    effect: "Print the help and exit.",
  },
];

/** The flag's spelling in --help and the README: "--region <r>", "-h, --help". */
export function flagLabel(f: FlagDoc): string {
  return `${f.short ? `-${f.short}, ` : ""}--${f.name}${f.arg ? ` ${f.arg}` : ""}`;
}
