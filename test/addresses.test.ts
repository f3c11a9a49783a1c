import { describe, expect, it } from "vitest";
import { isPrivateUse, parseAddressRange, type AddressRange } from "../components/addresses";
import { resolveSettings } from "../components/settings";
import { KongSigningKeyHostInputError } from "../components/errors";

const parsed = (text: string) => parseAddressRange(text) as AddressRange;
const base = { keysets: { access: { generations: ["2026-11"] } }, kongSources: ["172.30.10.0/24"] };
function sourceError(source: string): KongSigningKeyHostInputError | undefined {
    try {
        resolveSettings("kong-keys", { ...base, kongSources: [source] });
        return undefined;
    } catch (e) {
        return e as KongSigningKeyHostInputError;
    }
}

// Class: only canonical address text, in every address field (one parser serves them all).
describe("address text: canonical forms only", () => {
    it.each([
        ["172.30.10.5"], ["172.30.10.0/24"], ["0.0.0.0"], ["10.0.0.0/8"], ["fd00::5"], ["fd00::/64"], ["::1"], ["fd00:0:0:1::1"],
    ])("accepts %s as given", (text) => {
        expect(parsed(text).text).toBe(text);
    });

    it.each([
        ["010.0.0.1", /dotted decimal without leading zeros/],
        ["10.0.0.01", /dotted decimal without leading zeros/],
        ["0x0a.0.0.1", /dotted decimal without leading zeros/],
        ["167772161", /dotted decimal without leading zeros/],
        ["10.1", /dotted decimal without leading zeros/],
        ["256.0.0.1", /dotted decimal without leading zeros/],
        ["fd00::1%eth0", /zone, which nginx refuses; write fd00::1$/],
        ["FD00::1", /RFC 5952.*write fd00::1$/],
        ["fd00:0:0:0::1", /RFC 5952.*write fd00::1$/],
        ["fd00:0:0::/64", /RFC 5952.*write fd00::\/64$/],
        ["::ffff:10.0.0.1", /IPv4-mapped.*write the IPv4 address 10\.0\.0\.1/],
        ["10.0.0.0/08", /prefix length/],
        ["10.0.0.0/33", /prefix length/],
        ["10.0.0.5/24", /host bits set; use 10\.0\.0\.0\/24/],
        [" 10.0.0.1", /without spaces/],
        ["10.0.0.0/24/1", /not a valid CIDR/],
    ])("refuses %s, naming the form it expects", (text, reason) => {
        const result = parseAddressRange(text);
        expect("reason" in result && result.reason).toMatch(reason);
    });
});

// Class: sources must lie entirely in private-use space, no wider than /16 (IPv4) or /48 (IPv6).
describe("kongSources: private-use space only, every address of the range", () => {
    it.each([
        ["172.30.10.0/24"], ["10.1.2.3"], ["10.20.0.0/16"], ["192.168.0.0/16"], ["100.64.1.0/24"], ["172.31.255.0/24"],
        ["fd00::/64"], ["fd12:3456:789a::/48"], ["127.0.0.1"], ["::1"],
    ])("accepts %s", (source) => {
        expect(isPrivateUse(parsed(source))).toBe(true);
        expect(sourceError(source)).toBeUndefined();
    });

    it.each([
        ["0.0.0.0/0", /not inside private-use space/],
        ["0.0.0.0/1", /not inside private-use space/],
        ["128.0.0.0/1", /not inside private-use space/],
        ["8.8.8.0/24", /not inside private-use space/],
        ["172.15.255.0/24", /not inside private-use space/],
        ["172.0.0.0/11", /not inside private-use space/],
        ["100.63.0.0/16", /not inside private-use space/],
        ["192.168.0.0/15", /not inside private-use space/],
        ["2001:db8::/32", /not inside private-use space/],
        ["::/0", /not inside private-use space/],
        ["fc00::/6", /not inside private-use space/],
        ["10.0.0.0/8", /wider than \/16/],
        ["172.16.0.0/12", /wider than \/16/],
        ["fd00::/8", /wider than \/48/],
    ])("refuses %s", (source, reason) => {
        const error = sourceError(source);
        expect(error?.code).toBe("ERR_KSKH_EXPOSURE");
        expect(error?.field).toBe("kongSources");
        expect(error?.message).toMatch(reason);
    });

    it("still denies the dedicated network's gateway inside an allowed subnet", () => {
        const s = resolveSettings("kong-keys", { ...base, kongSources: ["172.30.10.0/24"], docker: { subnet: "172.30.10.0/24" } });
        expect(s.denySources).toEqual(["172.30.10.1"]);
    });
});
