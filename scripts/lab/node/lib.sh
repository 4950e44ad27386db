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
# The lab has one node (index 1, lab-node, in the host's network namespace) or two:
# NETDIAG_LAB_NODE_INDEX=2 selects the second one, lab-node-2, whose processes run in
# their own network namespace (docs/adr/0012-second-lab-node.md).
LAB_NODE_INDEX="${NETDIAG_LAB_NODE_INDEX:-1}"
LAB_NODE_IP1="198.18.10.1"          # node 1's bridge/gateway address = its InternalIP
LAB_DNS_IP="198.19.0.10"            # kube-dns Service ClusterIP
LAB_PAUSE_IMAGE="registry.k8s.io/pause:3.10"
# Node 2: network namespace $LAB_NETNS joined to the host (node 1) by a veth pair
# (host side $LAB_LINK_HOST 198.18.9.1/30, node side eth0 198.18.9.2/30 = its InternalIP);
# pod subnets are routed host-gw style between the two.
LAB_NETNS2="ndlab-n2"
LAB_LINK_HOST="ndlab-n2h"
LAB_LINK_HOST_IP="198.18.9.1"
LAB_NODE_IP2="198.18.9.2"
LAB_NODE_SUBNET1="198.18.10.0/24"
LAB_NODE_SUBNET2="198.18.11.0/24"
case "$LAB_NODE_INDEX" in
  1)
    LAB_NODE_NAME="${NETDIAG_LAB_NODE_NAME:-lab-node}"
    NODE_DIR="$LAB_DIR/node"
    LAB_BRIDGE="ndlab0"
    LAB_NODE_SUBNET="$LAB_NODE_SUBNET1"   # this node's pod subnet (inside LAB_POD_CIDR)
    LAB_NODE_GW="198.18.10.1"
    LAB_NODE_IP="$LAB_NODE_IP1"
    LAB_CNI_NET="netdiag-lab"
    LAB_CGROUP="netdiag-lab"
    LAB_NETNS=""
    SUFFIX=""
    CTRD_ROOT="$NODE_CACHE/containerd-root"
    ;;
  2)
    LAB_NODE_NAME="lab-node-2"
    NODE_DIR="$LAB_DIR/node2"
    LAB_BRIDGE="ndlab1"                   # inside $LAB_NETNS2
    LAB_NODE_SUBNET="$LAB_NODE_SUBNET2"
    LAB_NODE_GW="198.18.11.1"
    LAB_NODE_IP="$LAB_NODE_IP2"
    LAB_CNI_NET="netdiag-lab-2"
    LAB_CGROUP="netdiag-lab-2"
    LAB_NETNS="$LAB_NETNS2"
    SUFFIX="-2"
    CTRD_ROOT="$NODE_CACHE/containerd-root-2"
    ;;
  *) echo "NETDIAG_LAB_NODE_INDEX must be 1 or 2" >&2; exit 2 ;;
esac

CTRD_STATE="$NODE_DIR/containerd"
CTRD_SOCK="$CTRD_STATE/containerd.sock"
CTRD_CONFIG="$NODE_DIR/containerd.toml"
CNI_CONF_DIR="$NODE_DIR/cni/net.d"
CNI_IPAM_DIR="$NODE_DIR/cni/ipam"

# Node components in start order (stop order is the reverse). Each runs a binary
# from $NODE_BIN or $LAB_BIN, so lib.sh's component_pid/stop_component apply.
# Node 2 has no apiserver-proxy (it reaches node 1's) and suffixes its names with -2.
if [ "$LAB_NODE_INDEX" = 1 ]; then
  NODE_COMPONENTS=(containerd kubelet kube-proxy lab-netpol apiserver-proxy)
else
  NODE_COMPONENTS=(containerd-2 kubelet-2 kube-proxy-2 lab-netpol-2)
fi

# Run a command in this node's network namespace (node 2), or as is (node 1). Only the
# network namespace: kubelet, containerd and runc must share the host's mounts.
in_node() {
  if [ -n "$LAB_NETNS" ]; then nsenter --net="/run/netns/$LAB_NETNS" -- "$@"; else "$@"; fi
}

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
