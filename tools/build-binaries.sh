#!/usr/bin/env bash
# tools/build-binaries.sh — builds the real Kubernetes/CNI binaries the int/node/e2e tiers run, from Go modules.
#
#   etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, helm, multus (thin), CNI plugins, cnitool
#
# Versions are pinned in tools/versions.env. Output is cached outside the repo, keyed by version:
#   ${SPIDERPOOL_CACHE:-$HOME/.cache/spiderpool-ts}/bin/<component>-<version>/
# A component whose stamp matches and whose binary answers `--version` is a cache hit (no Go work at all).
# Wrapper modules (needed where upstream's go.mod has replace directives, which `go install` refuses) live in
#   ${SPIDERPOOL_CACHE}/go-work/<component>-<version>/
# The script ends by writing ${SPIDERPOOL_CACHE}/bin/current.env (SP_ETCD=..., read by @spiderpool/testing).
# See docs/adr/0005-local-control-plane.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=versions.env
source "$ROOT/tools/versions.env"
CACHE="${SPIDERPOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spiderpool-ts}"
BIN="$CACHE/bin"
WORK="$CACHE/go-work"
# Bump when a recipe below changes in a way that must invalidate cached binaries.
RECIPE=1

export GOTOOLCHAIN=local CGO_ENABLED=0
export GOFLAGS="${GOFLAGS:--buildvcs=false}"

log() { printf '[build-binaries] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
CURRENT_STEP="setup"
trap 'rc=$?; [ $rc -eq 0 ] || log "FAILED during: $CURRENT_STEP (exit $rc); the go output above names the cause"' EXIT

command -v go >/dev/null ||
  die "no 'go' on PATH. Install Go >= 1.26 (https://go.dev/dl/, or the golang-1.26 package) and re-run."
GOVER="$(go env GOVERSION)"          # go1.26.8
gv="${GOVER#go}"; gmaj="${gv%%.*}"; gmin="${gv#*.}"; gmin="${gmin%%.*}"
if [ "$gmaj" -lt 1 ] || { [ "$gmaj" -eq 1 ] && [ "$gmin" -lt 26 ]; }; then
  die "Go $gv found, Go >= 1.26 needed (the pinned modules declare 'go 1.26.0'; GOTOOLCHAIN=local forbids auto-download)."
fi
mkdir -p "$BIN" "$WORK"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

# cached NAME VERSION BINARY... — true when the stamp matches and every binary exists.
cached() {
  local dir="$BIN/$1-$2"; shift 2
  [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "recipe=$RECIPE go=$GOVER" ] || return 1
  local b; for b in "$@"; do [ -x "$dir/$b" ] || return 1; done
}
stamp() { echo "recipe=$RECIPE go=$GOVER" > "$BIN/$1-$2/.stamp"; }

# wrapper_module DIR — a throwaway module in the cache that requires the tool as a dependency.
wrapper_module() {
  mkdir -p "$1"; cd "$1"
  [ -f go.mod ] || go mod init local/spiderpool-build >/dev/null 2>&1
}

# ---------------------------------------------------------------------------------------------------------------
# etcd: server/v3's go.mod has `replace ... => ../api` etc., so `go install` is refused -> wrapper module.
build_etcd() {
  local v="$ETCD_VERSION" out="$BIN/etcd-$ETCD_VERSION" t
  if cached etcd "$v" etcd && "$out/etcd" --version 2>/dev/null | grep -q "etcd Version: ${v#v}"; then
    log "etcd $v: cached"; return; fi
  CURRENT_STEP="etcd $v"; log "etcd $v: building"; t=$(now)
  wrapper_module "$WORK/etcd-$v"
  go get -tool "go.etcd.io/etcd/server/v3@$v"
  mkdir -p "$out"
  go build -trimpath -pgo=off -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$v" \
    -o "$out/etcd" go.etcd.io/etcd/server/v3
  "$out/etcd" --version | grep -q "etcd Version: ${v#v}" || die "etcd --version does not report ${v#v}"
  stamp etcd "$v"; log "etcd $v: built in $(elapsed "$t")s"
}

# ---------------------------------------------------------------------------------------------------------------
# Kubernetes: k8s.io/kubernetes requires every staging module at v0.0.0 (+ replace => ./staging/...), and the
# module zip has no staging/ -> wrapper module that replaces each one with its published twin v0.<minor>.<patch>.
# The list is generated from upstream's own go.mod at the pinned tag. The four mains are built in ONE go build
# so they share compilation of the common packages.
K8S_BINS=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
build_kubernetes() {
  local v="$KUBERNETES_VERSION" out="$BIN/kubernetes-$KUBERNETES_VERSION" t
  if cached kubernetes "$v" "${K8S_BINS[@]}" && "$out/kube-apiserver" --version 2>/dev/null | grep -qx "Kubernetes $v"; then
    log "kubernetes $v: cached"; return; fi
  CURRENT_STEP="kubernetes $v (module setup)"; log "kubernetes $v: building ${K8S_BINS[*]}"; t=$(now)
  local minor="${v#v1.}" staging="v0.${v#v1.}"
  minor="${minor%%.*}"
  wrapper_module "$WORK/kubernetes-$v"
  go mod download "k8s.io/kubernetes@$v"
  local kmod; kmod="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$v.mod"
  # Mirror upstream's go and godebug lines (1.36: go 1.26.0, godebug default=go1.26).
  go mod edit -go="$(awk '$1=="go"{print $2; exit}' "$kmod")"
  grep -E '^godebug ' "$kmod" | while read -r _ kv; do go mod edit -godebug="$kv"; done
  local m n=0
  while read -r m; do go mod edit -replace="$m=$m@$staging"; n=$((n+1)); done < <(
    grep -E '^[[:space:]]+k8s\.io/[^ ]+ v0\.0\.0([[:space:]]|$)' "$kmod" | awk '{print $1}' | sort -u)
  log "kubernetes $v: $n staging modules replaced by their $staging twins"
  local pkgs=() b; for b in "${K8S_BINS[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$b"); done
  go get -tool "${pkgs[@]/%/@$v}"
  local commit
  commit="$(go mod download -json "k8s.io/kubernetes@$v" | awk -F'"' '$2=="Hash"{print $4; exit}')"
  local ldf="-s -w" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldf+=" -X $p.gitVersion=$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
    ldf+=" -X $p.buildDate=1970-01-01T00:00:00Z${commit:+ -X $p.gitCommit=$commit}"
  done
  CURRENT_STEP="kubernetes $v (go build ${K8S_BINS[*]})"
  mkdir -p "$out"
  go build -trimpath -pgo=off -ldflags "$ldf" -o "$out/" "${pkgs[@]}"
  "$out/kube-apiserver" --version | grep -qx "Kubernetes $v" || die "kube-apiserver --version does not report $v"
  stamp kubernetes "$v"; log "kubernetes $v: built in $(elapsed "$t")s"
}

