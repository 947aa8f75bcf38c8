/**
 * IPv4 and IPv6 addresses and CIDR ranges for the IpAddress / NotIpAddress operators. A policy
 * value without a prefix length is one address (/32 or /128), as AWS reads it.
 */
export type Cidr = { version: 4 | 6; network: bigint; bits: number };

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    n = (n << 8n) | BigInt(octet);
  }
  return n;
}

function parseV6(text: string): bigint | undefined {
  let head = text;
  let tailV4: bigint | undefined;
  // An embedded IPv4 tail (::ffff:192.0.2.1) stands for the last two groups.
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseV4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0] ?? '');
  const right = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let n = 0n;
  for (const group of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    n = (n << 16n) | BigInt(parseInt(group, 16));
  }
  return tailV4 === undefined ? n : (n & ~0xffffffffn) | tailV4;
}

export function parseAddress(text: string): { version: 4 | 6; value: bigint } | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const value = parseV6(trimmed);
    return value === undefined ? undefined : { version: 6, value };
  }
  const value = parseV4(trimmed);
  return value === undefined ? undefined : { version: 4, value };
}

const width = (version: 4 | 6): number => (version === 4 ? 32 : 128);
const mask = (version: 4 | 6, bits: number): bigint => ((1n << BigInt(bits)) - 1n) << BigInt(width(version) - bits);

export function parseCidr(text: string): Cidr | undefined {
  const [address, prefix, extra] = text.trim().split('/');
  if (address === undefined || extra !== undefined) return undefined;
  const parsed = parseAddress(address);
  if (parsed === undefined) return undefined;
  const bits = prefix === undefined ? width(parsed.version) : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!(bits >= 0 && bits <= width(parsed.version))) return undefined;
  return { version: parsed.version, network: parsed.value & mask(parsed.version, bits), bits };
}

export function inCidr(cidr: Cidr, address: { version: 4 | 6; value: bigint }): boolean {
  return cidr.version === address.version && (address.value & mask(cidr.version, cidr.bits)) === cidr.network;
}
