#!/usr/bin/env bash
# netns-lab.sh — a throw-away network lab for the probe tests (root only).
#
#   netns-lab.sh deps               install missing tools (apt-get, only when missing)
#   netns-lab.sh up PREFIX DIR      build the lab; namespaces PREFIXc (client), PREFIXr (router),
#                                   PREFIXs (server); state (pids, certs, logs) in DIR
#   netns-lab.sh down PREFIX DIR    kill the processes it started (by pid), delete its namespaces
#
# Addresses (all in 198.18.0.0/15; nothing leaves the machine):
#   client  c0 198.18.200.2/24 mtu 1500, default via 198.18.200.1; unreachable route 198.18.240.0/24
#   router  r0 198.18.200.1/24 (client side), r1 198.18.201.1/24 (server), r2 198.18.202.1/24 mtu 1400
#   server  s0 198.18.201.2/24 (+ .3 icmp-dropped, .53 dns-dropped), s1 198.18.202.2/24 mtu 1400
# Services on the server: dnsmasq :53 (lab.test; broken.test -> SERVFAIL), HTTP 8080 (200),
#   8081 (503), 127.0.0.1:9090 only, udp 5399 SERVFAIL stub (node, lab-servers.ts), TLS 8443 good / 8444 expired / 8445 wrong name,
#   tcp 7000 closed, 7001 DROP, 7002 REJECT tcp-reset, 7003 REJECT icmp-port-unreachable,
#   7004 REJECT icmp-host-prohibited, 7005 REJECT icmp-admin-prohibited.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

