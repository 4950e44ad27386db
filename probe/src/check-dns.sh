# check-dns.sh — the dns check: what the application gets (the system resolver: getent, else
# nslookup; sys_resolve in resolve.sh) and what each resolv.conf nameserver answers (dig, one query per server), told
# apart as ok / nxdomain / servfail / dns-timeout / refused (dig-parse.jq, dns.jq).
# (Part of netdiag-probe; assembled by scripts/build-probe.)

# parse_nslookup — nslookup output on stdin -> the answer addresses, one per line (after
#   "Name:", the "Address: A" / "Address 1: A" lines; the server's own address comes first
#   and is skipped)
parse_nslookup() { awk '/^Name:/ {n=1; next} n && /^Address/ {sub(/^Address( [0-9]+)?: */, ""); print $1}'; }

# jq: classify each dig output, then the whole check
#@jq JQ_DNS dig-parse.jq dns.jq

check_dns() {
  local name=$F_NAME qtype=${F_QTYPE:-A} i dots use_search=0 d=$WD/dns.$TI.$CI
  mkdir -p "$d"
  parse_resolv
  if is_ip "$name"; then
    say "  $name is an IP literal; nothing to resolve"
    finish ok --arg a "$name" '{addresses:[$a], note:"IP literal; no lookup needed"}'
  fi
  dots=${name//[^.]/}
  if [[ $name != *. ]] && ((${#dots} < NDOTS)); then use_search=1; fi
  say "  resolv.conf: nameservers=${NS[*]:-none} search=${SEARCH[*]:-none} ndots=$NDOTS; '$name' has ${#dots} dot(s) -> $( ((use_search)) && echo "search list applies (dig +search)" || echo "absolute / tried as-is first")"
  remaining
  local budget=$REM
  # the system resolver: what the application gets (search list, ndots, /etc/hosts, nsswitch)
  (
    now_ms; t0=$REPLY
    sys_resolve "$name" "$budget"
    now_ms
    printf '%s\n%s\n%s\n%s\n' "$SR_RC" "$((REPLY - t0))" "$SR_TOOL" "$SR_ADDRS" >"$d/sys"
  ) &
  # each nameserver directly: tells NXDOMAIN / SERVFAIL / timeout / refused apart, per server
  local digstate=ok
  if ! have dig; then digstate=no-dig; elif ((${#NS[@]} == 0)); then digstate=no-ns; fi
  if [[ $digstate == ok ]]; then
    local digargs=(+time="$budget" +tries=1 +nocmd)
    if ((use_search)); then digargs+=(+search); else digargs+=(+nosearch); fi
    for i in "${!NS[@]}"; do
      (
        tmo "$((budget + 1))" dig "@${NS[i]}" "${digargs[@]}" -t "$qtype" -q "$name" >"$d/dig.$i" 2>&1
        echo $? >"$d/dig.$i.rc"
      ) &
    done
  fi
  wait
  local sysrc sysms systool sysaddrs rcs='' outs=()
  { read -r sysrc; read -r sysms; read -r systool; read -r sysaddrs; } <"$d/sys"
  if [[ $digstate == ok ]]; then
    for i in "${!NS[@]}"; do
      rcs+="$(cat "$d/dig.$i.rc" 2>/dev/null || echo 1) "
      outs+=("$(cat "$d/dig.$i" 2>/dev/null)")
    done
  fi
  finish @ --arg name "$name" --arg qtype "$qtype" --arg search "$use_search" --arg sysrc "${sysrc:-1}" \
    --argjson sysms "${sysms:-0}" --arg systool "${systool:-none}" --arg sysaddrs "${sysaddrs:-}" --arg digstate "$digstate" \
    --arg servers "$( [[ $digstate == ok ]] && printf '%s ' "${NS[@]}")" --arg rcs "$rcs" "$JQ_DNS" --args "${outs[@]+"${outs[@]}"}"
}

