# common.sh — small helpers every part of the probe uses: the clock, bad-input exits, the
# `timeout` wrapper, tool and address tests, JSON without jq, the termination log.
# (Part of netdiag-probe; assembled by scripts/build-probe. Defines functions only, apart
# from finding out once which `timeout` the image has.)

if [[ -n ${EPOCHREALTIME:-} ]]; then
  now_ms() { local t=${EPOCHREALTIME/[.,]/}; REPLY=$((10#$t / 1000)); }
else
  now_ms() { REPLY=$(date +%s%3N 2>/dev/null); case $REPLY in *N | '') REPLY=$(($(date +%s) * 1000)) ;; esac; }
fi

die_input() { # bad input: clear message, exit 2
  printf 'netdiag-probe: invalid input: %s\n' "$*" >&2
  printf 'netdiag-probe: run with --help for the plan format\n' >&2
  exit 2
}

have() { command -v "$1" >/dev/null 2>&1; }

# `timeout`, whichever the image has (docs/netshoot-compat.md): GNU coreutils exits 124 when
# it fired; busybox (netshoot is Alpine) execs the command itself and kills it, so the status
# is the signal's, 143 (TERM) or 137 (KILL); both take -k (busybox since 1.30); no timeout at
# all: tmo_sh, the same in bash. tmo normalizes: 124 or 137 = the time ran out. The main
# process finds out once (one call of `timeout --help`) and tells its workers (NETDIAG_TMO).
# Each worker is a process group of its own, and the main process stops one (cut short, hard
# timeout) by signalling that group (main.sh: stop_slot): so that the signal reaches the tool
# too, GNU timeout runs with --foreground (else it moves itself and the tool into a group of
# their own, and a stopped worker's tool would run on to its own bound, orphaned; what the
# tool itself forks is then not signalled by timeout: of the tools the probe runs only mtr
# forks, its mtr-packet, which ends with mtr); busybox timeout and tmo_sh stay in the
# worker's group anyway.
tmo_sh() { # SECS CMD... — TERM after SECS, KILL 1 s later; 124 when it fired
  local s=$1 p w k rc
  shift
  "$@" &
  p=$!
  { sleep "$s"; kill -TERM "$p"; } </dev/null >/dev/null 2>&1 &
  w=$!
  { sleep "$s"; sleep 1; kill -KILL "$p"; } </dev/null >/dev/null 2>&1 &
  k=$!
  # no TERM trap: a stopped worker's whole process group gets the signal (the command and
  # both watchers too), and a trap would keep the worker alive to write a result of its own
  wait "$p"
  rc=$?
  while kill -0 "$p" 2>/dev/null; do wait "$p"; rc=$?; done
  kill "$k" "$w" 2>/dev/null
  # the watcher's status: 0 = its TERM was delivered (the time ran out), else it was stopped
  wait "$w" && rc=124
  return "$rc"
}
case ${NETDIAG_TMO:-} in
  gnu-k-fg | gnu-fg | gnu-k | bb-k | gnu | bb | sh) ;;
  *)
    if ! have timeout; then NETDIAG_TMO=sh
    else
      NETDIAG_TMO=gnu
      _tmo_help=$(timeout --help 2>&1 </dev/null)
      case $_tmo_help in
        *BusyBox*"-k "*) NETDIAG_TMO=bb-k ;;
        *BusyBox*) NETDIAG_TMO=bb ;;
        *--kill-after*) NETDIAG_TMO=gnu-k ;;
        *) timeout -k 1 1 true 2>/dev/null && NETDIAG_TMO=gnu-k ;;
      esac
      [[ $NETDIAG_TMO == gnu* && $_tmo_help == *--foreground* ]] && NETDIAG_TMO+=-fg
      unset _tmo_help
    fi
    export NETDIAG_TMO
    ;;
esac
case $NETDIAG_TMO in
  gnu-k-fg) TMO=(timeout --foreground -k 1) ;;
  gnu-fg) TMO=(timeout --foreground) ;;
  gnu-k | bb-k) TMO=(timeout -k 1) ;;
  sh) TMO=(tmo_sh) ;;
  *) TMO=(timeout) ;;
esac
tmo() { # tmo SECS cmd args...
  "${TMO[@]}" "$@"
  local rc=$?
  [[ $NETDIAG_TMO == bb* ]] && ((rc == 143)) && rc=124
  return "$rc"
}

is_ipv4() { [[ $1 =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]]; }
is_ip() { is_ipv4 "$1" || [[ $1 == *:* ]]; }

# json_str: minimal JSON string escaping without jq (only used when jq is missing)
json_str() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  s=${s//$'\r'/\\r}
  printf '"%s"' "$s"
}

write_termlog() { # write_termlog JSON
  local dir
  dir=$(dirname -- "$TERMLOG")
  if { [[ -e $TERMLOG && -w $TERMLOG ]] || [[ ! -e $TERMLOG && -w $dir ]]; } &&
    printf '%s' "$1" >"$TERMLOG" 2>/dev/null; then
    return 0
  fi
  printf 'netdiag-probe: note: termination log %s not writable; summary not written there\n' "$TERMLOG" >&2
  return 0
}

