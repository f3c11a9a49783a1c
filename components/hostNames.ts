import { parseAddressRange } from "./addresses";

/** One DNS label: lowercase letters, digits and '-', 1-63 characters, no '-' at either end. */
export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/**
 * A last label of digits, or of `0x` and hex digits, makes the URL standard (WHATWG "ends in a number"),
 * glibc's inet_aton and curl read the whole name as an IPv4 address (`127.0.0.010`, `0177.0.0.1`,
 * `2130706433`, `0x7f000001`, `10.1`) — each by its own rules, so they need not agree on which one.
 */
const NUMERIC_LAST_LABEL = /^(?:\d+|0x[0-9a-f]*)$/i;

/**
 * Why `name` is not a DNS name every reader takes as a name; `undefined` when it is one: lowercase
 * LDH labels, at most 253 characters, no last label a parser reads as a number, and not `localhost`
 * (RFC 6761: resolvers answer it with loopback, whatever DNS says).
 */
export function dnsNameProblem(name: unknown): string | undefined {
    if (typeof name !== "string" || name.length === 0 || name.length > 253 || !name.split(".").every((label) => DNS_LABEL.test(label))) {
        return "must be a lowercase DNS name: labels of letters, digits and '-', 1-63 characters each, not starting or ending with '-'";
    }
    if (NUMERIC_LAST_LABEL.test(name.split(".").pop()!)) {
        return "reads as an IPv4 address (its last label is a number), and URL parsers, inet_aton, nginx and curl disagree on which; give a DNS name, and an address as an address field (tls.ipAddresses)";
    }
    if (name === "localhost" || name.endsWith(".localhost")) {
        return "is reserved for loopback (RFC 6761): resolvers answer it with 127.0.0.1 whatever DNS says";
    }
    return undefined;
}

/** The parts of a base URL, as written. */
export interface BaseUrl {
    /** `https://host[:port]`, port left out when it is 443. */
    readonly origin: string;
    readonly host: string;
    readonly hostKind: "dns" | "ipv4" | "ipv6";
}

// Scheme, authority, at most one "/": the host and port are taken from the text as written, never from
// what a URL parser rewrote them to (it reads 010.0.0.1 as octal, 167772161 as an address).
const BASE_URL = /^https:\/\/(\[[^\]]*\]|[^:/?#@[\]\\]*)(?::([^/]*))?\/?$/;
const PORT = /^[1-9]\d{0,4}$/;

/** Parses an https base URL from its text; returns why not, naming what to write instead. */
export function parseBaseUrl(text: unknown): BaseUrl | { reason: string } {
    const example = 'e.g. "https://keys.example.com:9443"';
    const match = typeof text === "string" ? BASE_URL.exec(text) : null;
    if (!match) return { reason: `must be an https URL of a host and an optional port only, nothing else, ${example}` };
    const [, hostText, portText] = match;
    if (portText !== undefined && (!PORT.test(portText) || Number(portText) > 65535)) {
        return { reason: `has port ${JSON.stringify(portText)}; a port is a decimal number from 1 to 65535 without leading zeros` };
    }
    let host: string;
    let hostKind: BaseUrl["hostKind"];
    if (hostText.startsWith("[")) {
        host = hostText.slice(1, -1);
        const parsed = parseAddressRange(host);
        if ("reason" in parsed || parsed.kind !== "ipv6" || host.includes("/")) {
            return { reason: `host ${JSON.stringify(hostText)} ${"reason" in parsed ? parsed.reason : "must be one IPv6 address"}` };
        }
        hostKind = "ipv6";
    } else if (/^[0-9a-fx.]+$/i.test(hostText) && NUMERIC_LAST_LABEL.test(hostText.split(".").pop()!)) {
        // What any parser reads as an IPv4 address must be one in canonical form.
        const parsed = parseAddressRange(hostText);
        if ("reason" in parsed || parsed.kind !== "ipv4") {
            return { reason: `host ${JSON.stringify(hostText)} reads as an IPv4 address but ${"reason" in parsed ? parsed.reason : "is not one"}` };
        }
        host = hostText;
        hostKind = "ipv4";
    } else {
        const problem = dnsNameProblem(hostText);
        if (problem) return { reason: `host ${JSON.stringify(hostText)} ${problem}` };
        host = hostText;
        hostKind = "dns";
    }
    const origin = `https://${hostKind === "ipv6" ? `[${host}]` : host}${portText !== undefined && portText !== "443" ? `:${portText}` : ""}`;
    // The WHATWG parser (what Node, browsers and jose use) must read exactly this origin back.
    let reread: string | undefined;
    try {
        reread = new URL(text as string).origin;
    } catch {
        reread = undefined;
    }
    if (reread !== origin) return { reason: `is read by URL parsers as ${JSON.stringify(reread)}, not as written; write ${JSON.stringify(origin)}` };
    return { origin, host, hostKind };
}
