/** Error shaping shared by the security tools. */
import type { AwsErrorInfo } from "../../aws/errors.ts";

/** One entry per (service, operation, region, code): per-object lookups that fail alike are reported once. */
export function dedupeErrors(errors: readonly AwsErrorInfo[]): AwsErrorInfo[] {
  const seen = new Map<string, { info: AwsErrorInfo; n: number }>();
  for (const e of errors) {
    const key = `${e.service}|${e.operation}|${e.region}|${e.code}`;
    const hit = seen.get(key);
    if (hit) hit.n++;
    else seen.set(key, { info: e, n: 1 });
  }
  return [...seen.values()].map(({ info, n }) => n > 1 ? { ...info, message: `${info.message} (${n} calls)` } : info);
}
