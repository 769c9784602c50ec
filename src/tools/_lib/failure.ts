/** The one error type a tool throws on purpose. */
import type { AwsErrorInfo, ErrorCode } from "../../aws/errors.ts";

/** A tool-level failure: becomes an `isError` result with code, message and next step. */
export class ToolFailure extends Error {
  override name = "ToolFailure";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint: string,
    readonly errors: AwsErrorInfo[] = [],
  ) {
    super(message);
  }
}
