# Sourced by scripts/demo and scripts/e2e: bring up the level-2 lab (a real node) and
# run the operator in it from deploy/, exactly as users do.
# shellcheck shell=bash
_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export KUBECONFIG="${NETDIAG_LAB_DIR:-$_root/.lab}/kubeconfig"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# shellcheck source=scripts/lab/versions.sh
. "$_root/scripts/lab/versions.sh"

kubectl_lab() {
  local bin="${NETDIAG_CACHE:-$HOME/.cache/netdiag}/lab/${NETDIAG_K8S_VERSION}/bin/kubectl"
  "$bin" "$@"
}

# Build (cached) and start the cluster with its node; deploy the operator in-cluster:
# from crds/ and deploy/ (`cluster_up_with_operator`, the demo), or with `helm upgrade
# --install` of charts/netdiag (`cluster_up_with_operator helm`, the e2e stage: helm
# installs what users install; deploy/ is the chart's default render, test/chart).
# NETDIAG_LAB_NODES=2 starts the two-node lab (scripts/e2e does; the demo uses one).
# The helm install (e2e) probes with the Alpine-like netshoot (busybox tools, as the real
# image has); NETDIAG_E2E_PROBE_IMAGE=nicolaka/netshoot:v0.13 probes with the Debian one.
cluster_up_with_operator() {
  local how="${1:-manifests}" nodes="${NETDIAG_LAB_NODES:-1}"
  say "cluster: build (cached after the first time) and start, with $nodes real node(s)"
  "$_root/scripts/lab/build"
  "$_root/scripts/lab/up" --nodes "$nodes"
  "$_root/scripts/lab/images/operator"
  if [ "$how" = helm ]; then
    local helm
    helm=$("$_root/scripts/lab/build-helm" | tail -n1)
    say "operator: image from dist/, installed with helm from charts/netdiag"
    # one replica (leader election still runs; two cores); the lab is a single-tenant
    # cluster: its admin lets findings name any namespace (docs/security.md) and lets
    # the cross-node scenarios fan probes out over the nodes (test/scenarios/cross-node-*);
    # the operator stands on lab-node, the API server's side: when those scenarios cut
    # the pod network between the nodes, an operator on lab-node-2 would lose the API
    # server too (as it would in any cluster) and no diagnosis could finish; and node
    # inspection is on, kube-proxy's rules included, as an admin who wants full diagnoses
    # sets it (ADR 0013); and it may add ephemeral probe containers to a named source pod
    # (spec.source.pod, test/scenarios/source-pod-egress-rule; ADR 0014). --force-conflicts:
    # the release takes back what a demo's kubectl apply or a benchmark's set env changed
    "$helm" upgrade --install netdiag "$_root/charts/netdiag" -n netdiag-system --create-namespace \
      --set replicas=1 --set policy.namespaceHints=all \
      --set-string 'nodeSelector.kubernetes\.io/hostname=lab-node' \
      --set "probeImage=${NETDIAG_E2E_PROBE_IMAGE:-nicolaka/netshoot:alpine-like}" \
      --set policy.nodeInspection=true --set policy.nodeInspectionRules=true --set rbac.ephemeralContainers=true \
      --set 'policy.nodeFanOutNamespaces={cross-node-route,cross-node-mtu,cross-node-coredns}' \
      --force-conflicts --wait --timeout 180s
  else
    say "operator: image from dist/, deployed from crds/ and deploy/"
    kubectl_lab apply -f "$_root/crds/" -f "$_root/deploy/"
    kubectl_lab -n netdiag-system scale deployment/netdiag-operator --replicas=1
    # as an admin who wants full diagnoses configures it (ADR 0013), as the e2e install does
    kubectl_lab -n netdiag-system set env deployment/netdiag-operator NETDIAG_NAMESPACE_HINTS=all \
      NETDIAG_NODE_INSPECTION=true NETDIAG_NODE_INSPECTION_RULES=true >/dev/null
  fi
  # the image tag stays the same when dist/ changes: restart to run the fresh image
  kubectl_lab -n netdiag-system rollout restart deployment/netdiag-operator >/dev/null
  kubectl_lab -n netdiag-system rollout status deployment/netdiag-operator --timeout=180s
}
