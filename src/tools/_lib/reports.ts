/** Reports made during this session (CSV exports), served as `euc://reports/<id>` resources. */

/** One stored report. */
export interface Report {
  readonly id: string;
  readonly uri: string;
  readonly name: string;
  readonly mimeType: string;
  readonly text: string;
  readonly createdAt: string;
}

/** An in-memory, size-capped store of this process's reports; nothing is written to disk. */
export class ReportStore {
  readonly #reports = new Map<string, Report>();
  readonly #listeners: ((report: Report) => void)[] = [];
  constructor(readonly maxReports = 20) {}

  /** Calls `listener` after every add (the server sends `notifications/resources/list_changed`). */
  onAdd(listener: (report: Report) => void): void {
    this.#listeners.push(listener);
  }

  /** Stores a report and returns it with its id and URI. */
  add(name: string, mimeType: string, text: string): Report {
    const id = `${name.replace(/[^a-z0-9-]+/gi, "-").toLowerCase()}-${crypto.randomUUID().slice(0, 8)}${
      mimeType === "text/csv" ? ".csv" : ""
    }`;
    const report: Report = {
      id,
      uri: `euc://reports/${id}`,
      name,
      mimeType,
      text,
      createdAt: new Date().toISOString(),
    };
    this.#reports.set(id, report);
    // Oldest first out, so a long session cannot grow without bound.
    while (this.#reports.size > this.maxReports) this.#reports.delete(this.#reports.keys().next().value!);
    for (const listener of this.#listeners) listener(report);
    return report;
  }

  /** A report by id, or undefined. */
  get(id: string): Report | undefined {
    return this.#reports.get(id);
  }

  /** All reports, oldest first. */
  list(): Report[] {
    return [...this.#reports.values()];
  }
}
