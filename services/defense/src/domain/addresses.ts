import ipaddr from "ipaddr.js";

/**
 * Which network addresses a webhook may reach: public unicast only. Everything else (loopback,
 * link-local with the cloud metadata address 169.254.169.254, RFC 1918 private, CGNAT 100.64/10,
 * unique-local fc00::/7, unspecified, multicast, broadcast, documentation and reserved ranges, and
 * IPv4 written inside IPv6) is the hub's own network or nobody's, and the hub never POSTs there.
 * Loopback is allowed only when the operator says so for tests (DEFENSE_WEBHOOK_ALLOW_LOOPBACK).
 */

/** Ranges the address library calls unicast but that are not public. */
const MORE_NON_PUBLIC_RANGES: ReadonlyArray<[string, number]> = [
  ["198.18.0.0", 15], // benchmarking
  ["255.255.255.255", 32],
  ["::", 96], // IPv4-compatible IPv6 (deprecated): ::127.0.0.1
  ["100::", 64], // discard-only
  ["2001:10::", 28], // ORCHID
  ["2001:20::", 28], // ORCHIDv2
  ["fec0::", 10], // site-local (deprecated)
];

/** Why the hub must not connect to this address, or undefined when it is public (or loopback, when allowed). */
export function addressProblem(address: string, isLoopbackAllowed: boolean): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  // IPv4-mapped IPv6 (::ffff:169.254.169.254) is judged as the IPv4 address it carries.
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === "loopback" && isLoopbackAllowed) return undefined;
  if (range !== "unicast") return `${parsed.toString()} is not a public address (${range})`;
  for (const [network, bits] of MORE_NON_PUBLIC_RANGES) {
    const base = ipaddr.parse(network);
    if (base.kind() === parsed.kind() && (parsed as ipaddr.IPv4).match(base as ipaddr.IPv4, bits))
      return `${parsed.toString()} is not a public address (reserved)`;
  }
  return undefined;
}

/** The host of a URL as an IP address when it is written as one (`[::1]` without brackets), else undefined. */
export function literalAddressOf(hostname: string): string | undefined {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return ipaddr.IPv4.isValidFourPartDecimal(bare) || ipaddr.IPv6.isValid(bare) ? bare : undefined;
}
