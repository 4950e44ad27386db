# check-mtu.sh — the mtu check: the interface MTU of the route to the target against the
# largest don't-fragment echo that gets an answer (ping -M do: the interface MTU first, then
# common smaller sizes all at once when it is not answered at once),
# and the next-hop MTU a router reported ("Frag needed", confirmed by one more ping).
# (Part of netdiag-probe; assembled by scripts/build-probe.)

#@jq JQ_MTU mtu.jq

# link_mtu TEXT — `ip -o link show dev X` output -> the MTU ("2: c0@if3: <...> mtu 1500 qdisc" -> 1500)
link_mtu() { printf '%s\n' "$1" | sed -n 's/.* mtu \([0-9]*\).*/\1/p'; }

# mtu_ping FILE — the output of one `ping -M do -s SIZE` -> MP_OK (true when an echo came
#   back) and MP_MTU (the MTU in "Frag needed and DF set (mtu = 1400)" / "message too long,
#   mtu=1400", else '')
mtu_ping() { # bash patterns only: no grep/sed/head processes
  MP_OK=false MP_MTU=''
  local t=''
  read -r -d '' t <"$1" 2>/dev/null
  [[ $t =~ \ [1-9][0-9]*\ (packets\ )?received ]] && MP_OK=true
  if [[ $t =~ mtu\ =\ ([0-9]*) ]]; then MP_MTU=${BASH_REMATCH[1]}
  elif [[ $t =~ mtu=([0-9]*) ]]; then MP_MTU=${BASH_REMATCH[1]}; fi
  return 0
}

check_mtu() {
  have ping || finish tool-missing '{tool:"ping", reason:"ping not found"}'
  have ip || finish tool-missing '{tool:"ip", reason:"ip (iproute2 or busybox) not found: the route and interface MTU cannot be read"}'
  resolve_host "$F_HOST" || finish_unresolved "$F_HOST"
  local rt rc
  rt=$(ip route get "$R_IP" 2>&1); rc=$?
  if ((rc != 0)); then
    finish no-route --arg e "$rt" '{error:$e, reason:"no route to the address"}'
  fi
  parse_route_get "$rt"
  local ifmtu=''
  [[ -n $RT_DEV && -r /sys/class/net/$RT_DEV/mtu ]] && ifmtu=$(cat "/sys/class/net/$RT_DEV/mtu")
  [[ -z $ifmtu ]] && ifmtu=$(link_mtu "$(ip -o link show dev "$RT_DEV" 2>/dev/null)")
  [[ $ifmtu =~ ^[0-9]+$ ]] || finish error --arg dev "$RT_DEV" '{reason:("could not read the MTU of interface " + $dev)}'
  # -M do support (busybox ping lacks it; iputils, as the main process found, has it)
  if [[ ${NETDIAG_PING_IPUTILS:-} != 1 ]] && ping -M 'do' -c 1 -W 1 -s 1 127.0.0.1 2>&1 | grep -qiE 'invalid option|unrecognized option|usage'; then
    finish tool-missing '{tool:"ping", reason:"this ping does not support -M do (busybox ping cannot forbid fragmentation): install iputils ping (netshoot has it)"}'
  fi
  local hdr=28 top=$ifmtu
  ping_family "$R_IP"
  [[ ${PF[0]} == -6 ]] && hdr=48
  ((top > 65535)) && top=65535 # largest IP packet (loopback has MTU 65536)
  local sizes=() s
  for s in "$top" 9000 1500 1492 1480 1460 1450 1440 1420 1400 1380 1350 1300 1280 1200 1000 576; do
    ((s <= top && s > hdr)) && [[ " ${sizes[*]} " != *" $s "* ]] && sizes+=("$s")
  done
  remaining
  local w=$((REM < 2 ? REM : 2)) d=$WD/mtu.$TI.$CI
  mkdir -p "$d"
  # one echo answered at a size ends its ping (-c 1 with -w: an echo every 0.2 s until then)
  probe_size() {
    ping "${PF[@]}" -n -M 'do' -s "$(($1 - hdr))" -c 1 -i 0.2 -W 1 -w "$w" "$R_IP" >"$d/p.$1" 2>&1
    echo $? >"$d/p.$1.rc"
  }
  # the interface MTU first: answered within 50 ms (a sub-millisecond path), nothing smaller
  # can be the largest, so the ladder is not sent; else every smaller size at once
  probe_size "${sizes[0]}" &
  local top_pid=$! i
  for ((i = 0; i < 5; i++)); do
    read -r -t 0.01 -u "$NAP_FD" _ 2>/dev/null
    kill -0 "$top_pid" 2>/dev/null || break
  done
  if kill -0 "$top_pid" 2>/dev/null || { mtu_ping "$d/p.${sizes[0]}"; [[ $MP_OK != true ]]; }; then
    for s in "${sizes[@]:1}"; do probe_size "$s" & done
  else
    sizes=("${sizes[0]}")
  fi
  wait
  local denied
  denied=$(cat "$d/p.${sizes[0]}" 2>/dev/null)
  { socket_denied "$denied" || exec_denied "$denied"; } && finish_not_permitted ping "$denied"
  local best=0 reported='' tried=()
  for s in "${sizes[@]}"; do
    mtu_ping "$d/p.$s"
    [[ $MP_OK == true ]] && ((s > best)) && best=$s
    tried+=("$s:$MP_OK")
    [[ -n $MP_MTU ]] && reported=$MP_MTU
  done
  # the router told us the next-hop MTU: confirm it if it lies above what we found
  if [[ -n $reported ]] && ((reported > best && reported < top)); then
    probe_size "$reported"
    mtu_ping "$d/p.$reported"
    if [[ $MP_OK == true ]]; then best=$reported; tried+=("$reported:true"); else tried+=("$reported:false"); fi
  fi
  say "  ip route get $R_IP -> dev ${RT_DEV:-?} (interface MTU $ifmtu)"
  say "  ping -M do -s <size-$hdr> $R_IP for sizes ${sizes[*]} -> largest answered: $( ((best > 0)) && echo "$best" || echo none)${reported:+ (router reported next-hop MTU $reported)}"
  local oc
  if ((best == 0)); then oc=timeout
  elif ((best < top)); then oc=mtu-exceeded
  else oc=ok; fi
  finish "$oc" --arg ip "$R_IP" --arg dev "$RT_DEV" --argjson ifmtu "$ifmtu" --argjson best "$best" --arg reported "$reported" \
    --arg tried "${tried[*]}" --arg rtmtu "$RT_MTU" "$JQ_MTU"
}
