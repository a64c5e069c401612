/**
 * The start offset of a pick: a 106-bit non-cryptographic hash of `podUid` and the interface name (two independent
 * 53-bit string hashes). The same pod and NIC always start at the same place, different pods spread over the pool.
 */
function hash53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export function pickSeed(podUid: string, nic: string): bigint {
  const key = `${podUid}\u0000${nic}`;
  return (BigInt(hash53(key, 0x9e3779b9)) << 53n) | BigInt(hash53(key, 0x85ebca6b));
}
