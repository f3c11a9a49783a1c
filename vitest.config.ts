import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        // Drills that restart dockerd run alone, after the rest (vitest.disruptive.config.ts).
        exclude: ["test/disruptive/**", "**/node_modules/**"],
        // Component tests register resources against process-wide mocks: one file per process.
        pool: "forks",
        testTimeout: 120_000,
        hookTimeout: 180_000,
        reporters: ["default"],
    },
});
