/**
 * AWS Directory Service (awsJson1_1, `DirectoryService_20150416.<Op>`).
 *
 * DescribeDirectories: without DirectoryIds every directory of the account and region, else the
 * named ones; one unknown id fails the whole call with EntityDoesNotExistException, as AWS does.
 * Directory Service ids are `d-` + 10 hex digits: a WorkSpaces-managed `wsd-…` id (Pools, and
 * Personal with IAM Identity Center / Entra ID) is not a Directory Service directory and fails the
 * member's pattern constraint with InvalidParameterException (REFERENCE §8.1 item 9), so tools must
 * never send one.
 */
import type { DescribeDirectoriesResult } from "@aws-sdk/client-directory-service";
import {
  compact,
  type OpContext,
  type OperationTable,
  optInt,
  optString,
  optStringList,
  paginate,
  SimError,
  validationMessage,
} from "./common.ts";

const INVALID = "InvalidParameterException";
const DS_ID = /^d-[0-9a-f]{10}$/;
// Limit 0 or absent means "the operation's own limit"; AWS does not document it, 10 keeps paging honest.
const PAGE = 10;

function describeDirectories(ctx: OpContext): DescribeDirectoriesResult {
  const { input, region } = ctx;
  const ids = optStringList(input, "DirectoryIds", 1000, INVALID);
  const limit = optInt(input, "Limit", 0, 1000, INVALID) || PAGE;
  let items = [...region.dsDirectories.values()];
  if (ids) {
    const bad = ids.find((id) => !DS_ID.test(id));
    if (bad !== undefined) {
      throw new SimError(
        INVALID,
        validationMessage(ids, "directoryIds", "satisfy regular expression pattern: ^d-[0-9a-f]{10}$"),
      );
    }
    const missing = ids.find((id) => !region.dsDirectories.has(id));
    if (missing) {
      throw new SimError("EntityDoesNotExistException", `Directory ${missing} does not exist.`);
    }
    items = [...new Set(ids)].map((id) => region.dsDirectories.get(id)!);
  }
  const page = paginate(items, {
    operation: "DescribeDirectories",
    token: optString(input, "NextToken", INVALID),
    size: limit,
    invalidTokenCode: "InvalidNextTokenException",
  });
  return compact({ DirectoryDescriptions: page.items, NextToken: page.nextToken });
}

/** Operations by name. */
export const operations: OperationTable = {
  DescribeDirectories: describeDirectories,
};
