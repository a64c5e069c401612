// Step 14: a MAC derived from the pod IP under a fixed prefix, e.g. `0a:1b` + 172.18.40.23 → 0a:1b:ac:12:28:17.
import { lastBytes } from './ip-address.js';

export function macFromPrefix(prefix: string, ip: string): string {
  return [prefix.toLowerCase(), ...lastBytes(ip, 4).map((b) => b.toString(16).padStart(2, '0'))].join(':');
}
