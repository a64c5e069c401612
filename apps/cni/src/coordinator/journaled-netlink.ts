// Idempotent, undoable netlink writes for the ADD sequence: "already exists" counts as success (and is
// not ours to undo); everything we create or change records its inverse in the journal.
import {
  AlreadyExistsError,
  NotFoundError,
  type NeighbourSpec,
  type NetlinkPort,
  type NetnsTarget,
  type RouteSpec,
  type RuleSpec,
} from '@spiderpool/netlink';
import type { UndoJournal } from './undo-journal.js';

export class JournaledNetlink {
  constructor(
    readonly netlink: NetlinkPort,
    private readonly journal: UndoJournal,
  ) {}

  /** Adds a route unless an equal one exists; true when added. */
  async addRoute(spec: RouteSpec, at: NetnsTarget): Promise<boolean> {
    try {
      await this.netlink.addRoute(spec, at);
    } catch (e) {
      if (e instanceof AlreadyExistsError) return false;
      throw e;
    }
    this.journal.record(`route ${spec.dst} table ${spec.table ?? 'main'}`, () =>
      ignoreNotFound(this.netlink.deleteRoute(spec, at)),
    );
    return true;
  }

  /** Deletes a route and records its re-creation. */
  async moveAwayRoute(spec: RouteSpec, at: NetnsTarget): Promise<void> {
    await this.netlink.deleteRoute(spec, at);
    this.journal.record(`restore route ${spec.dst}`, () => this.netlink.addRoute(spec, at));
  }

  async addRule(spec: RuleSpec, at: NetnsTarget): Promise<boolean> {
    try {
      await this.netlink.addRule(spec, at);
    } catch (e) {
      if (e instanceof AlreadyExistsError) return false;
      throw e;
    }
    this.journal.record(`rule lookup ${spec.table}`, () => ignoreNotFound(this.netlink.deleteRule(spec, at)));
    return true;
  }

  async addNeighbour(spec: NeighbourSpec, at: NetnsTarget): Promise<boolean> {
    try {
      await this.netlink.addNeighbour(spec, at);
    } catch (e) {
      if (e instanceof AlreadyExistsError) return false;
      throw e;
    }
    this.journal.record(`neighbour ${spec.ip} dev ${spec.dev}`, () =>
      ignoreNotFound(this.netlink.deleteNeighbour(spec, at)),
    );
    return true;
  }

  /** Writes a sysctl, recording the previous value. */
  async writeSysctl(key: string, value: string | number, at: NetnsTarget): Promise<void> {
    const before = await this.netlink.readSysctl(key, at);
    if (before === String(value)) return;
    await this.netlink.writeSysctl(key, value, at);
    this.journal.record(`sysctl ${key}`, () => this.netlink.writeSysctl(key, before, at));
  }
}

/** Awaits `p`, treating "not found" as done. */
export async function ignoreNotFound(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (e) {
    if (e instanceof NotFoundError) return false;
    throw e;
  }
}
