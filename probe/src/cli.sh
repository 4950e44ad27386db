# cli.sh — the command line: --help, and one synthetic target "cli" built from check flags
# (--dns NAME, --tcp HOST:PORT, --tls HOST:PORT --sni NAME ...) when no plan is given.
# (Part of netdiag-probe; assembled by scripts/build-probe.)

usage() {
  cat <<'EOF'
netdiag-probe — layered network checks; result as JSON (NETDIAG_RESULT line + termination log)

Plan (JSON, version 1) from:
  NETDIAG_PLAN='{"version":1,"runId":"r1","timeoutSeconds":5,"targets":[{"name":"t","checks":[...]}]}'
  NETDIAG_PLAN_FILE=/path/to/plan.json
Or one synthetic target "cli" built from flags (repeatable, combinable):
  --dns NAME            DNS lookup via the system resolver and each resolv.conf nameserver
  --route HOST          ip route get
  --icmp HOST           ping (ICMP echo)
  --trace HOST          tracepath (UDP; traceroute / mtr only with rawSockets), last answering hop
  --tcp HOST:PORT       TCP connect (ok / refused / timeout / unreachable / no-route)
  --http URL            HTTP request (status, phase timings, body excerpt)
  --tls HOST:PORT       TLS handshake, verification, name match, expiry
  --sni NAME            SNI / expected name for the preceding --tls
  --ca-file FILE        CA bundle for the preceding --tls / --http
  --mtu HOST            path MTU by DF pings vs interface MTU
  --timeout SECONDS     per-check timeout (default 5)
  --run-id ID           run id (default manual-<epoch>)
  --help
Check kinds in a plan: dns{name}, route{host}, icmp{host}, trace{host,maxHops?},
tcp{host,port}, http{url,host?,caFile?,insecure?}, tls{host,port?,sni?,caFile?}, mtu{host};
any check may carry timeoutSeconds and extra string or number fields (role, pod, id ...),
echoed in detail.input. Every field of every check is validated whatever its kind (no
control characters, bounded, numbers whole and in range, hosts not starting with -, URLs
http(s) only); a bad check or target is reported alone as outcome "error" with
detail.invalid, the rest runs. Plan option rawSockets (boolean, default false): the admin
allowed raw-socket tools (traceroute first, mtr); otherwise ICMP goes through unprivileged
datagram sockets (net.ipv4.ping_group_range) and a refusal is outcome "not-permitted".
Environment: NETDIAG_TERMINATION_LOG (default /dev/termination-log), NODE_NAME, POD_IP,
TMPDIR, NETDIAG_JQ (jq binary), NETDIAG_MAX_PARALLEL (default 64).
EOF
}

build_cli_plan() {
  local checks='[]' timeout=5 runid a host port last_tls=-1
  runid="manual-$(date +%s)"
  while (($# > 0)); do
    a=$1
    case $a in
      --help | -h) usage; exit 0 ;;
      --dns | --route | --icmp | --trace | --mtu | --tcp | --http | --tls | --sni | --ca-file | --timeout | --run-id)
        (($# >= 2)) || die_input "$a needs a value"
        ;;
      *) die_input "unknown argument '$a'" ;;
    esac
    local v=$2
    shift 2
    case $a in
      --dns) checks=$("$JQ" -c --arg v "$v" '. + [{check:"dns", name:$v}]' <<<"$checks") ;;
      --route | --icmp | --trace | --mtu) checks=$("$JQ" -c --arg k "${a#--}" --arg v "$v" '. + [{check:$k, host:$v}]' <<<"$checks") ;;
      --tcp | --tls)
        if [[ $v =~ ^\[([^]]+)\]:([0-9]+)$ ]] || [[ $v =~ ^([^:]+):([0-9]+)$ ]]; then
          host=${BASH_REMATCH[1]} port=${BASH_REMATCH[2]}
        elif [[ $a == --tls && $v != *:* ]]; then
          host=$v port=443
        else
          die_input "$a expects HOST:PORT, got '$v'"
        fi
        checks=$("$JQ" -c --arg k "${a#--}" --arg h "$host" --arg p "$port" '. + [{check:$k, host:$h, port:($p|tonumber)}]' <<<"$checks")
        [[ $a == --tls ]] && last_tls=1
        ;;
      --http) checks=$("$JQ" -c --arg v "$v" '. + [{check:"http", url:$v}]' <<<"$checks") ;;
      --sni)
        ((last_tls == 1)) || die_input "--sni must follow a --tls HOST:PORT"
        checks=$("$JQ" -c --arg v "$v" '(map(.check) | rindex("tls")) as $i | .[$i].sni = $v' <<<"$checks") ;;
      --ca-file)
        checks=$("$JQ" -c --arg v "$v" '(map(.check == "tls" or .check == "http") | rindex(true)) as $i
          | if $i == null then error("--ca-file must follow --tls or --http") else .[$i].caFile = $v end' <<<"$checks") ||
          die_input "--ca-file must follow a --tls or --http"
        ;;
      --timeout) [[ $v =~ ^[0-9]+$ ]] && ((v >= 1 && v <= 300)) || die_input "--timeout expects whole seconds 1..300, got '$v'"; timeout=$v ;;
      --run-id) runid=$v ;;
    esac
  done
  [[ $checks != '[]' ]] || die_input "no check given (use --dns/--tcp/--http/--tls/--icmp/--mtu/--route/--trace, or set NETDIAG_PLAN)"
  PLAN=$("$JQ" -cn --argjson c "$checks" --arg r "$runid" --argjson t "$timeout" \
    '{version:1, runId:$r, timeoutSeconds:$t, targets:[{name:"cli", checks:$c}]}')
}
