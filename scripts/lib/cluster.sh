# Sourced by scripts/demo and scripts/e2e: bring up the level-2 lab (a real node) and
# run the operator in it from deploy/, exactly as users do.
# shellcheck shell=bash
_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export KUBECONFIG="${NETDIAG_LAB_DIR:-$_root/.lab}/kubeconfig"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

kubectl_lab() {
  local bin="${NETDIAG_CACHE:-$HOME/.cache/netdiag}/lab/${NETDIAG_K8S_VERSION:-v1.34.4}/bin/kubectl"
  "$bin" "$@"
}

# Build (cached) and start the cluster with its node; deploy the operator in-cluster.
cluster_up_with_operator() {
  say "cluster: build (cached after the first time) and start, with a real node"
  "$_root/scripts/lab/build"
  "$_root/scripts/lab/up" --node
  say "operator: image from dist/, deployed from crds/ and deploy/"
  "$_root/scripts/lab/images/operator"
  kubectl_lab apply -f "$_root/crds/" -f "$_root/deploy/"
  # one replica is enough on a one-node lab; leader election still runs
  kubectl_lab -n netdiag-system scale deployment/netdiag-operator --replicas=1
  # the lab is a single-tenant cluster: its admin lets findings name any namespace
  # (shared scenario short-name-cross-namespace; the default "labelled" is docs/security.md)
  kubectl_lab -n netdiag-system set env deployment/netdiag-operator NETDIAG_NAMESPACE_HINTS=all >/dev/null
  kubectl_lab -n netdiag-system rollout restart deployment/netdiag-operator >/dev/null
  kubectl_lab -n netdiag-system rollout status deployment/netdiag-operator --timeout=180s
}
