# common.sh — small helpers every part of the probe uses: the clock, bad-input exits, the
# `timeout` wrapper, tool and address tests, JSON without jq, the termination log.
# (Part of netdiag-probe; assembled by scripts/build-probe. Defines functions only, apart
# from probing once which `timeout` options exist.)

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

TMO=(timeout)
if timeout -k 1 1 true 2>/dev/null; then TMO=(timeout -k 1); fi
tmo() { "${TMO[@]}" "$@"; } # tmo SECS cmd args...

have() { command -v "$1" >/dev/null 2>&1; }

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

