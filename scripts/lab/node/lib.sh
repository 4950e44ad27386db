# shellcheck shell=bash
# shellcheck disable=SC2034  # variables are used by the scripts that source this file
# Node level of the lab (scripts/lab/node/{up,down,smoke}); sourced after
# scripts/lab/lib.sh. See docs/adr/0007-lab-node.md.
#
# State under $LAB_DIR/node (removed by down); persistent things in the cache:
#   $NODE_CACHE/bin             containerd/socat copies, lab-netpol, coredns
#   $NODE_CACHE/images          image archives (scripts/lab/images/build)
#   $NODE_CACHE/containerd-root containerd's root: content store + unpacked images
#                               (kept across up/down so images are imported once;
#                               down deletes every container and sandbox in it)

NODE_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NODE_CACHE="${NETDIAG_CACHE:-$HOME/.cache/netdiag}/lab/node"
NODE_BIN="$NODE_CACHE/bin"
NODE_DIR="$LAB_DIR/node"

LAB_NODE_NAME="${NETDIAG_LAB_NODE_NAME:-lab-node}"
LAB_BRIDGE="ndlab0"
LAB_NODE_SUBNET="198.18.10.0/24"    # this node's pod subnet (inside LAB_POD_CIDR)
LAB_NODE_IP="198.18.10.1"           # bridge/gateway address = node InternalIP
LAB_DNS_IP="198.19.0.10"            # kube-dns Service ClusterIP
LAB_CNI_NET="netdiag-lab"
LAB_PAUSE_IMAGE="registry.k8s.io/pause:3.10"

CTRD_ROOT="$NODE_CACHE/containerd-root"
CTRD_STATE="$NODE_DIR/containerd"
CTRD_SOCK="$CTRD_STATE/containerd.sock"
CTRD_CONFIG="$NODE_DIR/containerd.toml"
CNI_CONF_DIR="$NODE_DIR/cni/net.d"
CNI_IPAM_DIR="$NODE_DIR/cni/ipam"

# Node components in start order (stop order is the reverse). Each runs a binary
# from $NODE_BIN or $LAB_BIN, so lib.sh's component_pid/stop_component apply.
NODE_COMPONENTS=(containerd kubelet kube-proxy lab-netpol apiserver-proxy)

# iptables chains and ipsets the node level creates (and only these are removed):
# kube-proxy/kubelet KUBE-*, CNI plugins CNI-*, lab-netpol LABNP-*, the lab guard NDLAB-*.
LAB_CHAIN_RE='^(KUBE-|CNI-|LABNP-|NDLAB-)'
LAB_IPSET_RE='^(KUBE-|kube-|LABNP-)'

# The lab dir that owns the bridge (recorded as its alias by node/up), or "".
lab_bridge_owner() {
  { ip -d link show "$LAB_BRIDGE" 2>/dev/null || true; } | sed -n 's/^ *alias netdiag-lab:\(.*\)$/\1/p'
}

ctr_lab() { ctr -a "$CTRD_SOCK" -n k8s.io "$@"; }

# Copy a system binary into $NODE_BIN (so the recorded pid's exe is a lab binary).
lab_copy_bin() {
  local src="$1" dst
  dst="$NODE_BIN/$(basename "$1")"
  mkdir -p "$NODE_BIN"
  cmp -s "$src" "$dst" 2>/dev/null || install -m 0755 "$src" "$dst"
}

# Remove every iptables rule/chain matching LAB_CHAIN_RE in all tables (IPv4 + IPv6):
# first the jumps from built-in chains, then flush and delete the chains.
lab_iptables_clean() {
  local v save tbl chain rule
  for v in iptables ip6tables; do
    command -v "$v-save" >/dev/null || continue
    for tbl in filter nat mangle raw; do
      save=$("$v-save" -t "$tbl" 2>/dev/null) || continue
      # rules in non-lab chains that jump to lab chains, deleted through iptables-restore
      # (it parses the quoting of iptables-save's output itself: no eval, no word splitting)
      local dels
      dels=$({ grep -E '^-A ' <<<"$save" || true; } | while read -r rule; do
        chain=$(awk '{ print $2 }' <<<"$rule")
        [[ "$chain" =~ $LAB_CHAIN_RE ]] && continue
        [[ "$rule" =~ -j\ (KUBE-|CNI-|LABNP-|NDLAB-) ]] || continue
        printf '%s\n' "-D ${rule#-A }"
      done)
      if [ -n "$dels" ]; then
        printf '*%s\n%s\nCOMMIT\n' "$tbl" "$dels" | "$v-restore" -w 5 --noflush 2>/dev/null ||
          echo "lab: could not remove every jump into lab chains from $v $tbl" >&2
      fi
      for chain in $({ grep -E '^:' <<<"$save" || true; } | sed 's/^://; s/ .*//' | { grep -E "$LAB_CHAIN_RE" || true; }); do
        "$v" -w 5 -t "$tbl" -F "$chain" 2>/dev/null || true
      done
      for chain in $({ grep -E '^:' <<<"$save" || true; } | sed 's/^://; s/ .*//' | { grep -E "$LAB_CHAIN_RE" || true; }); do
        "$v" -w 5 -t "$tbl" -X "$chain" 2>/dev/null || true
      done
    done
  done
}

lab_ipset_clean() {
  command -v ipset >/dev/null || return 0
  local s
  for s in $(ipset list -n 2>/dev/null | { grep -E "$LAB_IPSET_RE" || true; }); do ipset destroy "$s" 2>/dev/null || true; done
}
