#!/usr/bin/env bash
# Debian packages the tests and the local cluster use. Installs only what is missing; needs root for that.
set -euo pipefail
need=()
command -v ip >/dev/null || need+=(iproute2)
command -v ping >/dev/null || need+=(iputils-ping)
command -v nsenter >/dev/null || need+=(util-linux)
command -v iptables >/dev/null || need+=(iptables)
command -v openssl >/dev/null || need+=(openssl)
command -v arping >/dev/null || need+=(iputils-arping)
command -v ndisc6 >/dev/null || need+=(ndisc6)
if [ ${#need[@]} -eq 0 ]; then echo "system packages present"; exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
  exit 1
fi
echo "installing: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
