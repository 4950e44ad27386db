# resolve.sh — names: the system resolver's answer for the host of a non-dns check
# (getent), and /etc/resolv.conf as the pod sees it.
# (Part of netdiag-probe; assembled by scripts/build-probe.)

# getent_addrs TEXT — getent ahosts / ahostsv4 / hosts output -> its distinct addresses
#   (first column, in order), space-separated. Example: "10.0.0.1 STREAM x\n10.0.0.1 DGRAM" -> "10.0.0.1"
getent_addrs() { printf '%s\n' "$1" | awk 'NF && !seen[$1]++ {printf "%s%s", (n++ ? " " : ""), $1}'; }

# resolve_host HOST — sets R_IP (first address), R_ALL, R_OUTCOME ('' = resolved), R_MS
resolve_host() {
  local h=$1 out rc t0
  R_IP='' R_ALL='' R_OUTCOME='' R_MS=0
  if is_ip "$h"; then R_IP=${h#[}; R_IP=${R_IP%]}; R_ALL=$R_IP; return 0; fi
  remaining
  now_ms; t0=$REPLY
  out=$(tmo "$REM" getent ahostsv4 "$h" 2>/dev/null); rc=$?
  if ((rc == 1)); then # this getent lacks the ahostsv4 database
    out=$(tmo "$REM" getent hosts "$h" 2>/dev/null); rc=$?
  fi
  now_ms; R_MS=$((REPLY - t0))
  if ((rc == 0)) && [[ -n $out ]]; then
    R_ALL=$(getent_addrs "$out")
    R_IP=${R_ALL%% *}
    say "  resolve $h -> $R_ALL (${R_MS} ms, system resolver)"
    return 0
  fi
  if ((rc == 124 || rc == 137)); then R_OUTCOME=dns-timeout; else R_OUTCOME=nxdomain; fi
  say "  resolve $h -> failed ($R_OUTCOME via system resolver, ${R_MS} ms)"
  return 1
}

finish_unresolved() { # used by non-dns checks when the host name does not resolve
  finish "$R_OUTCOME" --arg h "$1" \
    '{resolveFailed:true, reason:("host name " + $h + " did not resolve via the system resolver; see the dns check")}'
}

# parse_resolv [FILE] — resolv.conf (default /etc/resolv.conf) -> NS (array), SEARCH (array), NDOTS
parse_resolv() {
  NS=() SEARCH=() NDOTS=1
  local f=${1:-/etc/resolv.conf} kw a b rest o
  [[ -r $f ]] || return 0
  while read -r kw rest; do
    case $kw in
      nameserver) a=${rest%% *}; [[ -n $a ]] && NS+=("$a") ;;
      search | domain) read -r -a b <<<"$rest"; SEARCH=("${b[@]}") ;;
      options) for o in $rest; do [[ $o == ndots:* ]] && NDOTS=${o#ndots:}; done ;;
    esac
  done <"$f"
  [[ $NDOTS =~ ^[0-9]+$ ]] || NDOTS=1
}
