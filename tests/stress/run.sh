#!/usr/bin/env bash
# The suite's determinism check (issue 9): the app's tests with every deferral slowed,
# then the whole suite three times in a row beside two busy loops. Exits non-zero at the
# first failing run. `make stress` runs it; it takes about ten minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTEST=${PYTEST:-.venv/bin/pytest}

echo "== the app's tests with every deferral 0.3 s late"
BACKPROP_TUTOR_SLOW_DEFERRALS=0.3 "$PYTEST" -p no:cacheprovider tests/tui tests/study

busy=()
stop_busy() { [ ${#busy[@]} -eq 0 ] || kill "${busy[@]}" 2>/dev/null || true; }
trap stop_busy EXIT
for _ in 1 2; do
    (while :; do :; done) &
    busy+=($!)
done
for run in 1 2 3; do
    echo "== whole suite, run $run of 3, beside two busy loops"
    "$PYTEST" -p no:cacheprovider
done
echo "== all green"
