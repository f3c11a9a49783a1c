import { fail, InputErrorCode } from "./errors";

/**
 * The allowed range of every whole-number input: resolveSettings enforces it and args.ts states it
 * ("Allowed: min to max."), which the schema test compares, so other languages' SDK docs say exactly
 * what is checked. A bound that depends on another input names it.
 */
export type Bound = number | { readonly field: string; readonly offset: number };

export const INTEGER_LIMITS = {
    "docker.publicPort": { min: 1, max: 65535 },
    "docker.memoryMb": { min: 16, max: 65536 },
    "docker.maxProcesses": { min: 8, max: 4096 },
    "docker.healthcheckIntervalSeconds": { min: 1, max: 300 },
    "docker.healthcheckStartIntervalMs": { min: 100, max: 10000 },
    publicMaxAgeSeconds: { min: 0, max: 86400 },
    "tls.certValidityHours": { min: 24, max: 9528 },
    "tls.certEarlyRenewalHours": { min: 0, max: { field: "tls.certValidityHours", offset: -1 } },
    "tls.caValidityHours": { min: { field: "tls.certValidityHours", offset: 0 }, max: 175200 },
    "jwtSigner.keysetRotatePeriod": { min: 0, max: 31536000 },
    "kubernetes.replicas": { min: 1, max: 20 },
} as const satisfies Record<string, { min: Bound; max: Bound }>;

export type IntegerField = keyof typeof INTEGER_LIMITS;

/** How a bound reads in a description: `24`, `certValidityHours`, `certValidityHours - 1`. */
export function describeBound(bound: Bound): string {
    if (typeof bound === "number") return String(bound);
    const name = bound.field.split(".").pop()!;
    return bound.offset === 0 ? name : `${name} ${bound.offset < 0 ? "-" : "+"} ${Math.abs(bound.offset)}`;
}

/** `value`, or `fallback` when absent; a fraction or a value outside the field's range is refused, naming the field. */
export function requireInteger(field: IntegerField, value: number | undefined, fallback: number, known: Readonly<Record<string, number>> = {}): number {
    if (value === undefined) return fallback;
    const min = resolveBound(INTEGER_LIMITS[field].min, known);
    const max = resolveBound(INTEGER_LIMITS[field].max, known);
    if (!Number.isInteger(value) || value < min || value > max) {
        fail(InputErrorCode.Invalid, field, `(${JSON.stringify(value)}) must be a whole number from ${min} to ${max}`);
    }
    return value;
}

/** The numeric value of a bound, given the values it may depend on. */
export function resolveBound(bound: Bound, values: Readonly<Record<string, number>>): number {
    return typeof bound === "number" ? bound : values[bound.field] + bound.offset;
}
