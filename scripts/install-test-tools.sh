#!/usr/bin/env bash
# Installs what the test suite needs, if missing: redis-server (Debian package) and promtool (from the Debian
# prometheus package, unpacked into .tools/ without installing a service). Safe to run again.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools"

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then apt-get update -qq >/dev/null; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v redis-server >/dev/null 2>&1; then
  echo "installing redis-server"
  apt_install redis-server
  # The package starts a system service on 6379; the tests start their own servers on free ports.
  (service redis-server stop || true) >/dev/null 2>&1
fi

if [ ! -x "$tools/prometheus/usr/bin/promtool" ] && ! command -v promtool >/dev/null 2>&1; then
  echo "unpacking promtool"
  if [ -z "$apt_updated" ]; then apt-get update -qq >/dev/null; apt_updated=1; fi
  (cd "$tools" && apt-get download -qq prometheus >/dev/null && dpkg -x prometheus_*.deb prometheus && rm -f prometheus_*.deb)
fi

if ! command -v g++ >/dev/null 2>&1; then
  echo "installing g++ (TorchSharp's native shim on Debian 12)"
  apt_install g++
fi

# Gloo (PyTorch's CPU collective library) for the network communicator; its shim is compiled against these headers.
if [ ! -f /usr/include/gloo/allreduce.h ]; then
  echo "installing libgloo-dev (network communicator)"
  apt_install libgloo-dev
fi