deps() {
  local missing=() t
  local -A pkgs=([ip]=iproute2 [iptables]=iptables [dig]=bind9-dnsutils [nc]=netcat-openbsd [ping]=iputils-ping
    [tracepath]=iputils-tracepath [traceroute]=traceroute [openssl]=openssl [curl]=curl [dnsmasq]=dnsmasq-base [jq]=jq
    [getent]=libc-bin [timeout]=coreutils)
  for t in "${!pkgs[@]}"; do
    command -v "$t" >/dev/null 2>&1 || missing+=("${pkgs[$t]}")
  done
  ((${#missing[@]} == 0)) && return 0
  echo "netns-lab: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "${missing[@]}" >/dev/null; }
}

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

start_bg() { # start_bg NS PIDNAME cmd... — start a process in NS, remember its pid
  local ns=$1 name=$2
  shift 2
  ip netns exec "$ns" "$@" >"$DIR/$name.log" 2>&1 &
  echo $! >"$DIR/$name.pid"
}

make_certs() {
  local d=$DIR/pki
  mkdir -p "$d/newcerts"
  : >"$d/index.txt"
  echo 1000 >"$d/serial"
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${ec[@]}" -keyout "$d/ca.key" -out "$d/ca.crt" -subj /CN=netdiag-lab-ca -days 3 2>/dev/null
  cat >"$d/ca.cnf" <<CNF
[ ca ]
default_ca = lab
[ lab ]
dir = $d
database = $d/index.txt
new_certs_dir = $d/newcerts
serial = $d/serial
default_md = sha256
policy = pol
copy_extensions = copy
unique_subject = no
[ pol ]
commonName = supplied
CNF
  local name cn san start end
  for spec in "good|tls.lab.test|DNS:tls.lab.test,IP:198.18.201.2|-|-" \
    "expired|tls.lab.test|DNS:tls.lab.test,IP:198.18.201.2|20200101000000Z|20200201000000Z" \
    "wrong|other.example.test|DNS:other.example.test|-|-"; do
    IFS='|' read -r name cn san start end <<<"$spec"
    openssl req -new "${ec[@]}" -keyout "$d/$name.key" -out "$d/$name.csr" -subj "/CN=$cn" -addext "subjectAltName=$san" 2>/dev/null
    if [[ $start == - ]]; then
      openssl ca -batch -config "$d/ca.cnf" -cert "$d/ca.crt" -keyfile "$d/ca.key" -in "$d/$name.csr" -out "$d/$name.crt" -days 3 -notext 2>/dev/null
    else
      openssl ca -batch -config "$d/ca.cnf" -cert "$d/ca.crt" -keyfile "$d/ca.key" -in "$d/$name.csr" -out "$d/$name.crt" \
        -startdate "$start" -enddate "$end" -notext 2>/dev/null
    fi
  done
}

wait_port() { # wait_port NS HOST PORT
  local i
  for ((i = 0; i < 100; i++)); do
    if ip netns exec "$1" bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$2" "$3" 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "netns-lab: $2:$3 did not come up in $1" >&2
  return 1
}

up() {
  local C=${P}c R=${P}r S=${P}s
  mkdir -p "$DIR"
  trap 'echo "netns-lab: setup failed; cleaning up" >&2; down' ERR
  ip netns add "$C"; echo "$C" >>"$DIR/namespaces"
  ip netns add "$R"; echo "$R" >>"$DIR/namespaces"
  ip netns add "$S"; echo "$S" >>"$DIR/namespaces"
  for ns in "$C" "$R" "$S"; do nsx "$ns" ip link set lo up; done
  # links are created inside the namespaces: no interface names in the root namespace
  ip -n "$C" link add c0 type veth peer name r0 netns "$R"
  ip -n "$R" link add r1 type veth peer name s0 netns "$S"
  ip -n "$R" link add r2 type veth peer name s1 netns "$S"
  ip -n "$C" addr add 198.18.200.2/24 dev c0
  ip -n "$R" addr add 198.18.200.1/24 dev r0
  ip -n "$R" addr add 198.18.201.1/24 dev r1
  ip -n "$R" addr add 198.18.202.1/24 dev r2
  ip -n "$S" addr add 198.18.201.2/24 dev s0
  ip -n "$S" addr add 198.18.201.3/24 dev s0
  ip -n "$S" addr add 198.18.201.53/24 dev s0
  ip -n "$S" addr add 198.18.202.2/24 dev s1
  ip -n "$R" link set r2 mtu 1400
  ip -n "$S" link set s1 mtu 1400
  for l in "$C c0" "$R r0" "$R r1" "$R r2" "$S s0" "$S s1"; do set -- $l; ip -n "$1" link set "$2" up; done
  ip -n "$C" route add default via 198.18.200.1
  ip -n "$C" route add unreachable 198.18.240.0/24
  ip -n "$S" route add default via 198.18.201.1
  nsx "$R" sysctl -qw net.ipv4.ip_forward=1
  for ns in "$R" "$S"; do nsx "$ns" sysctl -qw net.ipv4.icmp_ratelimit=0; done
  # firewall faults on the server
  nsx "$S" iptables -A INPUT -p tcp --dport 7001 -j DROP
  nsx "$S" iptables -A INPUT -p tcp --dport 7002 -j REJECT --reject-with tcp-reset
  nsx "$S" iptables -A INPUT -p tcp --dport 7003 -j REJECT --reject-with icmp-port-unreachable
  nsx "$S" iptables -A INPUT -p tcp --dport 7004 -j REJECT --reject-with icmp-host-prohibited
  nsx "$S" iptables -A INPUT -p tcp --dport 7005 -j REJECT --reject-with icmp-admin-prohibited
  nsx "$S" iptables -A INPUT -d 198.18.201.3 -p icmp --icmp-type echo-request -j DROP
  nsx "$S" iptables -A INPUT -d 198.18.201.53 -p udp --dport 53 -j DROP
  nsx "$S" iptables -A INPUT -d 198.18.201.53 -p tcp --dport 53 -j DROP
  # the client's resolv.conf (ip netns exec bind-mounts /etc/netns/<ns>/resolv.conf)
  mkdir -p "/etc/netns/$C"
  echo "/etc/netns/$C" >>"$DIR/etcdirs"
  printf 'nameserver 198.18.201.2\nsearch shop.lab.test lab.test\noptions ndots:5\n' >"/etc/netns/$C/resolv.conf"
  # DNS: lab.test is local (unknown names -> NXDOMAIN); broken.test forwards to a dead upstream -> SERVFAIL
  start_bg "$S" dnsmasq dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts --no-poll --bind-interfaces \
    --listen-address=198.18.201.2 --pid-file= --user=root --group=root --log-queries --log-facility=- \
    --local=/lab.test/ --host-record=web.lab.test,198.18.201.2 --host-record=tls.lab.test,198.18.201.2 \
    --host-record=mtu.lab.test,198.18.202.2 --server=/broken.test/198.18.201.2#5399
  # HTTP servers
  start_bg "$S" servers "$(command -v node)" "$here/lab-servers.ts"
  # TLS servers
  make_certs
  local port name
  for spec in 8443:good 8444:expired 8445:wrong; do
    port=${spec%%:*} name=${spec#*:}
    start_bg "$S" "tls-$name" openssl s_server -accept "198.18.201.2:$port" -cert "$DIR/pki/$name.crt" \
      -key "$DIR/pki/$name.key" -www -quiet
  done
  wait_port "$S" 198.18.201.2 8080
  wait_port "$S" 198.18.201.2 8081
  wait_port "$S" 127.0.0.1 9090
  wait_port "$S" 198.18.201.2 8443
  wait_port "$S" 198.18.201.2 8444
  wait_port "$S" 198.18.201.2 8445
  local i
  for ((i = 0; i < 100; i++)); do
    nsx "$C" dig @198.18.201.2 +time=1 +tries=1 +short web.lab.test 2>/dev/null | grep -q 198.18.201.2 && break
    sleep 0.05
  done
  trap - ERR
  echo "netns-lab: up ($C $R $S)"
}

down() {
  local f pid ns
  set +e
  for f in "$DIR"/*.pid; do
    [[ -e $f ]] || continue
    pid=$(cat "$f")
    [[ $pid =~ ^[0-9]+$ ]] && kill "$pid" 2>/dev/null
    rm -f "$f"
  done
  # anything still running inside our own namespaces was started by this lab
  if [[ -f $DIR/namespaces ]]; then
    while read -r ns; do
      [[ $ns == "$P"* ]] || continue
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
    done <"$DIR/namespaces"
    sleep 0.1
    while read -r ns; do
      [[ $ns == "$P"* ]] || continue
      ip netns del "$ns" 2>/dev/null
    done <"$DIR/namespaces"
    rm -f "$DIR/namespaces"
  fi
  if [[ -f $DIR/etcdirs ]]; then
    while read -r f; do [[ $f == /etc/netns/"$P"* ]] && rm -rf -- "$f"; done <"$DIR/etcdirs"
    rm -f "$DIR/etcdirs"
  fi
  return 0
}

cmd=${1:-}
case $cmd in
  deps) deps ;;
  up | down)
    P=${2:?prefix}
    DIR=${3:?state dir}
    [[ $P =~ ^ndp-[A-Za-z0-9-]+-$ ]] || { echo "netns-lab: prefix must look like ndp-<id>-" >&2; exit 2; }
    "$cmd"
    ;;
  *) echo "usage: $0 deps | up PREFIX DIR | down PREFIX DIR" >&2; exit 2 ;;
esac
