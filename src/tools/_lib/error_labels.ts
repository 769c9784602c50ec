/**
 * `errors[]` as the Python server's users read them: `service` is the product label ("Amazon
 * WorkSpaces Applications"), and the API id we classify by ("appstream") moves to `api`. Applied
 * once, at the registry boundary, so every collector keeps working with API ids.
 */
import { PRODUCT } from "../../names.ts";

const LABEL: Readonly<Record<string, string>> = {
  appstream: PRODUCT.applications,
  "workspaces-web": PRODUCT["secure-browser"],
  "workspaces-instances": PRODUCT.core,
  ds: "AWS Directory Service",
  cloudwatch: "Amazon CloudWatch",
  monitoring: "Amazon CloudWatch",
  ec2: "Amazon EC2",
  ce: "AWS Cost Explorer",
  pricing: "AWS Price List",
  cloudtrail: "AWS CloudTrail",
  servicequotas: "Service Quotas",
  "service-quotas": "Service Quotas",
  "application-autoscaling": "Application Auto Scaling",
  sts: "AWS STS",
  tag: "AWS Resource Groups Tagging",
};

/** The product label of an API id; WorkSpaces Pools operations are labelled Pools, the rest Personal. */
export function serviceLabel(api: string, operation: string): string {
  if (api === "workspaces") return /Pool/.test(operation) ? PRODUCT.pools : PRODUCT.personal;
  return LABEL[api] ?? api;
}

function isErrorInfo(v: unknown): v is Record<string, unknown> & { service: string; operation: string } {
  if (!v || typeof v !== "object") return false;
  const o = v as Record<string, unknown>;
  return typeof o.service === "string" && typeof o.operation === "string" && typeof o.code === "string" &&
    typeof o.hint === "string" && o.api === undefined;
}

/** One error with the product label in `service` and the API id in `api`. */
export function labelError<T extends { service: string; operation: string }>(e: T): T & { api: string } {
  return { ...e, service: serviceLabel(e.service, e.operation), api: e.service };
}

/** A copy of `data` in which every `errors` array's entries are labelled (nested ones too). */
export function labelErrors<T>(data: T): T {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!node || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] = k === "errors" && Array.isArray(v)
        ? v.map((e) => (isErrorInfo(e) ? labelError(e) : visit(e)))
        : visit(v);
    }
    return out;
  };
  return visit(data) as T;
}
