#!/usr/bin/env bash
# The test command: installs what the tests need, then runs every test.
#   npm test   (or: bash scripts/test.sh)
# Prints a plain "N passed, N failed" line last.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/provision.sh || { echo "0 passed, 1 failed"; exit 1; }
# `npm install`, not `npm ci`: vite lists an optional dependency the registry does not have
# (napi-windows-process-start-time, 404), which npm install skips and npm ci calls "out of sync".
if [ ! -d node_modules/@pulumi/pulumi ] || [ package.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund --loglevel=error || { echo "0 passed, 1 failed"; exit 1; }
fi

# The real Pulumi engine the engine tests drive: the CLI on PATH, or our build from Go modules (cached; a
# cold build takes several minutes on 2 cores and prints where its log is).
bash scripts/engine.sh || { echo "0 passed, 1 failed"; exit 1; }

# The Kubernetes cluster the cluster tests drive: the one KUBECONFIG reaches, or ours, built from Go modules
# (cached; a cold build takes tens of minutes on 2 cores and prints where its log is) and started as host
# processes (cluster/README.md).
bash scripts/cluster.sh up || { echo "0 passed, 1 failed"; exit 1; }

# What the other-language examples install (provider/'s npm packages, the Python example's wheels, the Go
# example's modules): the tests install them offline.
bash scripts/example-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

report="$root/.state/vitest-report.json"
disruptive_report="$root/.state/vitest-disruptive-report.json"
mkdir -p "$root/.state"
rm -f "$report" "$disruptive_report"
typecheck_failed=0
# The type check (the component, tests, benches, and the package's provider) and lint (oxlint's
# correctness rules) through their npm scripts, so what each covers is listed once (package.json);
# a finding fails the run like a failed test.
npm run --silent typecheck || typecheck_failed=1
npm run --silent lint || typecheck_failed=1
npx vitest run --reporter=default --reporter=json --outputFile.json="$report"
status=$?
# Drills that restart dockerd disturb every test beside them: alone, after the rest.
npx vitest run --config vitest.disruptive.config.ts --reporter=default --reporter=json --outputFile.json="$disruptive_report"
disruptive_status=$?
node -e '
const fs = require("node:fs");
const tc = Number(process.argv[1]);
let passed = tc ? 0 : 1, failed = tc, skipped = 0;
for (const file of process.argv.slice(2)) {
    // A run that wrote no report (it could not start) counts as one failure.
    if (!fs.existsSync(file)) { failed += 1; continue; }
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    // A suite whose setup failed counts as failed even though its tests only show as skipped.
    const failedSuites = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.every((a) => a.status !== "failed")).length;
    passed += r.numPassedTests; failed += r.numFailedTests + failedSuites; skipped += r.numPendingTests;
}
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$typecheck_failed" "$report" "$disruptive_report" 2>/dev/null || echo "0 passed, 1 failed"
[ "$status" -eq 0 ] && [ "$disruptive_status" -eq 0 ] && [ "$typecheck_failed" -eq 0 ]
