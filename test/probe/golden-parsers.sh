#!/usr/bin/env bash
# golden-parsers.sh — runs ONE of the probe's tool-output parsers, standalone, on one
# captured output and prints what it parsed as JSON (test/probe/golden.test.ts compares that
# with the case's "expect").
#
#   golden-parsers.sh TOOL CASE      CASE = test/fixtures/probe-golden/TOOL/NAME (no suffix)
#   golden-parsers.sh TOOL CASE...   several cases in one process (the probe sources are read
#                                    once): each case's JSON after a line "@@case CASE"; a case
#                                    that fails prints "@@fail CASE STATUS" and the exit is 1
#
# The parsers are the probe's own code, sourced from probe/src/ (bash functions) or run from
# its .jq files; nothing here re-implements a parse. A case is NAME.txt (the capture: what
# the probe reads, e.g. stdout+stderr for ping, stdout for curl -w), optionally
# NAME.stderr.txt (tools whose two streams the probe reads apart: curl, openssl s_client)
# and NAME.body (curl's body), and NAME.json: {command, exitStatus, args?, stubs?, expect}.
# stubs stand in for what a parser asks the live system: {"routeGet": true|false} is the
# answer of `ip route get` (no-route vs unreachable), {"resolve": "nxdomain"} the system
# resolver's verdict for curl's exit status 6.
set -u # as the probe runs (no pipefail there either)
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$here/../../probe/src" && pwd)
JQ=${NETDIAG_JQ:-jq}
tool=${1:?tool}
shift
(($# > 0)) || { echo "usage: golden-parsers.sh TOOL CASE..." >&2; exit 2; }

for f in common resolve connect privilege check-dns check-route check-icmp check-trace check-tcp check-http \
  check-tls check-mtu context; do
  # shellcheck source=/dev/null
  source "$SRC/$f.sh"
done
jqfile() { awk 'body || !/^#/ {body=1; print}' "$SRC/$1"; } # the program as build-probe inlines it

# one_case CASE — parse one capture and print what came out (run in a subshell: stubs and
# function overrides stay per case)
one_case() {
  local case=$1
  meta=$case.json
  [[ -r $meta && -r $case.txt ]] || { echo "golden-parsers: $case.json / $case.txt missing" >&2; exit 2; }

  # the case: exit status, stubs and args in one jq call (values hold no TAB or newline)
  declare -A ARGS=()
  RC='' STUB_ROUTE=true STUB_RESOLVE=''
  while IFS=$'\t' read -r kind k v; do
    case $kind in
      rc) RC=$k ;;
      stub) [[ $k == routeGet ]] && STUB_ROUTE=$v; [[ $k == resolve ]] && STUB_RESOLVE=$v ;;
      arg) ARGS[$k]=$v ;;
    esac
  done < <("$JQ" -r '"rc\t\(.exitStatus)",
    ((.stubs // {}) | to_entries[] | "stub\t\(.key)\t\(.value)"),
    ((.args // {}) | to_entries[] | "arg\t\(.key)\t\(.value)")' "$meta")
  [[ $RC =~ ^[0-9]+$ ]] || { echo "golden-parsers: $meta: exitStatus must be a number" >&2; exit 2; }
  arg() { if [[ -v ARGS[$1] ]]; then printf '%s' "${ARGS[$1]}"; else printf '%s' "${2-}"; fi; }
  # the live-system questions a parser may ask, answered by the case
  ip() {
    if [[ ${1:-} == route && ${2:-} == get ]]; then [[ $STUB_ROUTE == true ]]; return; fi
    echo "golden-parsers: unexpected ip $*" >&2
    return 1
  }
  if [[ -n $STUB_RESOLVE ]]; then resolve_host() { R_OUTCOME=$STUB_RESOLVE; return 1; }; fi
  say() { :; }
  REMF=$(arg remf 3)
  out=$(cat "$case.txt") # what $(tool ...) gives the probe: trailing newlines cut
  work=$(mktemp -d "${TMPDIR:-/tmp}/ndp-golden.XXXXXX")
  trap 'rm -rf -- "$work"' EXIT # one_case runs in a subshell: its own trap

  case $tool in
    dig) # dig-parse.jq: digparse($server; $rc) on one dig output
      "$JQ" -n -L "$SRC" --arg o "$out" --arg rc "$RC" --arg server "$(arg server)" \
        'include "dig-parse"; $o | digparse($server; $rc)'
      ;;
    getent) # getent_addrs (resolve.sh)
      "$JQ" -n --arg a "$(getent_addrs "$out")" '{addresses:($a | split(" ") | map(select(length > 0)))}'
      ;;
    nslookup) # parse_nslookup (check-dns.sh)
      "$JQ" -n --arg a "$(parse_nslookup <"$case.txt")" '{addresses:($a | split("\n") | map(select(length > 0)))}'
      ;;
    resolv-conf) # parse_resolv FILE (resolve.sh)
      parse_resolv "$case.txt"
      "$JQ" -n --arg ns "${NS[*]-}" --arg s "${SEARCH[*]-}" --argjson ndots "$NDOTS" \
        '{nameservers:($ns | split(" ") | map(select(length > 0))), search:($s | split(" ") | map(select(length > 0))), ndots:$ndots}'
      ;;
    ip-route-get) # parse_route_get, or route_error_outcome when ip failed (check-route.sh)
      if ((RC == 0)); then
        parse_route_get "$out"
        "$JQ" -n --arg dev "$RT_DEV" --arg src "$RT_SRC" --arg via "$RT_VIA" --arg mtu "$RT_MTU" \
          '{dev:$dev, src:$src, via:$via, mtu:$mtu} | map_values(if . == "" then null else . end)'
      else
        route_error_outcome "$out"
        "$JQ" -n --arg oc "$RT_OUTCOME" '{outcome:$oc}'
      fi
      ;;
    ping) # parse_ping + ping_outcome (check-icmp.sh), the detail base as the check builds it
      parse_ping "$out"
      ping_outcome "$out" "$RC" "$(arg ip 198.18.201.2)"
      "$JQ" -n --arg ip '' --arg tx "${PG_TX:-0}" --arg rx "${PG_RX:-0}" --arg loss "${PG_LOSS:-100}" --arg rtt "${PG_RTT:-}" \
        --arg oc "$PG_OUTCOME" --arg kind "$PG_KIND" --arg e "$PG_ERR" \
        "$JQ_PING_BASE | del(.ip) + {outcome:\$oc, kind:\$kind} + (if \$e == \"\" then {} else {error:\$e} end)"
      ;;
    ping-mtu) # mtu_ping (check-mtu.sh) on one `ping -M do -s SIZE` output
      mtu_ping "$case.txt"
      "$JQ" -n --argjson ok "$MP_OK" --arg m "$MP_MTU" '{ok:$ok, reportedMtu:($m | tonumber? // null)}'
      ;;
    ip-link) # parse_links (+ parse_addrs on NAME.addr.txt) through context.jq (context.sh)
      addrs=''
      [[ -r $case.addr.txt ]] && addrs=$(parse_addrs <"$case.addr.txt")
      "$JQ" -cn --arg ns '' --arg search '' --argjson ndots 1 --arg links "$(parse_links <"$case.txt")" --arg addrs "$addrs" \
        --arg routes '' "$(jqfile context.jq)" | "$JQ" '{interfaces}'
      ;;
    ip-addr-global) # first_address (context.sh) on `ip -o -4 addr show scope global`
      "$JQ" -n --arg a "$(first_address <"$case.txt")" '{podIP:(if $a == "" then null else $a end)}'
      ;;
    ip-link-dev) # link_mtu (check-mtu.sh) on `ip -o link show dev X`
      "$JQ" -n --arg m "$(link_mtu "$out")" '{mtu:($m | tonumber? // null)}'
      ;;
    tracepath | traceroute | mtr) # trace.jq on the whole output
      "$JQ" -n --arg tool "$tool" --arg ip "$(arg ip)" --arg rc "$RC" --rawfile out "$case.txt" "$(jqfile trace.jq)" |
        "$JQ" '{outcome, detail}'
      ;;
    bash-dev-tcp) # tcp_outcome (check-tcp.sh): exit status + stderr of the /dev/tcp connect
      tcp_outcome "$RC" "$case.txt" "$(arg ip 198.18.201.2)"
      "$JQ" -n --arg oc "$C_OUTCOME" --arg e "$TCP_ERR" '{outcome:$oc, error:$e}'
      ;;
    curl) # parse_curl_w, curl_errors, curl_outcome, body_excerpt (check-http.sh) -> http.jq
      stderr=$case.stderr.txt
      [[ -r $stderr ]] || stderr=/dev/null
      parse_curl_w "$out"
      curl_errors "$stderr"
      curl_outcome "$RC" "$(arg url)"
      ex=''
      [[ -s $case.body ]] && ex=$(body_excerpt "$case.body")
      "$JQ" -n --arg code "$H_CODE" --arg tn "${H_TN:-0}" --arg tc "${H_TC:-0}" --arg ta "${H_TA:-0}" --arg ts "${H_TS:-0}" \
        --arg tt "${H_TT:-0}" --arg size "${H_SIZE:-0}" --arg rip "${H_RIP:-}" --arg hv "${H_HV:-}" --arg ex "$ex" \
        --arg err "$H_ERRTEXT" --arg errno "$H_ERRNO" --arg reason "$H_REASON" --arg url "$(arg url)" --arg oc "$H_OC" \
        "{outcome:\$oc, detail:($(jqfile http.jq))}"
      ;;
    openssl-s_client) # split_certs, parse_s_client; without a certificate tls_connect_outcome + tls_connect_error
      stderr=$case.stderr.txt
      [[ -r $stderr ]] || stderr=/dev/null
      split_certs "$case.txt" "$work/leaf.pem" "$work/chain.pem"
      parse_s_client "$case.txt"
      if [[ -s $work/leaf.pem ]]; then
        n=$(grep -c -- '-----BEGIN CERTIFICATE-----' "$case.txt")
        "$JQ" -n --arg p "$T_PROTO" --arg c "$T_CIPHER" --arg vc "$T_VCODE" --arg vt "$T_VTEXT" --argjson n "$n" \
          '{handshake:true, protocol:$p, cipher:$c, verifyCode:($vc | tonumber? // null), verifyResult:$vt, certificates:$n}'
      else
        tls_connect_outcome "$RC" "$(cat "$stderr" "$case.txt")" "$(arg ip 198.18.201.2)"
        tls_connect_error "$stderr" "$case.txt"
        "$JQ" -n --arg oc "$T_OC" --arg e "$T_ERR" '{handshake:false, outcome:$oc, error:$e}'
      fi
      ;;
    openssl-x509) # parse_x509 (check-tls.sh) -> tls.jq at a fixed time (args.now), name and chain as args say
      parse_x509 "$out"
      "$JQ" -n --arg ip 198.18.201.2 --argjson port 8443 --arg sni "$(arg sni)" --arg want "$(arg want tls.lab.test)" \
        --argjson match "$(arg match true)" --argjson trusted "$(arg trusted true)" --arg verr "$(arg verr)" \
        --arg vcode "$(arg vcode 0)" --arg vtext "$(arg vtext ok)" --arg subj "$X_SUBJ" --arg issuer "$X_ISSUER" \
        --arg na "$X_NA" --arg nb "$X_NB" --arg san "$X_SAN" --arg proto TLSv1.3 --arg cipher TLS_AES_256_GCM_SHA384 \
        "def now: $(arg now); $(jqfile tls.jq)" |
        "$JQ" '{outcome, subject:.detail.subject, issuer:.detail.issuer, notBefore:.detail.notBefore, notAfter:.detail.notAfter,
          daysLeft:.detail.daysLeft, subjectAltNames:.detail.subjectAltNames, problems:.detail.problems}'
      ;;
    openssl-checkhost) # name_matches (check-tls.sh) on x509 -checkhost / -checkip output
      if name_matches "$out"; then echo '{"match":true}'; else echo '{"match":false}'; fi
      ;;
    openssl-verify) # parse_verify (check-tls.sh) on openssl verify output
      parse_verify "$out"
      "$JQ" -n --argjson t "$V_TRUSTED" --arg e "$V_ERR" '{trusted:$t, error:(if $e == "" then null else $e end)}'
      ;;
    *)
      echo "golden-parsers: no parser for tool '$tool'" >&2
      exit 2
      ;;
  esac
}

if (($# == 1)); then
  one_case "$1"
  exit
fi
failed=0
for c in "$@"; do
  printf '@@case %s\n' "$c"
  (one_case "$c") || { printf '@@fail %s %s\n' "$c" "$?"; failed=1; }
done
exit "$failed"
