# check-detection-tools.sh ROOT TOOL... — fail, naming the packages to install, when a TOOL is not an executable in
# ROOT/usr/{local/sbin,local/bin,sbin,bin} (ROOT: the host's /usr mounted under it). The spiderpool CNI executable runs
# on the host and execs arping (IPv4) and ndisc6 (IPv6) when ipam.enableIPConflictDetection or
# ipam.enableGatewayDetection is on (ADR 0014). Run as: sh -c "$(cat check-detection-tools.sh)" check-detection-tools ROOT TOOL…
set -eu
root="$1"
shift
missing=""
for tool in "$@"; do
  found=""
  for dir in usr/local/sbin usr/local/bin usr/sbin usr/bin; do
    if [ -f "$root/$dir/$tool" ] && [ -x "$root/$dir/$tool" ]; then
      found="/$dir/$tool"
      break
    fi
  done
  if [ -n "$found" ]; then
    echo "check-detection-tools: found $found"
  else
    missing="$missing $tool"
  fi
done
if [ -n "$missing" ]; then
  packages=""
  for tool in $missing; do
    case "$tool" in
      arping) packages="$packages iputils-arping" ;;
      *) packages="$packages $tool" ;;
    esac
  done
  echo "check-detection-tools: ipam.enableIPConflictDetection / ipam.enableGatewayDetection need${missing} on every node" \
    "(the spiderpool CNI runs on the host); install them (Debian/Ubuntu: apt-get install${packages};" \
    "RHEL/Fedora: iputils and ndisc6) or turn detection off" >&2
  exit 1
fi
