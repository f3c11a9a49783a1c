import { defineConfig } from "vitest/config";
import base from "./vitest.config";

// Drills that disturb every test running beside them (a dockerd restart): run alone, after the rest
// (scripts/test.sh).
export default defineConfig({
    test: {
        ...base.test,
        include: ["test/disruptive/**/*.test.ts"],
        exclude: [],
        fileParallelism: false,
    },
});
