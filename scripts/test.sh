#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need, builds once, runs each test project in turn, and ends
# with one line "N passed, N failed[, N skipped]". Exit status is non-zero if anything failed or did not run.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash scripts/install-test-tools.sh || { echo "0 passed, 1 failed"; exit 1; }
if [ -x "$root/.tools/prometheus/usr/bin/promtool" ]; then export ORCH_PROMTOOL="$root/.tools/prometheus/usr/bin/promtool"; fi
# The deployment tests (tests/Orchestrator.Deployment.Tests) drive these tools; a missing one fails them, never skips.
export ORCH_PROMETHEUS="$root/.tools/prometheus/usr/bin/prometheus" ORCH_HELM="$root/.tools/helm/helm" \
  ORCH_K8S_MODELS="$root/.tools/k8s-models/node_modules"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! dotnet build Orchestrator.sln -c Release -v q -nologo; then
  echo "0 passed, 1 failed"
  exit 1
fi

results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
passed=0; failed=0; skipped=0; broken=0
for project in tests/*.Tests/*.csproj; do
  name="$(basename "$project" .csproj)"
  echo "== $name"
  # --blame: a test host that crashes names the tests it was running (console and a Sequence file beside the trx).
  dotnet test "$project" -c Release --no-build -nologo --blame --logger "trx;LogFileName=$name.trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=1500000
  trx="$results/$name.trx"
  if [ ! -f "$trx" ]; then broken=$((broken + 1)); echo "$name: no results (crashed or timed out)"; continue; fi
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - e))
  # A test host that crashes after its last reported test leaves counters with nothing failed: the run's outcome
  # (Completed when every test ran to an end) is what tells it, so such a run counts as a failure.
  outcome=$(sed -n 's/.*<ResultSummary outcome="\([A-Za-z]*\)".*/\1/p' "$trx")
  if [ "$outcome" != "Completed" ] && [ "${f:-0}" -eq 0 ]; then
    broken=$((broken + 1)); echo "$name: run ended $outcome: $(grep -o 'Reason: [^<]*' "$trx" | head -1)"
  fi
done
failed=$((failed + broken))
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
