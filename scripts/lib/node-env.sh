# Sourced by the project's scripts: puts the project's Node (the bootstrapped Node 24
# in .tools/node when present) first on PATH and defines netdiag_node_ok.
_netdiag_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [ -x "$_netdiag_root/.tools/node/bin/node" ]; then
  case ":$PATH:" in *":$_netdiag_root/.tools/node/bin:"*) ;; *) PATH="$_netdiag_root/.tools/node/bin:$PATH" ;; esac
  export PATH
fi
# true when the node on PATH is >= 22.19 (client-node 2.x needs undici 8)
netdiag_node_ok() {
  local v major minor
  v=$(node -p 'process.versions.node' 2>/dev/null) || return 1
  major=${v%%.*}; minor=${v#*.}; minor=${minor%%.*}
  [ "$major" -gt 22 ] || { [ "$major" -eq 22 ] && [ "$minor" -ge 19 ]; }
}
# npm warns about a machine-level "nodedir" setting on every call; it is not ours.
export npm_config_loglevel=${npm_config_loglevel:-error}
