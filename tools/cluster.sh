#!/usr/bin/env bash
# tools/cluster.sh [--scenario seed-004|seed-003|default] [--nodes N] [--no-workload] [--no-components]
#                  [--skip-build] [--verbose] — the main job (`npm run cluster`).
#
# Builds the pinned binaries (tools/build-binaries.sh, cached), bundles the local-cluster CLI
# (libs/local-cluster/src/cli.ts) and runs it: a real control plane on loopback, our webhook + controller + one agent
# per simulated node (built with nx, cached), simulated nodes whose pods are network namespaces wired by
# Multus → bridge → our spiderpool IPAM; then, by default, the seed 004 quick start (SpiderMultusConfig rendered
# into its NAD by our controller, pool, Deployment) printing `kubectl get spidermultusconfigs -n kube-system`,
# `get network-attachment-definitions -n kube-system`, `get spiderippool`, `get spiderendpoints -A`,
# `get spidercoordinator` (Synced from the installer's kube-system/kubeadm-config) and the pod IPs. Prints `export KUBECONFIG=…`, runs until Ctrl-C, then removes
# everything it created. Needs root (network namespaces, bridges). See docs/adr/0009-simulated-nodes.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
case " $* " in *" -h "*|*" --help "*) ;; *)
  if [ "$(id -u)" != 0 ]; then
    echo "cluster: needs root (it creates network namespaces, veths and bridges); try: sudo tools/run npm run cluster" >&2
    exit 1
  fi
  echo "==> system packages"; bash tools/system-deps.sh
  echo "==> binaries (cached after the first build)"; bash tools/build-binaries.sh
esac
OUT="$ROOT/dist/tools/cluster.mjs"
echo "==> bundling the local-cluster CLI"
tools/run esbuild libs/local-cluster/src/cli.ts --bundle --platform=node --format=esm --target=node24 \
  --tsconfig=libs/local-cluster/tsconfig.json --external:esbuild --sourcemap --log-level=warning --outfile="$OUT" \
  "--banner:js=import { createRequire as __spCreateRequire } from 'node:module'; const require = __spCreateRequire(import.meta.url);"
# exec: node receives Ctrl-C (SIGINT) / SIGTERM itself and tears the cluster down before exiting.
exec tools/run node --enable-source-maps "$OUT" "$@"
