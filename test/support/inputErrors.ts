import { expect } from "vitest";
import { KongSigningKeyHostInputError } from "../../components/errors";

/** The input error `run` throws (anything else thrown fails the test), or undefined when it throws none. */
export function inputErrorOf(run: () => unknown): KongSigningKeyHostInputError | undefined {
    try {
        run();
        return undefined;
    } catch (e) {
        expect(e).toBeInstanceOf(KongSigningKeyHostInputError);
        return e as KongSigningKeyHostInputError;
    }
}
