// `bond.options` (`key=value;key=value`) → iproute2 bond options. Robust where upstream was not (D9):
// every malformed item is skipped with a warning, wherever it is.
import { isIP } from 'node:net';

export type BondOptionValue = string | number | string[];

/** Recognised keys → iproute2 option name and value kind. */
const KEYS: Record<string, { ip: string; kind: 'int' | 'string' | 'ips' | 'mac' | 'iface' }> = {
  active_slave: { ip: 'active_slave', kind: 'iface' },
  ad_actor_sys_prio: { ip: 'ad_actor_sys_prio', kind: 'int' },
  ad_actor_system: { ip: 'ad_actor_system', kind: 'mac' },
  ad_select: { ip: 'ad_select', kind: 'string' },
  ad_user_port_key: { ip: 'ad_user_port_key', kind: 'int' },
  all_slaves_active: { ip: 'all_slaves_active', kind: 'int' },
  arp_interval: { ip: 'arp_interval', kind: 'int' },
  arp_ip_target: { ip: 'arp_ip_target', kind: 'ips' },
  arp_validate: { ip: 'arp_validate', kind: 'string' },
  arp_all_targets: { ip: 'arp_all_targets', kind: 'string' },
  downdelay: { ip: 'downdelay', kind: 'int' },
  fail_over_mac: { ip: 'fail_over_mac', kind: 'string' },
  lacp_rate: { ip: 'lacp_rate', kind: 'string' },
  miimon: { ip: 'miimon', kind: 'int' },
  min_links: { ip: 'min_links', kind: 'int' },
  packets_per_slave: { ip: 'packets_per_slave', kind: 'int' },
  primary: { ip: 'primary', kind: 'iface' },
  primary_reselect: { ip: 'primary_reselect', kind: 'string' },
  tlb_dynamic_lb: { ip: 'tlb_dynamic_lb', kind: 'int' },
  up_delay: { ip: 'updelay', kind: 'int' },
  use_carrier: { ip: 'use_carrier', kind: 'int' },
  xmit_hash_policy: { ip: 'xmit_hash_policy', kind: 'string' },
  lp_interval: { ip: 'lp_interval', kind: 'int' },
  resend_igmp: { ip: 'resend_igmp', kind: 'int' },
  peer_notif_delay: { ip: 'peer_notif_delay', kind: 'int' },
};

export interface ParsedBondOptions {
  options: Record<string, BondOptionValue>;
  warnings: string[];
}

function arrayValue(v: string): string[] | undefined {
  if (!v.startsWith('['))
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  try {
    const parsed: unknown = JSON.parse(v);
    return Array.isArray(parsed) && parsed.every((x) => typeof x === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function parseBondOptions(text: string): ParsedBondOptions {
  const options: Record<string, BondOptionValue> = {};
  const warnings: string[] = [];
  for (const raw of text.split(';')) {
    const item = raw.trim();
    if (item === '') continue;
    const parts = item.split('=');
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      warnings.push(`bond option ${JSON.stringify(item)} is not key=value; skipped`);
      continue;
    }
    const key = parts[0].trim();
    const value = parts[1].trim();
    const spec = KEYS[key];
    if (!spec) {
      warnings.push(`unknown bond option ${key}; skipped`);
      continue;
    }
    switch (spec.kind) {
      case 'int': {
        if (!/^\d+$/.test(value)) {
          warnings.push(`bond option ${key}=${value} is not a non-negative integer; skipped`);
          continue;
        }
        const n = Number(value);
        if (n > 0) options[spec.ip] = n; // upstream applies integer options only when > 0
        break;
      }
      case 'ips': {
        const ips = arrayValue(value);
        if (!ips || ips.length === 0 || ips.some((ip) => isIP(ip) === 0)) {
          warnings.push(`bond option ${key}=${value} is not a list of IPs; skipped`);
          continue;
        }
        options[spec.ip] = ips;
        break;
      }
      case 'mac':
        if (!/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(value)) {
          warnings.push(`bond option ${key}=${value} is not a MAC; skipped`);
          continue;
        }
        options[spec.ip] = value.toLowerCase();
        break;
      default:
        if (/\s/.test(value)) {
          warnings.push(`bond option ${key}=${value} contains whitespace; skipped`);
          continue;
        }
        options[spec.ip] = value;
    }
  }
  return { options, warnings };
}
