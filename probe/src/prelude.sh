#!/usr/bin/env bash
# netdiag-probe — the netdiag probe program (contract: docs/adr/0003-probe-contract.md).
#
# Runs layered network checks (dns, route, icmp, trace, tcp, http, tls, mtu) described by a
# JSON plan, concurrently per target and per check, each under a hard timeout, and reports:
#   * a human transcript on stdout,
#   * the full result as one line `NETDIAG_RESULT <json>` on stdout,
#   * a compact summary (< 4096 bytes) in $NETDIAG_TERMINATION_LOG (default /dev/termination-log).
#
# Inputs are data: the plan is parsed and validated with jq (every field of every check,
# whatever its kind), values reach tools only as separate argv entries (never through eval
# or a shell string), and only validated fields of a check's own kind leave jq.
# Runs unprivileged (Pod Security restricted: non-root uid, no capabilities, read-only root,
# writable TMPDIR): ICMP through datagram sockets, trace through tracepath (UDP).
#
# Runs on netshoot (Alpine: bash, busybox, bind-tools, curl, iputils, openssl, iproute2, jq)
# and on Debian. Exit status: 0 when the probe ran (whatever the targets did), 2 for bad input.
#
# Source layout (probe/src/, one file per role; scripts/build-probe assembles them, with the
# jq programs inlined, into the single text probe/netdiag-probe that the operator passes to
# `bash -c`, so nothing is read from other files at run time; the checks run in forked
# subshells of that one process, so the program is parsed once): prelude.sh (this: settings),
# common.sh (helpers), worker.sh (one check's life), resolve.sh, connect.sh, privilege.sh,
# check-<kind>.sh (+ <kind>.jq) per check kind, context.sh, cli.sh, main.sh (plan, run, result).

set -u
export LC_ALL=C
JQ=${NETDIAG_JQ:-jq}
MAX_PARALLEL=${NETDIAG_MAX_PARALLEL:-64}
[[ $MAX_PARALLEL =~ ^[0-9]{1,4}$ ]] && ((MAX_PARALLEL >= 1)) || MAX_PARALLEL=64
TERMLOG=${NETDIAG_TERMINATION_LOG:-/dev/termination-log}
SUMMARY_LIMIT=4000 # bytes; the kubelet caps termination messages at 4096

