/**
 * AWS STS (awsQuery: form-encoded request, XML response wrapped in `<Op>Result`). Handlers
 * return the `<Op>Result` body in STS's XML member names.
 */
import { hashChars, UPPER36 } from "../seed.ts";
import { type OpContext, type OperationTable, optInt, optString, SimError, type XmlBody } from "./common.ts";

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function assumeRole(ctx: OpContext): XmlBody {
  const { input } = ctx;
  const roleArn = optString(input, "RoleArn", "ValidationError");
  const session = optString(input, "RoleSessionName", "ValidationError");
  if (!roleArn || !session) {
    throw new SimError(
      "ValidationError",
      `1 validation error detected: Value null at '${
        roleArn ? "roleSessionName" : "roleArn"
      }' failed to satisfy constraint: Member must not be null`,
    );
  }
  const match = ROLE_ARN.exec(roleArn);
  if (!match) {
    throw new SimError("ValidationError", `${roleArn} is invalid`);
  }
  const duration = optInt(input, "DurationSeconds", 900, 43200, "ValidationError") ??
    3600;
  const seed = `${roleArn}/${session}/${ctx.requestId}`;
  const roleId = `AROA${hashChars(roleArn, 17, UPPER36)}`;
  return {
    Credentials: {
      AccessKeyId: `ASIA${hashChars(seed, 16, UPPER36)}`,
      SecretAccessKey: hashChars(`${seed}/secret`, 40, B64),
      SessionToken: `FwoGZXIvYXdzE${hashChars(`${seed}/token`, 120, B64)}`,
      Expiration: new Date(Date.now() + duration * 1000),
    },
    AssumedRoleUser: {
      AssumedRoleId: `${roleId}:${session}`,
      Arn: `arn:aws:sts::${match[1]}:assumed-role/${match[2]}/${session}`,
    },
    PackedPolicySize: input.Policy === undefined ? undefined : 6,
  };
}

function getCallerIdentity(ctx: OpContext): XmlBody {
  return {
    UserId: "AIDASIMULATOR0000001",
    Account: ctx.estate.account,
    Arn: `arn:aws:iam::${ctx.estate.account}:user/simulator`,
  };
}

/** STS operations by name. */
export const operations: OperationTable = {
  AssumeRole: assumeRole,
  GetCallerIdentity: getCallerIdentity,
};
