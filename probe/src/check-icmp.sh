# check-icmp.sh — the icmp check: two ICMP echoes (ping; a datagram socket unless the plan
# allows raw sockets), parsed into sent / received / loss / average RTT, and why no echo came
# back (lost, filtered, unreachable, no route, send refused, socket not permitted).
# (Part of netdiag-probe; assembled by scripts/build-probe.)

ping_family() { if is_ipv4 "$1"; then PF=(-4); else PF=(-6); fi; }

# the detail of every icmp outcome (jq args: $ip $tx $rx $loss $rtt, as strings)
JQ_PING_BASE='{ip:$ip, sent:($tx|tonumber? // 0), received:($rx|tonumber? // 0), lossPct:($loss|tonumber? // 100), rttAvgMs:($rtt|tonumber? // null)}'

# parse_ping TEXT — ping output (iputils; busybox) -> PG_TX PG_RX PG_LOSS PG_RTT ('' when absent)
#   Example: "2 packets transmitted, 2 received, 0% packet loss, time 201ms
#             rtt min/avg/max/mdev = 0.041/0.052/0.063/0.011 ms" -> 2 2 0 0.052
parse_ping() { # bash patterns only: no sed/head processes (the first match of each)
  PG_TX='' PG_RX='' PG_LOSS='' PG_RTT=''
  local nl=$'\n'
  [[ $nl$1 =~ $nl([0-9]+)\ packets\ transmitted ]] && PG_TX=${BASH_REMATCH[1]}
  [[ $1 =~ \ ([0-9]+)\ (packets\ )?received ]] && PG_RX=${BASH_REMATCH[1]}
  [[ $1 =~ \ ([0-9.]+)%\ packet\ loss ]] && PG_LOSS=${BASH_REMATCH[1]}
  [[ $1 =~ =\ [0-9.]+/([0-9.]+)/ ]] && PG_RTT=${BASH_REMATCH[1]}
  return 0
}

# ping_outcome TEXT RC IP — after parse_ping: PG_OUTCOME, PG_KIND (which detail the check
#   writes: ok, not-permitted, send-refused, permission, icmp-error, failed, lost) and PG_ERR
#   (the line that says why). An ICMP error names unreachable, or no-route when the routing
#   table has no route to IP.
ping_outcome() {
  local out=$1 rc=$2
  if [[ ${PG_RX:-0} =~ ^[0-9]+$ ]] && ((${PG_RX:-0} > 0)); then
    PG_OUTCOME=ok PG_KIND=ok PG_ERR=''
    return 0
  fi
  PG_ERR=$(printf '%s\n' "$out" | grep -iE 'unreachable|prohibited|filtered|not permitted|denied|invalid|unknown host|bad address|usage' | head -n1)
  if socket_denied "$out" || exec_denied "$out"; then
    PG_OUTCOME=not-permitted PG_KIND=not-permitted
    return 0
  fi
  case $out in
    *"sendmsg: Operation not permitted"* | *"sendto: Operation not permitted"* | *"sendmsg: Permission denied"* | *"sendto: Permission denied"*)
      PG_OUTCOME=unreachable PG_KIND=send-refused
      return 0 ;;
    *"Operation not permitted"* | *"Permission denied"* | *"permission denied"*)
      PG_OUTCOME=error PG_KIND=permission
      return 0 ;;
    *"Network is unreachable"*)
      PG_OUTCOME=no-route PG_KIND=icmp-error
      return 0 ;;
    *"Net Unreachable"* | *"Host Unreachable"* | *"Prohibited"* | *"prohibited"* | *"Packet filtered"* | *"No route to host"*)
      PG_OUTCOME=unreachable PG_KIND=icmp-error
      have ip && ! ip route get "$3" >/dev/null 2>&1 && PG_OUTCOME=no-route
      return 0 ;;
  esac
  if ((rc == 2)) && [[ -z ${PG_TX:-} ]]; then
    PG_OUTCOME=error PG_KIND=failed PG_ERR=$(printf '%s' "$out" | head -n2 | tr '\n' ' ')
    return 0
  fi
  PG_OUTCOME=timeout PG_KIND=lost
}

check_icmp() {
  have ping || finish tool-missing '{tool:"ping", reason:"ping not found"}'
  resolve_host "$F_HOST" || finish_unresolved "$F_HOST"
  remaining
  local out rc w=$REM
  ping_family "$R_IP"
  # iputils: one echo answered ends it (-c 1 with -w: an echo every 0.2 s until one is
  # answered or the time is up, so a lost echo is retried); busybox counts what it sends
  local cnt=2
  [[ ${NETDIAG_PING_IPUTILS:-} == 1 ]] && cnt=1
  out=$(tmo "$((w + 1))" ping "${PF[@]}" -n -c "$cnt" -i 0.2 -W "$w" -w "$w" "$R_IP" 2>&1); rc=$?
  parse_ping "$out"
  say "  ping -c $cnt -i 0.2 -w $w $R_IP -> sent=${PG_TX:-?} received=${PG_RX:-?} loss=${PG_LOSS:-?}% avg=${PG_RTT:--} ms"
  local jargs=(--arg ip "$R_IP" --arg tx "${PG_TX:-0}" --arg rx "${PG_RX:-0}" --arg loss "${PG_LOSS:-100}" --arg rtt "${PG_RTT:-}")
  local base=$JQ_PING_BASE
  ping_outcome "$out" "$rc" "$R_IP"
  case $PG_KIND in
    ok) finish ok "${jargs[@]}" "$base" ;;
    not-permitted) finish_not_permitted ping "$out" ;;
    send-refused)
      finish unreachable "${jargs[@]}" --arg e "$PG_ERR" "$base + {error:\$e, note:\"the local firewall refused to send the echo (EPERM on send): ICMP is filtered in this pod's network namespace\"}" ;;
    permission) finish error "${jargs[@]}" --arg e "$PG_ERR" "$base + {reason:(\"ping failed with a permission error: \" + \$e)}" ;;
    icmp-error) finish "$PG_OUTCOME" "${jargs[@]}" --arg e "$PG_ERR" "$base + {error:\$e}" ;;
    failed) finish error "${jargs[@]}" --arg e "$PG_ERR" "$base + {reason:(\"ping failed: \" + \$e)}" ;;
  esac
  finish timeout "${jargs[@]}" "$base + {note:\"ICMP may be filtered; not proof the path is down\"}"
}
