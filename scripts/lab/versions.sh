# shellcheck shell=bash
# The one version pin of the lab: every lab script sources this file, src/dev reads it.
# Override any of them from the environment (e.g. NETDIAG_K8S_VERSION=v1.34.5).
export NETDIAG_K8S_VERSION="${NETDIAG_K8S_VERSION:-v1.34.4}"
export NETDIAG_ETCD_VERSION="${NETDIAG_ETCD_VERSION:-v3.6.16}"
export NETDIAG_COREDNS_VERSION="${NETDIAG_COREDNS_VERSION:-v1.12.4}"
export NETDIAG_HELM_VERSION="${NETDIAG_HELM_VERSION:-v4.3.2}"
