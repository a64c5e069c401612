// What a failed ADD must undo: every step that created or changed something records its inverse here;
// on failure the inverses run newest first, best-effort (errors are collected, never thrown).
import { errorMessage } from '../errors.js';

interface UndoEntry {
  readonly what: string;
  readonly run: () => Promise<unknown>;
}

export class UndoJournal {
  private readonly entries: UndoEntry[] = [];

  record(what: string, run: () => Promise<unknown>): void {
    this.entries.push({ what, run });
  }

  get size(): number {
    return this.entries.length;
  }

  /** Runs every inverse newest first; returns the failures as `what: message`. */
  async rollback(): Promise<string[]> {
    const failures: string[] = [];
    for (const entry of this.entries.splice(0).reverse()) {
      try {
        await entry.run();
      } catch (e) {
        failures.push(`${entry.what}: ${errorMessage(e)}`);
      }
    }
    return failures;
  }
}
