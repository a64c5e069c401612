#!/usr/bin/env bash
# The README's test command (`tools/run npm test`): every tier, in order, failing on the first failure.
# Installs what it needs itself: Debian packages (as root), Go-built binaries (cached outside the repo).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n=== %s (+%ss)\n' "$*" "$(( $(date +%s) - start ))"; }

step "system packages"
bash tools/system-deps.sh

if [ -f tools/build-binaries.sh ]; then
  step "Go-built binaries (etcd, kube-*, helm, multus, CNI plugins)"
  bash tools/build-binaries.sh
fi

step "lint, typecheck, generated-artifact verification, unit tests, builds"
nx run-many -t lint typecheck verify test build --outputStyle=stream

step "integration tier (real etcd + kube-apiserver)"
nx run-many -t test-int --parallel=1 --outputStyle=stream

step "node tier (root + network namespaces)"
nx run-many -t test-node --parallel=1 --outputStyle=stream

if nx show project e2e --json | grep -q '"e2e-local"'; then
  step "local-cluster e2e"
  nx run e2e:e2e-local --outputStyle=stream
fi
step "all tiers passed"
