#!/usr/bin/env bash
# golden-capture.sh — (re)captures the tool outputs behind the probe's golden parser tests
# (test/fixtures/probe-golden/<tool>/<case>.*) from real tools in a throw-away network lab
# (netns-lab.sh plus a few extras below; every address in 198.18.0.0/15; root only).
#
#   golden-capture.sh capture [T/C ...] build the lab, run every case's (or the named cases')
#                                       command the way the
#                                       probe runs it, write <case>.txt (+ .stderr.txt, .body)
#                                       and the command / exit status / args / stubs of
#                                       <case>.json (an existing "expect" is kept)
#   golden-capture.sh expect [T/C ...]  write "expect" from the current parsers
#                                       (golden-parsers.sh) for cases that have none, or for
#                                       the cases named; review the diff before committing
#
# Captures hold what the lab printed on the day (timings, session tickets, certificates of a
# lab CA made for the run): a re-capture changes them, and the expected parses with them.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
GOLD=$root/test/fixtures/probe-golden
export LC_ALL=C
ONLY=()
# shellcheck source=../../scripts/lib/node-env.sh
source "$root/scripts/lib/node-env.sh" # the lab's servers are TypeScript: the project's Node

# ------------------------------------------------------------------ writing a case
# meta TOOL CASE COMMAND RC EXTRA_JSON — the case's .json: command, exitStatus, extras; the
# expect and note of an earlier capture are kept
meta() {
  local f=$GOLD/$1/$2.json old='{}'
  [[ -f $f ]] && old=$(cat "$f")
  jq -n --argjson old "$old" --arg cmd "$3" --argjson rc "$4" --argjson extra "$5" \
    '{command:$cmd, exitStatus:$rc} + $extra + ($old | with_entries(select(.key == "note" or .key == "expect")))' >"$f.tmp"
  mv "$f.tmp" "$f"
}

# cap TOOL CASE MODE EXTRA_JSON WHERE cmd... — runs cmd (in namespace WHERE: c, r, s, x, or -
# for here) and saves its output the way the probe reads it. MODE: both (stdout and stderr
# together, like $(cmd 2>&1)), out (stdout only), split (stdout; stderr in .stderr.txt),
# err (stderr only: bash /dev/tcp), body (split, and curl's body file -o $BODY in .body)
cap() {
  local tool=$1 name=$2 mode=$3 extra=$4 where=$5 rc=0
  shift 5
  if ((${#ONLY[@]} > 0)) && [[ " ${ONLY[*]} " != *" $tool/$name "* ]]; then return 0; fi
  local -a run=("$@")
  [[ $where != - ]] && run=(ip netns exec "$P$where" "$@")
  local d=$GOLD/$tool
  mkdir -p "$d"
  rm -f "$d/$name.txt" "$d/$name.stderr.txt" "$d/$name.body" "$BODY"
  case $mode in
    both) "${run[@]}" >"$d/$name.txt" 2>&1 || rc=$? ;;
    out) "${run[@]}" >"$d/$name.txt" 2>/dev/null || rc=$? ;;
    err) "${run[@]}" >/dev/null 2>"$d/$name.txt" || rc=$? ;;
    split | body) "${run[@]}" >"$d/$name.txt" 2>"$d/$name.stderr.txt" || rc=$? ;;
  esac
  if [[ $mode == body && -s $BODY ]]; then cp -- "$BODY" "$d/$name.body"; fi
  local shown=() a
  for a in "$@"; do
    a=${a//$DIR/\$LAB}
    if [[ $a =~ ^[A-Za-z0-9_./:@=,+%-]+$ ]]; then shown+=("$a"); else shown+=("'$a'"); fi
  done
  local role
  case $where in c) role=client ;; r) role=router ;; s) role=server ;; x) role=no-route-ns ;; *) role=host ;; esac
  meta "$tool" "$name" "$role\$ ${shown[*]}" "$rc" "$extra"
  printf '  %-18s %-28s exit %s\n' "$tool" "$name" "$rc"
}

