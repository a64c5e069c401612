#!/usr/bin/env bash
# The README's test command (`tools/run npm test`): every tier, in order, failing on the first failure.
# Installs what it needs itself: Debian packages (as root), Go-built binaries (cached outside the repo).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n=== %s (+%ss)\n' "$*" "$(( $(date +%s) - start ))"; }

work="$(mktemp -d)"
export SP_TEST_SUMMARY="$work/summary"
: > "$SP_TEST_SUMMARY"
cp_pid=""
finish() {
  rc=$?
  if [ -n "$cp_pid" ]; then kill -TERM "$cp_pid" 2>/dev/null || true; wait "$cp_pid" 2>/dev/null || true; fi
  # One closing line over every Jest run: "N passed, N failed, N skipped".
  awk '{p+=$1; f+=$2; s+=$3} END {printf "\ntests: %d passed, %d failed, %d skipped\n", p, f, s}' "$SP_TEST_SUMMARY"
  rm -rf "$work"
  exit "$rc"
}
trap finish EXIT

step "system packages"
bash tools/system-deps.sh

step "Go-built binaries (etcd, kube-*, helm, multus, CNI plugins)"
bash tools/build-binaries.sh

# Nx's local cache would skip tests that passed before; the summary must count what ran now.
export NX_SKIP_NX_CACHE=true

step "lint, typecheck, generated-artifact verification, unit tests, builds"
nx run-many -t lint typecheck verify test build --outputStyle=stream

step "integration tier: one real control plane (etcd + kube-apiserver + controller-manager + scheduler) for all projects"
node libs/testing/control-plane.mjs --write-env "$work/cp.env" &
cp_pid=$!
until [ -s "$work/cp.env" ]; do
  kill -0 "$cp_pid" 2>/dev/null || { echo "control plane failed to start" >&2; exit 1; }
  sleep 0.5
done
# shellcheck disable=SC1091
source "$work/cp.env"
nx run-many -t test-int --parallel=1 --outputStyle=stream
kill -TERM "$cp_pid"; wait "$cp_pid" || true; cp_pid=""
unset SPIDERPOOL_TEST_KUBECONFIG

step "node tier (root + network namespaces)"
nx run-many -t test-node --parallel=1 --outputStyle=stream

if nx show project e2e --json | grep -q '"e2e-local"'; then
  step "local-cluster e2e"
  nx run e2e:e2e-local --outputStyle=stream
fi
step "kind e2e (runs where Docker and kind exist; otherwise each suite skips with the reason)"
nx run e2e:e2e-kind --outputStyle=stream

step "all tiers passed"
