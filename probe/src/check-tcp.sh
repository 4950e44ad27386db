# check-tcp.sh — the tcp check: one connect() through bash's /dev/tcp, timed inside the
# child, and what it ended in (ok / refused / timeout / unreachable / no-route / error).
# (Part of netdiag-probe; assembled by scripts/build-probe.)

# tcp_outcome RC ERRFILE IP — a /dev/tcp connect's exit status and stderr -> C_OUTCOME and
#   TCP_ERR (the errno text after the last ": " of the last line; on timeout a sentence).
#   Example: "netdiag-connect: line 1: /dev/tcp/198.18.201.2/7000: Connection refused" -> refused
tcp_outcome() {
  TCP_ERR=$(tail -n1 "$2" 2>/dev/null)
  TCP_ERR=${TCP_ERR##*: }
  if (($1 == 0)); then
    C_OUTCOME=ok
  elif (($1 == 124 || $1 == 137)); then
    C_OUTCOME=timeout TCP_ERR="no answer within ${REMF}s"
  else
    classify_connect_error "$TCP_ERR" "$3"
  fi
}

check_tcp() {
  resolve_host "$F_HOST" || finish_unresolved "$F_HOST"
  remaining
  local err rc t0 ms out cms=null
  now_ms; t0=$REPLY
  # the connect is timed inside the child so process start-up does not count
  out=$(tmo "$REMF" "$BASH" -c 's=${EPOCHREALTIME:-}; exec 3<>"/dev/tcp/$1/$2" || exit 1; printf "%s %s\n" "$s" "${EPOCHREALTIME:-}"' \
    netdiag-connect "$R_IP" "$F_PORT" 2>"$WD/tcp.$TI.$CI.err"); rc=$?
  now_ms; ms=$((REPLY - t0))
  if ((rc == 0)); then
    local cs ce
    read -r cs ce <<<"$out"
    cs=${cs/[.,]/} ce=${ce/[.,]/}
    if [[ $cs =~ ^[0-9]+$ && $ce =~ ^[0-9]+$ ]]; then
      local us=$((10#$ce - 10#$cs))
      cms="$((us / 1000)).$(((us % 1000) / 100))"
    else
      cms=$ms
    fi
  fi
  tcp_outcome "$rc" "$WD/tcp.$TI.$CI.err" "$R_IP"
  err=$TCP_ERR
  local note=''
  case $C_OUTCOME in
    ok) note="connected" ;;
    refused) note="RST / ICMP port-unreachable: host reachable, nothing accepts on this port (or REJECT)" ;;
    timeout) note="SYN unanswered: packets dropped (firewall / NetworkPolicy / security group) or host down" ;;
    unreachable) note="ICMP host/admin-prohibited or host unreachable (REJECT or router)" ;;
    no-route) note="no route to the address" ;;
  esac
  say "  connect $R_IP:$F_PORT (bash /dev/tcp, timeout ${REMF}s) -> ${err:-connected} after $( [[ $cms != null ]] && echo "$cms" || echo "$ms") ms: $note"
  finish "$C_OUTCOME" --arg ip "$R_IP" --argjson port "$F_PORT" --argjson ms "$ms" --argjson cms "$cms" --arg err "$err" --arg oc "$C_OUTCOME" \
    '{ip:$ip, port:$port, connectMs:$cms, elapsedMs:$ms, tool:"bash-dev-tcp"}
     + (if $oc == "ok" then {} else {error:$err} end)
     + (if $oc == "error" then {reason:("connect failed: " + $err)} else {} end)'
}
