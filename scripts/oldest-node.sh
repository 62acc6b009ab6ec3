#!/usr/bin/env bash
# Prints the path of a `node` of the oldest release package.json's `engines` allows (">=22" →
# 22.0.0), installed like ci/use-node.sh does: the `node-<os>-<arch>` package from the npm
# registry, in a cache directory. CI runs the examples, the smoke import and the bin with it.
set -euo pipefail
cd "$(dirname "$0")/.."
range=$(node -p 'require("./package.json").engines.node')
version=$(node -p '(/^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(process.argv[1]) ?? []).slice(1, 4).map((n) => n ?? 0).join(".")' "$range")
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "oldest-node: cannot read engines.node \"$range\"" >&2; exit 1; }
pkg="node-$(uname -s | tr A-Z a-z)-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')"
dir="${NODE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/node-bin}/$pkg-$version"
if [ ! -x "$dir/node_modules/$pkg/bin/node" ]; then
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp" && echo '{}' > "$dir.tmp/package.json"
  npm install --prefix "$dir.tmp" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
    --no-update-notifier --loglevel=error "$pkg@$version" >&2
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
fi
echo "$dir/node_modules/$pkg/bin/node"
