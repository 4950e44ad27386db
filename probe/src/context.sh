# context.sh — the run context written next to the results: resolv.conf, the interfaces
# with their MTU and addresses, the routes (gathered by the main process while checks run).
# (Part of netdiag-probe; assembled by scripts/build-probe.)

#@jq JQ_CONTEXT context.jq

# parse_links — `ip -o link show` on stdin -> "name<TAB>mtu" lines (the @peer suffix of a
#   veth dropped: "2: c0@if3: <BROADCAST,...> mtu 1500 qdisc noqueue" -> "c0	1500")
parse_links() { awk -F': ' '{name=$2; sub(/@.*/, "", name); mtu=""; if (match($0, / mtu [0-9]+/)) mtu=substr($0, RSTART+5, RLENGTH-5); print name "\t" mtu}'; }

# parse_addrs — `ip -o addr show` on stdin -> "name<TAB>address/prefix" lines (inet and inet6)
parse_addrs() { awk '{name=$2; sub(/@.*/, "", name); if ($3 == "inet" || $3 == "inet6") print name "\t" $4}'; }

# first_address — `ip -o -4 addr show scope global` on stdin -> the first address, without
#   its prefix length (the pod IP when the downward API does not give POD_IP)
first_address() { awk '{sub(/\/.*/, "", $4); print $4; exit}'; }

gather_context() {
  parse_resolv
  local ns search links addrs routes
  ns=$(printf '%s\n' "${NS[@]+"${NS[@]}"}")
  search=$(printf '%s\n' "${SEARCH[@]+"${SEARCH[@]}"}")
  links=$(ip -o link show 2>/dev/null | parse_links)
  addrs=$(ip -o addr show 2>/dev/null | parse_addrs)
  routes=$( { ip route show 2>/dev/null; ip -6 route show 2>/dev/null; } | sed 's/ *$//')
  "$JQ" -cn --arg ns "$ns" --arg search "$search" --argjson ndots "$NDOTS" --arg links "$links" --arg addrs "$addrs" --arg routes "$routes" \
    "$JQ_CONTEXT" >"$WORK/context.json"
}