# ---------------------------------------------------------------------------------------------------------------
# helm v3: no replace directives since v3.7 -> plain go install. ldflags as in helm's Makefile, so client-only
# rendering assumes the pinned Kubernetes minor instead of the hard-coded v1.20 default.
build_helm() {
  local v="$HELM_VERSION" out="$BIN/helm-$HELM_VERSION" t
  if cached helm "$v" helm && "$out/helm" version --short 2>/dev/null | grep -q "^$v"; then
    log "helm $v: cached"; return; fi
  CURRENT_STEP="helm $v"; log "helm $v: building"; t=$(now)
  local kminor="${KUBERNETES_VERSION#v1.}" ldf="-s -w" p
  kminor="${kminor%%.*}"
  ldf+=" -X helm.sh/helm/v3/internal/version.version=$v -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  for p in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
    ldf+=" -X $p.k8sVersionMajor=1 -X $p.k8sVersionMinor=$kminor"
  done
  mkdir -p "$out"
  GOBIN="$out" go install -trimpath -pgo=off -ldflags "$ldf" "helm.sh/helm/v3/cmd/helm@$v"
  "$out/helm" version --short | grep -q "^$v" || die "helm version does not report $v"
  stamp helm "$v"; log "helm $v: built in $(elapsed "$t")s"
}

# ---------------------------------------------------------------------------------------------------------------
# CNI reference plugins: no replace -> go install of all plugin packages in one command (shared compilation).
CNI_PLUGIN_NAMES=()
for p in $CNI_PLUGINS; do CNI_PLUGIN_NAMES+=("${p#*/}"); done
build_cni_plugins() {
  local v="$CNI_PLUGINS_VERSION" out="$BIN/cni-plugins-$CNI_PLUGINS_VERSION" t
  if cached cni-plugins "$v" "${CNI_PLUGIN_NAMES[@]}"; then log "cni-plugins $v: cached"; return; fi
  CURRENT_STEP="cni-plugins $v"; log "cni-plugins $v: building ${CNI_PLUGIN_NAMES[*]}"; t=$(now)
  local pkgs=() p
  for p in $CNI_PLUGINS; do pkgs+=("github.com/containernetworking/plugins/plugins/$p@$v"); done
  mkdir -p "$out"
  GOBIN="$out" go install -trimpath -pgo=off \
    -ldflags "-s -w -X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=$v" "${pkgs[@]}"
  stamp cni-plugins "$v"; log "cni-plugins $v: built in $(elapsed "$t")s"
}