# ------------------------------------------------------------------ the lab
lab_up() {
  P="ndp-golden-$$-"
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/ndp-golden-lab.XXXXXX")
  BODY=$DIR/body
  "$here/netns-lab.sh" deps
  trap lab_down EXIT
  "$here/netns-lab.sh" up "$P" "$DIR"
  local C=${P}c S=${P}s X=${P}x
  # extras, all inside the lab's own namespaces (netns-lab.sh down removes them all)
  ip netns add "$X"; echo "$X" >>"$DIR/namespaces" # lo only: "Network is unreachable"
  ip -n "$X" link set lo up
  ip -n "$S" addr add 198.18.201.4/24 dev s0 # ICMP and UDP: REJECT admin-prohibited
  ip -n "$S" addr add 198.18.201.5/24 dev s0 # everything dropped
  ip -n "$S" addr add 198.18.201.6/24 dev s0 # ICMP and UDP: REJECT host-prohibited
  ip netns exec "$S" iptables -A INPUT -d 198.18.201.4 -p icmp --icmp-type echo-request -j REJECT --reject-with icmp-admin-prohibited
  ip netns exec "$S" iptables -A INPUT -d 198.18.201.4 -p udp -j REJECT --reject-with icmp-admin-prohibited
  ip netns exec "$S" iptables -A INPUT -d 198.18.201.5 -j DROP
  ip netns exec "$S" iptables -A INPUT -d 198.18.201.6 -p icmp --icmp-type echo-request -j REJECT --reject-with icmp-host-prohibited
  ip netns exec "$S" iptables -A INPUT -d 198.18.201.6 -p udp -j REJECT --reject-with icmp-host-prohibited
  ip -n "$C" route add prohibit 198.18.241.0/24
  ip -n "$C" route add blackhole 198.18.242.0/24
  ip netns exec "$C" iptables -A OUTPUT -d 198.18.201.7 -p icmp -j REJECT # a local firewall: EPERM on send
  # a second DNS server: AAAA (IPv4-mapped, so still 198.18.0.0/15), CNAME; REFUSED for the rest
  ip netns exec "$S" dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts --no-poll --bind-interfaces \
    --listen-address=198.18.201.2 --port=5353 --pid-file= --user=root --group=root \
    --local=/v6.lab.test/ --host-record=dual.v6.lab.test,198.18.201.2,::ffff:198.18.201.2 \
    --cname=alias.v6.lab.test,dual.v6.lab.test >"$DIR/dnsmasq2.log" 2>&1 &
  echo $! >"$DIR/dnsmasq2.pid"
  # accepts a connection and closes it without a byte: curl's "Empty reply from server"
  ip netns exec "$S" python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("198.18.201.2", 7010)); s.listen(8)
while True:
    c, _ = s.accept(); c.close()' >"$DIR/empty.log" 2>&1 &
  echo $! >"$DIR/empty.pid"
  mkdir -p "$DIR/bin" && cp /usr/bin/ping "$DIR/bin/ping" && chmod 711 "$DIR" && chmod 755 "$DIR/bin" "$DIR/bin/ping" # no file capability
  sleep 1
}
lab_down() { [[ -n ${DIR:-} ]] && "$here/netns-lab.sh" down "$P" "$DIR" && rm -rf -- "$DIR"; }

