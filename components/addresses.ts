import * as ipaddr from "ipaddr.js";

/** An address or CIDR as nginx `allow`/`deny` take it, with its parsed range. */
export interface AddressRange {
    /** Canonical text: `a.b.c.d`, `a.b.c.d/n`, IPv6 compressed form. */
    readonly text: string;
    readonly kind: "ipv4" | "ipv6";
    readonly prefixLength: number;
}

/** Why an address text was refused; `undefined` when it is fine. */
export type AddressProblem = { reason: string };

/**
 * Parses an IPv4/IPv6 address or CIDR. Host bits set under the prefix are refused (nginx would
 * silently ignore them), with the network address suggested instead.
 */
export function parseAddressRange(text: string): AddressRange | AddressProblem {
    const trimmed = text.trim();
    if (trimmed !== text || trimmed === "") {
        return { reason: "must be an IPv4/IPv6 address or CIDR without spaces" };
    }
    if (trimmed.includes("/")) {
        if (!ipaddr.isValidCIDR(trimmed)) return { reason: "is not a valid CIDR (e.g. 172.30.10.0/24, fd00::/64)" };
        const [addr, prefixLength] = ipaddr.parseCIDR(trimmed);
        const network = addr.kind() === "ipv4"
            ? ipaddr.IPv4.networkAddressFromCIDR(trimmed)
            : ipaddr.IPv6.networkAddressFromCIDR(trimmed);
        if (network.toString() !== addr.toString()) {
            return { reason: `has host bits set; use ${network.toString()}/${prefixLength}` };
        }
        return { text: `${addr.toString()}/${prefixLength}`, kind: addr.kind(), prefixLength };
    }
    if (!ipaddr.isValid(trimmed) || !(ipaddr.IPv4.isValidFourPartDecimal(trimmed) || ipaddr.IPv6.isValid(trimmed))) {
        return { reason: "is not a valid IPv4/IPv6 address (e.g. 172.30.10.5) or CIDR" };
    }
    const addr = ipaddr.parse(trimmed);
    return { text: addr.toString(), kind: addr.kind(), prefixLength: addr.kind() === "ipv4" ? 32 : 128 };
}

/** True for ranges that match every client of a family (0.0.0.0/0, ::/0, ::ffff:0:0/96). */
export function isCatchAll(range: AddressRange): boolean {
    if (range.prefixLength === 0) return true;
    if (range.kind === "ipv6" && range.prefixLength <= 96) {
        // ::ffff:0:0/96 (and anything wider that contains it) covers all of IPv4.
        const [addr, bits] = ipaddr.parseCIDR(range.text);
        return ipaddr.parse("::ffff:0:0").match(addr, bits);
    }
    return false;
}

/** The conventional gateway of an IPv4 subnet: its first host address (what Docker picks). */
export function firstHostAddress(cidr: string): string {
    const network = ipaddr.IPv4.networkAddressFromCIDR(cidr).toByteArray();
    const asNumber = ((network[0] << 24) >>> 0) + (network[1] << 16) + (network[2] << 8) + network[3] + 1;
    return ipaddr.fromByteArray([asNumber >>> 24, (asNumber >>> 16) & 255, (asNumber >>> 8) & 255, asNumber & 255]).toString();
}

/** True when `address` (plain address) lies in any of `ranges`. */
export function isInAnyRange(address: string, ranges: readonly AddressRange[]): boolean {
    const addr = ipaddr.parse(address);
    return ranges.some((range) => {
        if (range.kind !== addr.kind()) return false;
        const [net, bits] = range.text.includes("/") ? ipaddr.parseCIDR(range.text) : [ipaddr.parse(range.text), range.prefixLength];
        return addr.match(net, bits);
    });
}
