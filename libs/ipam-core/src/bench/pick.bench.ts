/**
 * Benchmark of one pick (`nx run ipam-core:bench`): our spread picker over the free-space index versus the naive
 * upstream algorithm (lowest-first linear scan of `ips`, testing each IP's text in a Set of allocated IPs), on the
 * same pool states. Prints figures only; nothing here asserts a time.
 */
import { formatIP, parseIP } from '../lib/ip-address.js';
import { PoolAllocationState } from '../lib/ip-allocation.js';
import type { IPAllocationRecord } from '../lib/allocated-ips.codec.js';

interface Figures {
  readonly nsPerOp: number;
  readonly p50: number;
  readonly p99: number;
}

function measure(ops: number, run: (i: number) => void): Figures {
  for (let i = 0; i < Math.min(ops, 200); i++) run(i); // warm-up
  const samples: number[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) {
    const t0 = process.hrtime.bigint();
    run(i);
    samples.push(Number(process.hrtime.bigint() - t0));
  }
  const total = Number(process.hrtime.bigint() - start);
  samples.sort((a, b) => a - b);
  return {
    nsPerOp: total / ops,
    p50: samples[Math.floor(ops * 0.5)] as number,
    p99: samples[Math.floor(ops * 0.99)] as number,
  };
}

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Upstream-style pick: walk `ips` from the lowest address and return the first one not in the allocated Set. */
function naivePick(
  family: 4 | 6,
  lo: bigint,
  hi: bigint,
  allocated: ReadonlySet<string>,
): string | undefined {
  for (let v = lo; v <= hi; v++) {
    const ip = formatIP(family, v);
    if (!allocated.has(ip)) return ip;
  }
  return undefined;
}

function scenario(
  title: string,
  family: 4 | 6,
  first: string,
  last: string,
  allocatedValues: bigint[],
  ops: number,
): void {
  const lo = parseIP(first).value;
  const hi = parseIP(last).value;
  const records = new Map<string, IPAllocationRecord>();
  allocatedValues.forEach((v, i) =>
    records.set(formatIP(family, v), { pod: `ns/pod-${i}`, podUid: `uid-${i}` }),
  );
  const buildStart = process.hrtime.bigint();
  const state = PoolAllocationState.fromParts({
    name: 'bench',
    family,
    subnet: family === 4 ? '10.0.0.0/16' : 'fd00::/64',
    ips: [`${first}-${last}`],
    records,
  });
  const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;
  const allocated = new Set(records.keys());
  const ours = measure(ops, (i) => {
    state.pick(
      { podKey: `ns/new-${i}`, podUid: `new-uid-${i}`, nic: 'eth0' },
      { maxAllocatedIPs: Number.MAX_SAFE_INTEGER },
    );
  });
  const naiveOps = Math.max(20, Math.floor(ops / 50));
  const naive = measure(naiveOps, () => {
    naivePick(family, lo, hi, allocated);
  });
  const fmt = (f: Figures): string =>
    `${f.nsPerOp.toFixed(0).padStart(10)} ns/op ${(1e9 / f.nsPerOp).toFixed(0).padStart(9)} ops/s  p50 ${String(f.p50).padStart(9)} ns  p99 ${String(f.p99).padStart(9)} ns`;
  console.log(`\n${title}`);
  console.log(
    `  allocated ${allocatedValues.length}, free runs ${state.index.runCount}, index build ${buildMs.toFixed(1)} ms`,
  );
  console.log(`  spread pick (free-space treap)   ${fmt(ours)}`);
  console.log(`  naive lowest-first Set scan      ${fmt(naive)}`);
}

const random = rng(42);

// 65 536 addresses, 99 % allocated at random positions.
const size = 65536;
const values = Array.from({ length: size }, (_, i) => BigInt(parseIP('10.0.0.0').value) + BigInt(i));
for (let i = values.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [values[i], values[j]] = [values[j] as bigint, values[i] as bigint];
}
scenario(
  'pool of 65 536 IPv4 addresses, 99 % allocated (random positions)',
  4,
  '10.0.0.0',
  '10.0.255.255',
  values.slice(0, Math.floor(size * 0.99)),
  20000,
);

scenario(
  'pool of 65 536 IPv4 addresses, 99 % allocated (lowest 99 %, what lowest-first allocation leaves behind)',
  4,
  '10.0.0.0',
  '10.0.255.255',
  Array.from({ length: Math.floor(size * 0.99) }, (_, i) => parseIP('10.0.0.0').value + BigInt(i)),
  20000,
);

// A /64 with 10 000 allocations at the bottom (what lowest-first allocation leaves behind).
const base = parseIP('fd00::').value;
scenario(
  '/64 IPv6 pool, 10 000 lowest addresses allocated',
  6,
  'fd00::',
  'fd00::ffff:ffff:ffff:ffff',
  Array.from({ length: 10000 }, (_, i) => base + BigInt(i)),
  20000,
);