build_cnitool() {
  local v="$CNITOOL_VERSION" out="$BIN/cnitool-$CNITOOL_VERSION" t
  if cached cnitool "$v" cnitool; then log "cnitool $v: cached"; return; fi
  CURRENT_STEP="cnitool $v"; log "cnitool $v: building"; t=$(now)
  mkdir -p "$out"
  GOBIN="$out" go install -trimpath -pgo=off -ldflags "-s -w" "github.com/containernetworking/cni/cnitool@$v"
  stamp cnitool "$v"; log "cnitool $v: built in $(elapsed "$t")s"
}

# ---------------------------------------------------------------------------------------------------------------
# Multus thin plugin: v4.1.4+ has no replace, but `go install M/cmd/multus@v` fails here anyway: it loads the
# module's deprecation notice from the proxy's list endpoint, which answers 403 for this gopkg.in path:
#   go: gopkg.in/k8snetworkplumbingwg/multus-cni.v4/cmd/multus@v4.2.4: loading deprecation for ...:
#   reading https://proxy.golang.org/gopkg.in/k8snetworkplumbingwg/multus-cni.v4/@v/list: 403 Forbidden
# A wrapper module that pins the exact version (go mod edit, no query) and `go mod tidy` never asks the list.
# The pins are tried in order; the first that downloads is used (and reported).
MULTUS_MODULE=gopkg.in/k8snetworkplumbingwg/multus-cni.v4
MULTUS_VERSION=""
build_multus() {
  local v out t
  for v in $MULTUS_VERSIONS; do
    if cached multus "$v" multus; then MULTUS_VERSION="$v"; log "multus $v: cached"; return; fi
  done
  for v in $MULTUS_VERSIONS; do
    CURRENT_STEP="multus $v (download)"
    if go mod download "$MULTUS_MODULE@$v" >/dev/null 2>&1; then MULTUS_VERSION="$v"; break; fi
    log "multus $v: not downloadable from the module proxy, trying the next pin"
  done
  [ -n "$MULTUS_VERSION" ] || die "none of the multus versions ($MULTUS_VERSIONS) could be downloaded"
  v="$MULTUS_VERSION"; out="$BIN/multus-$v"
  CURRENT_STEP="multus $v"; log "multus $v: building"; t=$(now)
  wrapper_module "$WORK/multus-$v"
  go mod edit -require="$MULTUS_MODULE@$v" -tool="$MULTUS_MODULE/cmd/multus"
  go mod tidy
  mkdir -p "$out"
  go build -trimpath -pgo=off -ldflags "-s -w -X $MULTUS_MODULE/pkg/multus.version=$v" -o "$out/multus" \
    "$MULTUS_MODULE/cmd/multus"
  stamp multus "$v"; log "multus $v: built in $(elapsed "$t")s"
}

# ---------------------------------------------------------------------------------------------------------------
total=$(now)
only="${1:-all}"   # `build-binaries.sh control-plane` builds just etcd + kubernetes
build_etcd
build_kubernetes
if [ "$only" != "control-plane" ]; then
  build_helm
  build_cni_plugins
  build_cnitool
  build_multus
fi

# One directory with every CNI executable (reference plugins + multus), as CNI_PATH expects.
CURRENT_STEP="current.env"
ENVF="$BIN/current.env"
{
  echo "# written by tools/build-binaries.sh — absolute paths of the pinned test binaries"
  echo "export SP_ETCD='$BIN/etcd-$ETCD_VERSION/etcd'"
  for b in "${K8S_BINS[@]}"; do
    n="$(echo "$b" | tr 'a-z-' 'A-Z_')"
    echo "export SP_${n}='$BIN/kubernetes-$KUBERNETES_VERSION/$b'"
  done
  echo "export SP_KUBERNETES_VERSION='$KUBERNETES_VERSION'"
  echo "export SP_ETCD_VERSION='$ETCD_VERSION'"
  if [ "$only" != "control-plane" ]; then
    cnidir="$BIN/cni-bin-$CNI_PLUGINS_VERSION-multus-$MULTUS_VERSION"
    mkdir -p "$cnidir"
    for b in "${CNI_PLUGIN_NAMES[@]}"; do ln -sfn "$BIN/cni-plugins-$CNI_PLUGINS_VERSION/$b" "$cnidir/$b"; done
    ln -sfn "$BIN/multus-$MULTUS_VERSION/multus" "$cnidir/multus"
    echo "export SP_HELM='$BIN/helm-$HELM_VERSION/helm'"
    echo "export SP_CNI_BIN_DIR='$cnidir'"
    echo "export SP_CNITOOL='$BIN/cnitool-$CNITOOL_VERSION/cnitool'"
    echo "export SP_MULTUS_VERSION='$MULTUS_VERSION'"
  fi
} > "$ENVF.tmp"
mv "$ENVF.tmp" "$ENVF"
log "all done in $(elapsed "$total")s; wrote $ENVF"
CURRENT_STEP="done"
