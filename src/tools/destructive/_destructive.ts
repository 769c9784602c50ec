/** What the destructive tools share: the acknowledge input and the peer's impact texts. */
import { z } from "zod";

/** The typed phrase input. */
export const ACK_INPUT = {
  acknowledge: z.string().max(100).default("").describe("The exact phrase to execute: TERMINATE, REBUILD or RESTORE"),
};

/** Impact texts (peer's, extended with what the admin guide adds). */
export const IMPACT = {
  terminate: "PERMANENT and IRREVERSIBLE: the WorkSpace and its root and user volumes are deleted.",
  rebuild: "Rebuild: root volume reset to the bundle; user volume restored from the last snapshot; data since " +
    "then lost. The desktop gets a new private IP address and may take up to an hour.",
  restore: "Restore: root and user volumes are restored from its last snapshot; unsynced data lost.",
} as const;
