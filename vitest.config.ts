import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        // Component tests register resources against process-wide mocks: one file per process.
        pool: "forks",
        testTimeout: 120_000,
        hookTimeout: 180_000,
        reporters: ["default"],
    },
});
