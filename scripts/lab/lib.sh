# shellcheck shell=bash
# shellcheck disable=SC2034  # variables are used by the scripts that source this file
# Shared helpers for scripts/lab/{up,down,status}. Sourced, not executed.
#
# State layout under $LAB_DIR (default <repo>/.lab, override with NETDIAG_LAB_DIR):
#   env            ports, versions and paths of the running lab (sourced by scripts)
#   pids/<c>.pid   pid of component <c>
#   logs/<c>.log   stdout+stderr of component <c>
#   pki/           CA, serving/client certs, service-account key pair
#   etcd/          etcd data dir
#   <c>.kubeconfig per-component kubeconfigs; kubeconfig is the admin one

LAB_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$LAB_SCRIPTS/../.." && pwd)"
LAB_DIR="${NETDIAG_LAB_DIR:-$REPO_ROOT/.lab}"
case "$LAB_DIR" in /*) ;; *) LAB_DIR="$PWD/$LAB_DIR" ;; esac

# shellcheck source=scripts/lab/versions.sh
. "$LAB_SCRIPTS/versions.sh"
K8S_VERSION="$NETDIAG_K8S_VERSION"
LAB_BIN="${NETDIAG_CACHE:-$HOME/.cache/netdiag}/lab/${K8S_VERSION}/bin"

# Addresses: everything the lab owns lives in 198.18.0.0/15 (RFC 2544 benchmarking
# range) or on loopback.
#   198.18.0.0/16    pod network (reserved for the node level, --node)
#   198.19.0.0/17    service ClusterIPs; 198.19.0.1 is the kubernetes Service
#   198.19.128.0/17  reserved for lab test hosts / network namespaces
LAB_POD_CIDR="198.18.0.0/16"
LAB_SERVICE_CIDR="198.19.0.0/17"
LAB_KUBERNETES_SVC_IP="198.19.0.1"
LAB_HOST="127.0.0.1"

# Control-plane components in start order; stop order is the reverse.
# A later --node flag appends node components (kubelet, kube-proxy, ...).
CONTROL_PLANE=(etcd kube-apiserver kube-controller-manager kube-scheduler)

# Controllers enabled in kube-controller-manager (override with NETDIAG_LAB_CONTROLLERS).
LAB_CONTROLLERS="${NETDIAG_LAB_CONTROLLERS:-serviceaccount-token-controller,serviceaccount-controller,root-ca-certificate-publisher-controller,namespace-controller,garbage-collector-controller,clusterrole-aggregation-controller,endpoints-controller,endpointslice-controller,endpointslice-mirroring-controller,service-cidr-controller,deployment-controller,replicaset-controller,daemonset-controller,job-controller,ttl-after-finished-controller,pod-garbage-collector-controller,resourcequota-controller}"

log() { printf '[lab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

pidfile() { echo "$LAB_DIR/pids/$1.pid"; }

# Pid of component $1 if it is alive AND really runs a binary from $LAB_BIN
# and has this lab dir on its command line (guards against pid reuse: we never
# signal a process we did not start).
component_pid() {
  local f pid exe cmd
  f="$(pidfile "$1")"
  [ -f "$f" ] || return 1
  pid="$(cat "$f" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null)" || return 1
  case "$exe" in
    "$LAB_BIN"/*|*/lab/*/bin/*) ;;
    *) return 1 ;;
  esac
  # Every component gets at least one path below $LAB_DIR on its command line.
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *"$LAB_DIR/"* ]] || return 1
  echo "$pid"
}

# shellcheck disable=SC1091
load_env() { [ -f "$LAB_DIR/env" ] && . "$LAB_DIR/env"; }

kubectl_admin() { "$LAB_BIN/kubectl" --kubeconfig "$LAB_DIR/kubeconfig" "$@"; }

apiserver_ready() {
  [ -f "$LAB_DIR/kubeconfig" ] && [ -x "$LAB_BIN/kubectl" ] || return 1
  kubectl_admin get --raw /readyz --request-timeout=5s >/dev/null 2>&1
}

# spawn LOG CMD ARGS... : start CMD in its own session, in the background ($! is its pid),
# stdin from /dev/null, output appended to LOG, and no inherited descriptor above 2: a
# lab started under `flock LOCK scripts/...` must not keep holding LOCK in its daemons
# (they outlive the command; every later `flock LOCK` would wait forever).
spawn() {
  local log="$1"; shift
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"
    done
    exec setsid "$@" </dev/null >>"$log" 2>&1
  ) &
}

# Stop component $1: SIGTERM, then SIGKILL after ${2:-15}s.
stop_component() {
  local c="$1" timeout="${2:-15}" pid i
  if pid="$(component_pid "$c")"; then
    log "stopping $c (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    kill -CONT "$pid" 2>/dev/null || true # a component frozen by a scenario (link drop-svc-rule) must see the TERM
    for ((i = 0; i < timeout * 5; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$c (pid $pid) did not exit after ${timeout}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 25; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
  fi
  rm -f "$(pidfile "$c")"
}

# Unmount anything mounted below $LAB_DIR (deepest first). The control plane mounts
# nothing; the node level (kubelet) will.
unmount_lab() {
  local m
  [ -d "$LAB_DIR" ] || return 0
  awk -v d="$LAB_DIR/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r |
    while read -r m; do
      log "unmounting $m"
      umount "$m" 2>/dev/null || umount -l "$m" || true
    done
}
