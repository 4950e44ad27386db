# resolve.sh — names: the system resolver's answer (getent, else nslookup) for the dns check
# and for the host of every other check, and /etc/resolv.conf as the pod sees it.
# (Part of netdiag-probe; assembled by scripts/build-probe.)

# getent_addrs TEXT — getent ahosts / ahostsv4 / hosts output -> its distinct addresses
#   (first column, in order), space-separated. Example: "10.0.0.1 STREAM x\n10.0.0.1 DGRAM" -> "10.0.0.1"
getent_addrs() { printf '%s\n' "$1" | awk 'NF && !seen[$1]++ {printf "%s%s", (n++ ? " " : ""), $1}'; }

# sys_resolve NAME SECS [v4] — the system resolver's answer, what an application gets
#   (search list, ndots, /etc/hosts, nsswitch): getent ahosts (ahostsv4 with v4; the `hosts`
#   database where getent lacks ahosts: old musl-utils), else nslookup (bind's or busybox's).
#   Sets SR_TOOL (getent, nslookup, none), SR_RC (0 answered, 124/137 timed out, 127 no tool,
#   else not found) and SR_ADDRS (distinct addresses, space-separated)
sys_resolve() {
  local name=$1 secs=$2 db=ahosts out a
  [[ ${3:-} == v4 ]] && db=ahostsv4
  SR_ADDRS=''
  if have getent; then
    SR_TOOL=getent
    out=$(tmo "$secs" getent "$db" "$name" 2>/dev/null); SR_RC=$?
    if ((SR_RC == 1)); then out=$(tmo "$secs" getent hosts "$name" 2>/dev/null); SR_RC=$?; fi
    ((SR_RC == 0)) && SR_ADDRS=$(getent_addrs "$out")
  elif have nslookup; then
    SR_TOOL=nslookup
    out=$(tmo "$secs" nslookup "$name" 2>&1); SR_RC=$?
    for a in $(printf '%s\n' "$out" | parse_nslookup); do
      [[ ${3:-} == v4 ]] && ! is_ipv4 "$a" && continue
      [[ " $SR_ADDRS " == *" $a "* ]] || SR_ADDRS+="${SR_ADDRS:+ }$a"
    done
    if [[ -n $SR_ADDRS ]]; then SR_RC=0
    elif ((SR_RC != 124 && SR_RC != 137)); then
      case $out in *"timed out"* | *"no servers could be reached"*) SR_RC=124 ;; *) SR_RC=2 ;; esac
    fi
  else
    SR_TOOL=none SR_RC=127
  fi
  ((SR_RC == 0)) && [[ -z $SR_ADDRS ]] && SR_RC=2
  return 0
}

# resolve_host HOST — sets R_IP (first address), R_ALL, R_OUTCOME ('' = resolved), R_MS
resolve_host() {
  local h=$1 t0
  R_IP='' R_ALL='' R_OUTCOME='' R_MS=0
  if is_ip "$h"; then R_IP=${h#[}; R_IP=${R_IP%]}; R_ALL=$R_IP; return 0; fi
  remaining
  now_ms; t0=$REPLY
  sys_resolve "$h" "$REM" v4
  now_ms; R_MS=$((REPLY - t0))
  if ((SR_RC == 0)); then
    R_ALL=$SR_ADDRS
    R_IP=${R_ALL%% *}
    say "  resolve $h -> $R_ALL (${R_MS} ms, system resolver: $SR_TOOL)"
    return 0
  fi
  case $SR_RC in 127) R_OUTCOME=tool-missing ;; 124 | 137) R_OUTCOME=dns-timeout ;; *) R_OUTCOME=nxdomain ;; esac
  say "  resolve $h -> failed ($R_OUTCOME via system resolver: $SR_TOOL, ${R_MS} ms)"
  return 1
}

finish_unresolved() { # used by non-dns checks when the host name does not resolve
  [[ $R_OUTCOME == tool-missing ]] && finish tool-missing --arg h "$1" \
    '{resolveFailed:true, tool:"getent", reason:("host name " + $h + " could not be looked up: the image has neither getent nor nslookup (the system resolver)")}'
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