# ------------------------------------------------------------------ the cases
capture() {
  ((EUID == 0)) || { echo "golden-capture: needs root (network namespaces)" >&2; exit 1; }
  lab_up
  local C=${P}c S=${P}s CA=$DIR/pki/ca.crt SRV=198.18.201.2 now
  now=$(date +%s)
  echo "golden-capture: capturing into $GOLD"

  # dig, exactly as check_dns runs it: dig @NS +time=T +tries=1 +nocmd +nosearch|+search -t TYPE -q NAME
  local dig=(dig +time=2 +tries=1 +nocmd)
  cap dig a-ok both '{"args":{"server":"198.18.201.2"}}' c "${dig[0]}" @$SRV "${dig[@]:1}" +nosearch -t A -q web.lab.test
  cap dig aaaa-ok both '{"args":{"server":"198.18.201.2#5353"}}' c "${dig[0]}" @$SRV -p 5353 "${dig[@]:1}" +nosearch -t AAAA -q dual.v6.lab.test
  cap dig cname both '{"args":{"server":"198.18.201.2#5353"}}' c "${dig[0]}" @$SRV -p 5353 "${dig[@]:1}" +nosearch -t A -q alias.v6.lab.test
  cap dig search-final-name both '{"args":{"server":"198.18.201.2"}}' c "${dig[0]}" @$SRV "${dig[@]:1}" +search -t A -q web
  cap dig nxdomain both '{"args":{"server":"198.18.201.2"}}' c "${dig[0]}" @$SRV "${dig[@]:1}" +nosearch -t A -q nosuch.lab.test
  cap dig nodata-aaaa both '{"args":{"server":"198.18.201.2"}}' c "${dig[0]}" @$SRV "${dig[@]:1}" +nosearch -t AAAA -q web.lab.test
  cap dig servfail both '{"args":{"server":"198.18.201.2"}}' c "${dig[0]}" @$SRV "${dig[@]:1}" +nosearch -t A -q api.broken.test
  cap dig refused both '{"args":{"server":"198.18.201.2#5353"}}' c "${dig[0]}" @$SRV -p 5353 "${dig[@]:1}" +nosearch -t A -q web.other.test
  cap dig timeout both '{"args":{"server":"198.18.201.53"}}' c "${dig[0]}" @198.18.201.53 "${dig[@]:1}" +nosearch -t A -q web.lab.test
  cap dig killed-by-timeout both '{"args":{"server":"198.18.201.53"}}' c timeout -k 1 1 dig @198.18.201.53 +time=5 +tries=1 +nocmd +nosearch -t A -q web.lab.test
  cap dig connection-refused both '{"args":{"server":"198.18.201.2#5400"}}' c "${dig[0]}" @$SRV -p 5400 "${dig[@]:1}" +nosearch -t A -q web.lab.test
  cap dig host-unreachable both '{"args":{"server":"198.18.201.6"}}' c "${dig[0]}" @198.18.201.6 "${dig[@]:1}" +nosearch -t A -q web.lab.test
  cap dig network-unreachable both '{"args":{"server":"198.18.250.1"}}' x "${dig[0]}" @198.18.250.1 "${dig[@]:1}" +nosearch -t A -q web.lab.test

  # the system resolver (resolve_host: getent ahostsv4, check_dns: getent ahosts)
  cap getent ahostsv4 out '{}' c getent ahostsv4 web.lab.test
  cap getent ahosts-localhost out '{}' - getent ahosts localhost
  cap getent hosts out '{}' c getent hosts web.lab.test
  cap getent nxdomain out '{}' c getent ahostsv4 nosuch.lab.test
  cap nslookup ok out '{}' c nslookup web.lab.test
  cap nslookup cname out '{}' c nslookup -port=5353 alias.v6.lab.test. 198.18.201.2
  cap nslookup nxdomain out '{}' c nslookup nosuch.lab.test

  # ip route get (check_route, check_mtu) and ip link (context, check_mtu)
  cap ip-route-get via-gateway both '{}' c ip route get $SRV
  cap ip-route-get on-link both '{}' c ip route get 198.18.200.1
  cap ip-route-get local both '{}' c ip route get 198.18.200.2
  cap ip-route-get unreachable-route both '{}' c ip route get 198.18.240.1
  cap ip-route-get prohibit-route both '{}' c ip route get 198.18.241.1
  cap ip-route-get blackhole-route both '{}' c ip route get 198.18.242.1
  cap ip-route-get network-unreachable both '{}' x ip route get 198.18.250.1
  ip netns exec "$C" ping -4 -n -M do -s 1472 -c 1 -W 1 198.18.202.2 >/dev/null 2>&1 || true # learn the path MTU
  cap ip-route-get cached-pmtu both '{}' c ip route get 198.18.202.2
  cap ip-link client out '{}' c ip -o link show
  [[ -s $GOLD/ip-link/client.txt && ( ${#ONLY[@]} == 0 || " ${ONLY[*]} " == *" ip-link/client "* ) ]] && ip netns exec "$C" ip -o addr show >"$GOLD/ip-link/client.addr.txt"
  cap ip-link router out '{}' r ip -o link show
  [[ -s $GOLD/ip-link/router.txt && ( ${#ONLY[@]} == 0 || " ${ONLY[*]} " == *" ip-link/router "* ) ]] && ip netns exec "${P}r" ip -o addr show >"$GOLD/ip-link/router.addr.txt"
  cap ip-link-dev veth out '{}' s ip -o link show dev s1
  cap ip-addr-global client out '{}' c ip -o -4 addr show scope global
  cap ip-addr-global several-addresses out '{}' s ip -o -4 addr show scope global
  cap ip-addr-global none out '{}' x ip -o -4 addr show scope global
  cap ip-link-dev loopback out '{}' c ip -o link show dev lo

  # ping as check_icmp runs it (ping -4 -n -c 2 -i 0.2 -W T -w T IP, stdout and stderr)
  local ping=(ping -4 -n -c 2 -i 0.2 -W 2 -w 2)
  cap ping ok both '{"args":{"ip":"198.18.201.2"}}' c "${ping[@]}" $SRV
  cap ping loss-100 both '{"args":{"ip":"198.18.201.3"}}' c "${ping[@]}" 198.18.201.3
  cap ping host-unreachable both '{"args":{"ip":"198.18.201.99"}}' c ping -4 -n -c 2 -i 0.2 -W 5 -w 5 198.18.201.99
  cap ping net-unreachable both '{"args":{"ip":"198.18.250.1"}}' c "${ping[@]}" 198.18.250.1
  cap ping admin-prohibited both '{"args":{"ip":"198.18.201.4"}}' c "${ping[@]}" 198.18.201.4
  cap ping host-prohibited both '{"args":{"ip":"198.18.201.6"}}' c "${ping[@]}" 198.18.201.6
  cap ping unreachable-route both '{"args":{"ip":"198.18.240.1"},"stubs":{"routeGet":false}}' c "${ping[@]}" 198.18.240.1
  cap ping network-unreachable both '{"args":{"ip":"198.18.250.1"}}' x "${ping[@]}" 198.18.250.1
  cap ping send-refused both '{"args":{"ip":"198.18.201.7"}}' c "${ping[@]}" 198.18.201.7
  cap ping bad-address both '{"args":{"ip":"198.18.201.999"}}' c "${ping[@]}" 198.18.201.999
  ip netns exec "$C" sysctl -qw net.ipv4.ping_group_range="1 0"
  local unpriv=(setpriv --reuid=65532 --regid=65532 --clear-groups --inh-caps=-all --ambient-caps=-all --bounding-set=-all --no-new-privs --)
  cap ping socket-not-permitted both '{"args":{"ip":"198.18.201.2"}}' c "${unpriv[@]}" env PATH="$DIR/bin:$PATH" ping -4 -n -c 2 -i 0.2 -W 2 -w 2 $SRV
  cap ping exec-not-permitted both '{"args":{"ip":"198.18.201.2"}}' c "${unpriv[@]}" timeout -k 1 3 ping -4 -n -c 2 -i 0.2 -W 2 -w 2 $SRV
  ip netns exec "$C" sysctl -qw net.ipv4.ping_group_range="0 2147483647"

  # ping -M do as check_mtu runs it (size = MTU - 28)
  local mping=(ping -4 -n -M do -c 2 -i 0.2 -W 1 -w 2)
  ip netns exec "$C" ip route flush cache
  cap ping-mtu fits both '{}' c "${mping[@]}" -s 1372 198.18.202.2
  cap ping-mtu frag-needed both '{}' c "${mping[@]}" -s 1472 198.18.202.2
  cap ping-mtu local-too-long both '{}' c "${mping[@]}" -s 1472 198.18.202.2
  cap ping-mtu over-interface-mtu both '{}' c "${mping[@]}" -s 8972 $SRV
  cap ping-mtu no-answer both '{}' c "${mping[@]}" -s 1372 198.18.201.5

  # tracepath / traceroute as check_trace runs them (under the check timeout)
  cap tracepath reached both '{"args":{"ip":"198.18.201.2"}}' c timeout -k 1 5 tracepath -n -m 15 $SRV
  cap tracepath dropped-beyond-router both '{"args":{"ip":"198.18.201.5"}}' c timeout -k 1 20 tracepath -n -m 3 198.18.201.5
  cap tracepath killed-by-timeout both '{"args":{"ip":"198.18.201.5"}}' c timeout -k 1 5 tracepath -n -m 15 198.18.201.5
  cap tracepath host-unreachable both '{"args":{"ip":"198.18.201.99"}}' c timeout -k 1 8 tracepath -n -m 15 198.18.201.99
  cap tracepath net-unreachable both '{"args":{"ip":"198.18.250.1"}}' c timeout -k 1 5 tracepath -n -m 15 198.18.250.1
  cap tracepath admin-prohibited both '{"args":{"ip":"198.18.201.4"}}' c timeout -k 1 5 tracepath -n -m 15 198.18.201.4
  cap tracepath network-unreachable both '{"args":{"ip":"198.18.250.1"}}' x timeout -k 1 5 tracepath -n -m 15 198.18.250.1
  cap traceroute reached both '{"args":{"ip":"198.18.201.2"}}' c timeout -k 1 5 traceroute -n -q 1 -w 1 -m 15 $SRV
  cap traceroute dropped-beyond-router both '{"args":{"ip":"198.18.201.5"}}' c timeout -k 1 5 traceroute -n -q 1 -w 1 -m 4 198.18.201.5
  cap traceroute host-prohibited both '{"args":{"ip":"198.18.201.6"}}' c timeout -k 1 5 traceroute -n -q 1 -w 1 -m 15 198.18.201.6
  cap traceroute admin-prohibited both '{"args":{"ip":"198.18.201.4"}}' c timeout -k 1 5 traceroute -n -q 1 -w 1 -m 15 198.18.201.4
  cap traceroute net-unreachable both '{"args":{"ip":"198.18.250.1"}}' c timeout -k 1 5 traceroute -n -q 1 -w 1 -m 15 198.18.250.1
  cap traceroute network-unreachable both '{"args":{"ip":"198.18.250.1"}}' x timeout -k 1 5 traceroute -n -q 1 -w 1 -m 15 198.18.250.1
  if command -v mtr >/dev/null 2>&1; then
    cap mtr reached both '{"args":{"ip":"198.18.201.2"}}' c timeout -k 1 10 mtr -n -r -c 1 -m 15 $SRV
    cap mtr dropped-beyond-router both '{"args":{"ip":"198.18.201.5"}}' c timeout -k 1 10 mtr -n -r -c 1 -m 4 198.18.201.5
  fi

  # bash /dev/tcp as check_tcp runs it (stderr is what the probe reads)
  local conn='s=${EPOCHREALTIME:-}; exec 3<>"/dev/tcp/$1/$2" || exit 1; printf "%s %s\n" "$s" "${EPOCHREALTIME:-}"'
  cap bash-dev-tcp connected err '{"args":{"ip":"198.18.201.2"}}' c timeout -k 1 3 bash -c "$conn" netdiag-connect $SRV 8080
  cap bash-dev-tcp refused-closed-port err '{"args":{"ip":"198.18.201.2"}}' c timeout -k 1 3 bash -c "$conn" netdiag-connect $SRV 7000
  cap bash-dev-tcp refused-tcp-reset err '{"args":{"ip":"198.18.201.2"}}' c timeout -k 1 3 bash -c "$conn" netdiag-connect $SRV 7002
  cap bash-dev-tcp refused-icmp-port-unreachable err '{"args":{"ip":"198.18.201.2"}}' c timeout -k 1 3 bash -c "$conn" netdiag-connect $SRV 7003
  cap bash-dev-tcp host-prohibited err '{"args":{"ip":"198.18.201.2"}}' c timeout -k 1 3 bash -c "$conn" netdiag-connect $SRV 7004
  cap bash-dev-tcp admin-prohibited err '{"args":{"ip":"198.18.201.2"}}' c timeout -k 1 3 bash -c "$conn" netdiag-connect $SRV 7005
  cap bash-dev-tcp timeout-dropped err '{"args":{"ip":"198.18.201.2","remf":"2"}}' c timeout -k 1 2 bash -c "$conn" netdiag-connect $SRV 7001
  cap bash-dev-tcp unreachable-route err '{"args":{"ip":"198.18.240.1"},"stubs":{"routeGet":false}}' c timeout -k 1 3 bash -c "$conn" netdiag-connect 198.18.240.1 80
  cap bash-dev-tcp network-unreachable err '{"args":{"ip":"198.18.250.1"}}' x timeout -k 1 3 bash -c "$conn" netdiag-connect 198.18.250.1 80

  # curl as check_http runs it
  local curl=(curl -q -g --proto '=http,https' --proto-redir '=http,https' -sS -v --noproxy '*' -o "$BODY"
    --max-filesize 10485760 --connect-timeout 3 --max-time 3
    -w '%{http_code}|%{time_namelookup}|%{time_connect}|%{time_appconnect}|%{time_starttransfer}|%{time_total}|%{size_download}|%{remote_ip}|%{http_version}\n'
    -H 'User-Agent: netdiag-probe/1')
  local u
  u=http://$SRV:8080/; cap curl ok-200 body "{\"args\":{\"url\":\"$u\"}}" c "${curl[@]}" -- "$u"
  u=http://$SRV:8080/big; cap curl ok-binary-body body "{\"args\":{\"url\":\"$u\"}}" c "${curl[@]}" -- "$u"
  u=http://web.lab.test:8080/; cap curl ok-host-header body "{\"args\":{\"url\":\"$u\"}}" c "${curl[@]}" -H 'Host: shop.example.test' -- "$u"
  u=http://$SRV:8081/; cap curl status-503 body "{\"args\":{\"url\":\"$u\"}}" c "${curl[@]}" -- "$u"
  u=http://$SRV:7010/; cap curl empty-reply body "{\"args\":{\"url\":\"$u\"}}" c "${curl[@]}" -- "$u"
  u=http://$SRV:7000/; cap curl refused body "{\"args\":{\"url\":\"$u\"}}" c "${curl[@]}" -- "$u"
  u=http://$SRV:7004/; cap curl host-prohibited body "{\"args\":{\"url\":\"$u\"}}" c "${curl[@]}" -- "$u"
  u=http://$SRV:7001/; cap curl timeout body "{\"args\":{\"url\":\"$u\"}}" c "${curl[@]}" -- "$u"
  u=http://198.18.240.1/; cap curl unreachable-route body "{\"args\":{\"url\":\"$u\"},\"stubs\":{\"routeGet\":false}}" c "${curl[@]}" -- "$u"
  u=http://nosuch.lab.test/; cap curl nxdomain body "{\"args\":{\"url\":\"$u\"},\"stubs\":{\"resolve\":\"nxdomain\"}}" c "${curl[@]}" -- "$u"
  u=https://$SRV:8443/; cap curl tls-ok body "{\"args\":{\"url\":\"$u\"}}" c "${curl[@]}" --cacert "$CA" -- "$u"
  u=https://$SRV:8443/; cap curl tls-untrusted body "{\"args\":{\"url\":\"$u\"}}" c "${curl[@]}" -- "$u"
  u=https://$SRV:8444/; cap curl tls-expired body "{\"args\":{\"url\":\"$u\"}}" c "${curl[@]}" --cacert "$CA" -- "$u"
  u=https://$SRV:8445/; cap curl tls-name-mismatch body "{\"args\":{\"url\":\"$u\"}}" c "${curl[@]}" --cacert "$CA" -- "$u"
  u=https://$SRV:8080/; cap curl tls-to-plain-http body "{\"args\":{\"url\":\"$u\"}}" c "${curl[@]}" -- "$u"
  u=http://$SRV:8443/; cap curl plain-http-to-tls body "{\"args\":{\"url\":\"$u\"}}" c "${curl[@]}" -- "$u"
  u=https://$SRV:8443/; cap curl insecure body "{\"args\":{\"url\":\"$u\"}}" c "${curl[@]}" -k -- "$u"

  # openssl s_client as check_tls runs it
  local sc=(openssl s_client -showcerts)
  cap openssl-s_client good split '{}' c "${sc[@]}" -connect $SRV:8443 -servername tls.lab.test -CAfile "$CA" </dev/null
  cap openssl-s_client good-tls12 split '{}' c "${sc[@]}" -connect $SRV:8443 -servername tls.lab.test -CAfile "$CA" -tls1_2 </dev/null
  cap openssl-s_client self-signed-chain split '{}' c "${sc[@]}" -connect $SRV:8443 -servername tls.lab.test </dev/null
  cap openssl-s_client expired split '{}' c "${sc[@]}" -connect $SRV:8444 -servername tls.lab.test -CAfile "$CA" </dev/null
  cap openssl-s_client wrong-name split '{}' c "${sc[@]}" -connect $SRV:8445 -servername tls.lab.test -CAfile "$CA" </dev/null
  cap openssl-s_client no-sni split '{}' c "${sc[@]}" -connect $SRV:8443 -noservername -CAfile "$CA" </dev/null
  cap openssl-s_client refused split '{}' c "${sc[@]}" -connect $SRV:7000 -servername tls.lab.test </dev/null
  cap openssl-s_client timeout split '{}' c timeout -k 1 2 "${sc[@]}" -connect $SRV:7001 -servername tls.lab.test </dev/null
  cap openssl-s_client plain-http-server split '{}' c "${sc[@]}" -connect $SRV:8080 -servername tls.lab.test </dev/null
  cap openssl-s_client host-prohibited split '{}' c "${sc[@]}" -connect $SRV:7004 -servername tls.lab.test </dev/null
  cap openssl-s_client unreachable-route split '{"args":{"ip":"198.18.240.1"},"stubs":{"routeGet":false}}' c "${sc[@]}" -connect 198.18.240.1:443 -servername tls.lab.test </dev/null
  cap openssl-s_client network-unreachable split '{}' x "${sc[@]}" -connect 198.18.250.1:443 -servername tls.lab.test </dev/null

  # the leaf certificate on its own (openssl x509, -checkhost / -checkip, verify)
  local pki=$DIR/pki x509=(openssl x509 -noout -subject -issuer -enddate -startdate -ext subjectAltName)
  cap openssl-x509 good out "{\"args\":{\"now\":$now}}" - "${x509[@]}" -in "$pki/good.crt"
  cap openssl-x509 expired out "{\"args\":{\"now\":$now}}" - "${x509[@]}" -in "$pki/expired.crt"
  cap openssl-x509 wrong-name out "{\"args\":{\"now\":$now,\"match\":false}}" - "${x509[@]}" -in "$pki/wrong.crt"
  cap openssl-x509 self-signed-ca out "{\"args\":{\"now\":$now,\"want\":\"netdiag-lab-ca\",\"match\":false,\"trusted\":false,\"verr\":\"self-signed certificate\",\"vcode\":\"18\",\"vtext\":\"self-signed certificate\"}}" - "${x509[@]}" -in "$pki/ca.crt"
  openssl ca -batch -config "$pki/ca.cnf" -cert "$CA" -keyfile "$pki/ca.key" -in "$pki/good.csr" -out "$DIR/future.crt" \
    -startdate 20991231000000Z -enddate 21000101000000Z -notext 2>/dev/null
  cap openssl-x509 not-yet-valid out "{\"args\":{\"now\":$now}}" - "${x509[@]}" -in "$DIR/future.crt"
  cap openssl-checkhost match both '{}' - openssl x509 -in "$pki/good.crt" -noout -checkhost tls.lab.test
  cap openssl-checkhost mismatch both '{}' - openssl x509 -in "$pki/wrong.crt" -noout -checkhost tls.lab.test
  cap openssl-checkhost ip-match both '{}' - openssl x509 -in "$pki/good.crt" -noout -checkip 198.18.201.2
  cap openssl-checkhost ip-mismatch both '{}' - openssl x509 -in "$pki/wrong.crt" -noout -checkip 198.18.201.2
  cap openssl-verify trusted both '{}' - openssl verify -no_check_time -CAfile "$CA" "$pki/good.crt"
  cap openssl-verify expired-ignoring-time both '{}' - openssl verify -no_check_time -CAfile "$CA" "$pki/expired.crt"
  cap openssl-verify no-issuer both '{}' - openssl verify -no_check_time "$pki/good.crt"
  cap openssl-verify self-signed both '{}' - openssl verify -no_check_time "$pki/ca.crt"
  echo "golden-capture: done; now: test/probe/golden-capture.sh expect (for new cases), review, commit"
}

# ------------------------------------------------------------------ expected parses
expect() {
  local f tool name out
  local -a cases=()
  if (($# > 0)); then
    for f in "$@"; do cases+=("$GOLD/$f.json"); done
  else
    for f in "$GOLD"/*/*.json; do jq -e 'has("expect") | not' "$f" >/dev/null && cases+=("$f"); done
  fi
  for f in "${cases[@]}"; do
    tool=$(basename "$(dirname "$f")") name=$(basename "$f" .json)
    out=$("$here/golden-parsers.sh" "$tool" "${f%.json}") || { echo "golden-capture: $tool/$name: parser failed" >&2; exit 1; }
    jq --argjson e "$out" '. + {expect:$e}' "$f" >"$f.tmp" && mv "$f.tmp" "$f"
    printf '  %-18s %-28s %s\n' "$tool" "$name" "$(jq -c . <<<"$out" | cut -c1-110)"
  done
}

# the repository's JSON style (prettier), so that a re-capture diffs only in content
pretty() { "$root/scripts/node" "$root/node_modules/prettier/bin/prettier.cjs" --log-level warn --write "$GOLD/**/*.json" || true; }

case ${1:-} in
  capture) shift; ONLY=("$@"); capture; pretty ;;
  expect) shift; expect "$@"; pretty ;;
  *) echo "usage: $0 capture | expect [TOOL/CASE ...]" >&2; exit 2 ;;
esac
