import { IPConflictError } from './errors.js';
import { formatIP, type IPFamily } from './ip-address.js';
import type { IPInterval } from './ip-range.js';
import { IPSet } from './ip-set.js';

/** A treap node: one maximal run of free addresses, keyed by `lo`. */
interface Node {
  lo: bigint;
  hi: bigint;
  readonly priority: number;
  left: Node | undefined;
  right: Node | undefined;
}

function merge(a: Node | undefined, b: Node | undefined): Node | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.priority > b.priority) {
    a.right = merge(a.right, b);
    return a;
  }
  b.left = merge(a, b.left);
  return b;
}

/** Splits into (keys < key, keys >= key). */
function split(t: Node | undefined, key: bigint): [Node | undefined, Node | undefined] {
  if (t === undefined) return [undefined, undefined];
  if (t.lo < key) {
    const [l, r] = split(t.right, key);
    t.right = l;
    return [t, r];
  }
  const [l, r] = split(t.left, key);
  t.left = r;
  return [l, t];
}

/**
 * The free space of one pool: `allocatable − allocated`, as disjoint runs of free addresses in a treap keyed by the
 * run start. Finding the next free address at or after a point, taking one address and giving one back are each
 * O(log r) expected, where r is the number of free runs (never the number of addresses). Priorities come from a
 * fixed-seed xorshift generator, so the structure is deterministic.
 */
export class FreeIPIndex {
  private root: Node | undefined;
  private free = 0n;
  private runs = 0;
  private seed = 0x2545f491;

  private constructor(
    readonly family: IPFamily,
    /** `ips − excludeIPs − reserved`: the addresses that may ever be free. */
    readonly allocatable: IPSet,
  ) {}

  /** Full build: O(r log r) for r free runs (plus sorting the allocated addresses). */
  static build(allocatable: IPSet, allocated: Iterable<bigint>): FreeIPIndex {
    const index = new FreeIPIndex(allocatable.family, allocatable);
    const used = IPSet.fromIntervals(
      allocatable.family,
      [...allocated].map((v) => ({ lo: v, hi: v })),
    );
    for (const run of allocatable.subtract(used).intervals) index.insert(run.lo, run.hi);
    return index;
  }

  /** Number of free addresses. */
  get freeCount(): bigint {
    return this.free;
  }

  /** Number of free runs (the size of the structure). */
  get runCount(): number {
    return this.runs;
  }

  isFree(value: bigint): boolean {
    const node = this.floor(value);
    return node !== undefined && node.hi >= value;
  }

  /** The first free address `>= value`, wrapping round to the lowest free address; undefined when full. */
  nextFree(value: bigint): bigint | undefined {
    const floor = this.floor(value);
    if (floor !== undefined && floor.hi >= value) return value;
    const after = this.firstAfter(value);
    if (after !== undefined) return after.lo;
    return this.first()?.lo;
  }

  /** Marks `value` as allocated. Throws IPConflictError when it is not free. */
  take(value: bigint): void {
    const node = this.floor(value);
    if (node === undefined || node.hi < value) {
      throw new IPConflictError(
        `IP ${formatIP(this.family, value)} is not free`,
        formatIP(this.family, value),
        undefined,
      );
    }
    const { lo, hi } = node;
    this.remove(lo);
    if (lo < value) this.insert(lo, value - 1n);
    if (value < hi) this.insert(value + 1n, hi);
  }

  /**
   * Gives `value` back. Returns false (and changes nothing) when it is already free or is not allocatable
   * (excluded, reserved, or outside the pool), so releasing a record of an excluded IP never makes it free.
   */
  release(value: bigint): boolean {
    if (!this.allocatable.has(value) || this.isFree(value)) return false;
    let lo = value;
    let hi = value;
    const before = value > 0n ? this.floor(value - 1n) : undefined;
    if (before !== undefined && before.hi === value - 1n) {
      lo = before.lo;
      this.remove(before.lo);
    }
    const after = this.firstAfter(value);
    if (after !== undefined && after.lo === value + 1n) {
      hi = after.hi;
      this.remove(after.lo);
    }
    this.insert(lo, hi);
    return true;
  }

  /** The free space as an IPSet (in-order walk). */
  toIPSet(): IPSet {
    const out: IPInterval[] = [];
    const walk = (n: Node | undefined): void => {
      if (n === undefined) return;
      walk(n.left);
      out.push({ lo: n.lo, hi: n.hi });
      walk(n.right);
    };
    walk(this.root);
    return IPSet.fromIntervals(this.family, out);
  }

  private nextPriority(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }

  private insert(lo: bigint, hi: bigint): void {
    const node: Node = { lo, hi, priority: this.nextPriority(), left: undefined, right: undefined };
    const [l, r] = split(this.root, lo);
    this.root = merge(merge(l, node), r);
    this.free += hi - lo + 1n;
    this.runs++;
  }

  private remove(lo: bigint): void {
    const [l, rest] = split(this.root, lo);
    const [mid, r] = split(rest, lo + 1n);
    if (mid !== undefined) {
      this.free -= mid.hi - mid.lo + 1n;
      this.runs--;
    }
    this.root = merge(l, r);
  }

  /** The run with the greatest `lo <= value`. */
  private floor(value: bigint): Node | undefined {
    let n = this.root;
    let best: Node | undefined;
    while (n !== undefined) {
      if (n.lo <= value) {
        best = n;
        n = n.right;
      } else {
        n = n.left;
      }
    }
    return best;
  }

  /** The run with the least `lo > value`. */
  private firstAfter(value: bigint): Node | undefined {
    let n = this.root;
    let best: Node | undefined;
    while (n !== undefined) {
      if (n.lo > value) {
        best = n;
        n = n.left;
      } else {
        n = n.right;
      }
    }
    return best;
  }

  private first(): Node | undefined {
    let n = this.root;
    while (n?.left !== undefined) n = n.left;
    return n;
  }
}
