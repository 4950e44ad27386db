# check-route.sh — the route check (`ip route get`: which device, source and gateway the
# kernel picks) and the parser of `ip route get` output that the mtu check uses too.
# (Part of netdiag-probe; assembled by scripts/build-probe.)

# parse_route_get TEXT — `ip route get` output -> RT_DEV RT_SRC RT_VIA RT_MTU (route/cached PMTU)
#   Example: "198.18.201.2 via 198.18.200.1 dev c0 src 198.18.200.2 uid 0" -> RT_VIA=198.18.200.1 RT_DEV=c0
parse_route_get() {
  RT_DEV='' RT_SRC='' RT_VIA='' RT_MTU=''
  local -a words
  read -r -a words <<<"$(printf '%s' "$1" | tr '\n' ' ')"
  local i
  for ((i = 0; i < ${#words[@]}; i++)); do
    case ${words[i]} in
      dev) RT_DEV=${words[i + 1]:-} ;;
      src) RT_SRC=${words[i + 1]:-} ;;
      via) RT_VIA=${words[i + 1]:-} ;;
      mtu) RT_MTU=${words[i + 1]:-} ;;
    esac
  done
}

# route_error_outcome TEXT — a failed `ip route get` -> RT_OUTCOME: unreachable for a
#   prohibit route ("Permission denied"), else no-route (unreachable / blackhole route, no route)
route_error_outcome() {
  RT_OUTCOME=no-route
  case $1 in *"Permission denied"* | *"prohibit"*) RT_OUTCOME=unreachable ;; esac
}

check_route() {
  have ip || finish tool-missing '{tool:"ip", reason:"ip (iproute2 or busybox) not found"}'
  resolve_host "$F_HOST" || finish_unresolved "$F_HOST"
  local out rc
  out=$(tmo "$T" ip route get "$R_IP" 2>&1); rc=$?
  say "  ip route get $R_IP -> $(printf '%s' "$out" | tr '\n' ' ')"
  if ((rc != 0)); then
    route_error_outcome "$out"
    finish "$RT_OUTCOME" --arg ip "$R_IP" --arg e "$out" '{ip:$ip, error:$e, reason:"the routing table has no usable route to this address"}'
  fi
  parse_route_get "$out"
  finish ok --arg ip "$R_IP" --arg dev "$RT_DEV" --arg src "$RT_SRC" --arg via "$RT_VIA" --arg raw "$(printf '%s' "$out" | head -n1)" \
    '{ip:$ip, dev:$dev, src:(if $src == "" then null else $src end), via:(if $via == "" then null else $via end), raw:$raw}'
}
