/**
 * Calendar days for Cost Explorer windows: YYYY-MM-DD in UTC, ends exclusive, every date checked
 * before any request.
 */
import { z } from "zod";
import { DAY } from "../_lib/format.ts";
import { ToolFailure } from "../registry.ts";

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD input (shape only; checkWindow checks it is a calendar date). */
export const DateString = z.string().regex(DAY_RE, "must be a date YYYY-MM-DD");

/** Today in UTC, YYYY-MM-DD. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The day `days` after (or before, when negative) `day`. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `start` to `end`. */
export function daysBetween(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY);
}

/** Refuses a value that is not a calendar date (before any date arithmetic on it). */
export function checkDay(name: string, value: string): void {
  const d = new Date(`${value}T00:00:00Z`);
  if (!DAY_RE.test(value) || isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new ToolFailure(
      "InvalidInput",
      `${name} ${value} is not a calendar date.`,
      "Use YYYY-MM-DD, e.g. 2025-01-31.",
    );
  }
}

/** Checks a [start, end) window before any request: real dates, start < end, nothing after today. */
export function checkWindow(names: [string, string], start: string, end: string): void {
  checkDay(names[0], start);
  checkDay(names[1], end);
  const today = todayUtc();
  if (start >= end) {
    throw new ToolFailure(
      "InvalidInput",
      `${names[0]} ${start} must be before ${names[1]} ${end}.`,
      `${names[1]} is exclusive: for all of January use ${names[0]}=2025-01-01 and ${names[1]}=2025-02-01.`,
    );
  }
  if (start > today) {
    throw new ToolFailure(
      "InvalidInput",
      `${names[0]} ${start} is in the future; Cost Explorer only has spend up to today (${today}).`,
      "Use get_euc_cost_forecast for future spend.",
    );
  }
  if (end > addDays(today, 1)) {
    throw new ToolFailure(
      "InvalidInput",
      `${names[1]} ${end} is after tomorrow; Cost Explorer only has spend up to today (${today}).`,
      `Use ${names[1]}=${addDays(today, 1)} at most (it is exclusive), or get_euc_cost_forecast for future spend.`,
    );
  }
}
