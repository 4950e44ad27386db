/**
 * IPv4 / IPv6 addresses and CIDR blocks as numbers, for ipBlock matching.
 *
 * @module
 */

export interface Cidr {
  family: 4 | 6;
  base: bigint;
  bits: number;
  text: string;
}

/** Parses an IPv4 or IPv6 address; undefined when it is neither. */
export function parseIp(ip: string): { family: 4 | 6; value: bigint } | undefined {
  if (ip.includes(".") && !ip.includes(":")) {
    const parts = ip.split(".");
    if (parts.length !== 4) return undefined;
    let v = 0n;
    for (const p of parts) {
      if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
      v = (v << 8n) | BigInt(Number(p));
    }
    return { family: 4, value: v };
  }
  if (!ip.includes(":")) return undefined;
  const [head = "", tail, extra] = ip.split("::");
  if (extra !== undefined) return undefined;
  const h = head === "" ? [] : head.split(":");
  const t = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = 8 - h.length - t.length;
  if ((tail === undefined && missing !== 0) || missing < 0) return undefined;
  const groups = [...h, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...t];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return { family: 6, value: v };
}

/** Parses "10.0.0.0/8"; undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const [addr = "", len] = text.split("/");
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const max = ip.family === 4 ? 32 : 128;
  const bits = len === undefined ? max : Number(len);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) return undefined;
  const shift = BigInt(max - bits);
  return { family: ip.family, base: (ip.value >> shift) << shift, bits, text };
}

/** True when the address lies inside the block. */
export function cidrContains(cidr: Cidr, ip: string): boolean {
  const p = parseIp(ip);
  if (!p || p.family !== cidr.family) return false;
  const shift = BigInt((cidr.family === 4 ? 32 : 128) - cidr.bits);
  return (p.value >> shift) << shift === cidr.base;
}
