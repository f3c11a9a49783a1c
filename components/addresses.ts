import * as ipaddr from "ipaddr.js";

/** An address or CIDR as nginx `allow`/`deny` take it, with its parsed range. */
export interface AddressRange {
    /** Canonical text: `a.b.c.d`, `a.b.c.d/n`, IPv6 in RFC 5952 form. */
    readonly text: string;
    readonly kind: "ipv4" | "ipv6";
    readonly prefixLength: number;
}

/** Why an address text was refused; `undefined` when it is fine. */
export type AddressProblem = { reason: string };

/** Dotted decimal without leading zeros: the only IPv4 form nginx, Docker and every parser read alike. */
const IPV4_DOTTED = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;
const PREFIX = /^(?:0|[1-9]\d{0,2})$/;

/**
 * Parses an IPv4/IPv6 address or CIDR, accepting only canonical text: IPv4 in dotted decimal without
 * leading zeros (parsers disagree on `010.0.0.1`: octal or decimal), IPv6 in RFC 5952 form, no zone
 * (`%eth0`: nginx refuses it), no IPv4-mapped IPv6, a decimal prefix. Host bits set under the prefix are
 * refused (nginx would silently ignore them), with the network address suggested instead.
 */
export function parseAddressRange(text: string): AddressRange | AddressProblem {
    if (typeof text !== "string" || text === "" || /\s/.test(text)) {
        return { reason: "must be an IPv4/IPv6 address or CIDR without spaces" };
    }
    const parts = text.split("/");
    if (parts.length > 2) return { reason: "is not a valid CIDR (e.g. 172.30.10.0/24, fd00::/64)" };
    const [addressText, prefixText] = parts;
    if (addressText.includes("%")) {
        return { reason: `has an IPv6 zone, which nginx refuses; write ${addressText.slice(0, addressText.indexOf("%"))}${prefixText !== undefined ? `/${prefixText}` : ""}` };
    }
    let address: ipaddr.IPv4 | ipaddr.IPv6;
    if (IPV4_DOTTED.test(addressText) && ipaddr.IPv4.isValidFourPartDecimal(addressText)) {
        address = ipaddr.IPv4.parse(addressText);
    } else if (addressText.includes(":") && ipaddr.IPv6.isValid(addressText)) {
        address = ipaddr.IPv6.parse(addressText);
        if (address.isIPv4MappedAddress()) {
            return { reason: `is an IPv4-mapped IPv6 address; write the IPv4 address ${address.toIPv4Address().toString()}` };
        }
        const canonical = address.toRFC5952String();
        if (canonical !== addressText) {
            return { reason: `is not in canonical (RFC 5952) form; write ${canonical}${prefixText !== undefined ? `/${prefixText}` : ""}` };
        }
    } else {
        return { reason: "is not an IPv4 address in dotted decimal without leading zeros (e.g. 172.30.10.5), an IPv6 address (e.g. fd00::5), or a CIDR of one" };
    }
    const maxPrefix = address.kind() === "ipv4" ? 32 : 128;
    if (prefixText === undefined) return { text: addressText, kind: address.kind(), prefixLength: maxPrefix };
    if (!PREFIX.test(prefixText) || Number(prefixText) > maxPrefix) {
        return { reason: `has an invalid prefix length; use a decimal number from 0 to ${maxPrefix}` };
    }
    const prefixLength = Number(prefixText);
    const network = address.kind() === "ipv4"
        ? ipaddr.IPv4.networkAddressFromCIDR(text)
        : ipaddr.IPv6.networkAddressFromCIDR(text);
    const networkText = network.kind() === "ipv6" ? (network as ipaddr.IPv6).toRFC5952String() : network.toString();
    if (networkText !== addressText) return { reason: `has host bits set; use ${networkText}/${prefixLength}` };
    return { text, kind: address.kind(), prefixLength };
}

/**
 * Address space where Kong's addresses on a Docker network can live, and that lets no one else in:
 * RFC 1918, RFC 6598 shared space, IPv6 unique local addresses, and loopback (which reaches only the
 * same network namespace).
 */
const PRIVATE_USE: readonly [string, number][] = [
    ["10.0.0.0", 8], ["172.16.0.0", 12], ["192.168.0.0", 16], ["100.64.0.0", 10], ["127.0.0.0", 8],
    ["fc00::", 7], ["::1", 128],
];

/** The widest source range accepted: a Docker network is a /16 at most by default; an IPv6 site a /48. */
export const WIDEST_PREFIX = { ipv4: 16, ipv6: 48 } as const;

const LOOPBACK = new Set(["127.0.0.0", "::1"]);

/**
 * True when every address of the range lies in private-use space (the range is inside one block).
 * `loopback: false` leaves loopback out: a Docker subnet there would take over the host's own addresses.
 */
export function isPrivateUse(range: AddressRange, options: { loopback?: boolean } = {}): boolean {
    const [addr, bits] = ipaddr.parseCIDR(`${range.text.split("/")[0]}/${range.prefixLength}`);
    const blocks = options.loopback === false ? PRIVATE_USE.filter(([block]) => !LOOPBACK.has(block)) : PRIVATE_USE;
    return blocks.some(([block, blockBits]) => {
        const net = ipaddr.parse(block);
        return net.kind() === addr.kind() && bits >= blockBits && addr.match(net, blockBits);
    });
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

/** The most addresses `kongSources` may admit together, per family: one /16, one /48 — what one entry may be. */
export const MOST_ADMITTED = { ipv4: 1n << 16n, ipv6: 1n << 80n } as const;

/**
 * How many distinct addresses the ranges admit together, per family: overlaps count once, so many
 * narrow ranges cannot add up to a wide one unnoticed.
 */
export function addressCount(ranges: readonly AddressRange[]): { ipv4: bigint; ipv6: bigint } {
    const count = { ipv4: 0n, ipv6: 0n };
    for (const kind of ["ipv4", "ipv6"] as const) {
        const width = kind === "ipv4" ? 32 : 128;
        const spans = ranges.filter((r) => r.kind === kind).map((r) => {
            const bytes = ipaddr.parse(r.text.split("/")[0]).toByteArray();
            const start = bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
            return [start, start + (1n << BigInt(width - r.prefixLength)) - 1n] as const;
        }).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        let end = -1n;
        for (const [s, e] of spans) {
            if (e <= end) continue;
            count[kind] += e - (s > end ? s : end + 1n) + 1n;
            end = e;
        }
    }
    return count;
}
