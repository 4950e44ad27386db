# worker.sh — one check's life: the worker the main process forks per check (a subshell;
# the main process enforces its hard timeout), its deadline, its transcript (say) and its
# one result (finish).
# (Part of netdiag-probe; assembled by scripts/build-probe.)
#
# Called as: run_check_worker WORKDIR TI CI TIMEOUT START_MS RAW   (in a subshell)
# Reads WORKDIR/in/TI.CI.f (fields) and .json (input), writes WORKDIR/out/TI.CI.json (+ .txt
# transcript).

say() { printf '%s\n' "$*" >>"$TXF"; }

remaining() { # REM = whole seconds left until the check's deadline (>= 1); REMF = same, to 0.1 s
  now_ms
  local left=$((DEADLINE_MS - REPLY))
  REM=$(((left + 999) / 1000))
  ((REM < 1)) && REM=1
  if [[ ${NETDIAG_FRACTIONAL_TIMEOUT:-} == 1 ]] && ((left >= 500)); then
    REMF="$((left / 1000)).$(((left % 1000) / 100))"
  else
    REMF=$REM
  fi
}

# finish OUTCOME [jq args...] FILTER — writes the check result and exits.
#   FILTER builds the detail object from the jq args. With OUTCOME "@" the FILTER returns
#   {outcome, detail, say?:[transcript lines]} instead (outcome computed in jq).
#   One jq call per check: line 1 of its output is the result, the rest is transcript.
finish() {
  local outcome=$1 a seen=0 pre=() post=()
  shift
  for a in "$@"; do # jq args, FILTER, then optionally --args POSITIONAL...
    if ((seen)); then post+=("$a"); elif [[ $a == --args ]]; then seen=1; else pre+=("$a"); fi
  done
  local filter='{}'
  if ((${#pre[@]} > 0)); then
    filter=${pre[${#pre[@]} - 1]}
    unset "pre[$((${#pre[@]} - 1))]"
  fi
  ((seen)) && post=(--args "${post[@]+"${post[@]}"}")
  [[ $outcome == @ ]] || filter="{outcome:\$oc0, detail:($filter)}"
  now_ms
  local dur=$((REPLY - START_MS)) out
  if out=$("$JQ" -rn --arg oc0 "$outcome" --arg check "$CHECK" --argjson dur "$dur" \
    --argjson ti "$TI" --argjson ci "$CI" --slurpfile input "$INFILE" "${pre[@]+"${pre[@]}"}" "
    ($filter) as \$r
    | ({ti:\$ti, ci:\$ci, result:{check:\$check, outcome:\$r.outcome, durationMs:\$dur,
        detail:({input:\$input[0]} + \$r.detail)}} | tojson),
      ((\$r.say // [])[] | \"  \" + .),
      \"=> \" + \$r.outcome" "${post[@]+"${post[@]}"}" 2>>"$WD/errors"); then
    printf '%s\n' "${out#*$'\n'}" >>"$TXF"
    printf '%s\n' "${out%%$'\n'*}" >"$OUTF.tmp" && mv "$OUTF.tmp" "$OUTF"
  else
    say "=> error (internal: could not build the result)"
    printf '{"ti":%s,"ci":%s,"result":{"check":"%s","outcome":"error","durationMs":%s,"detail":{"reason":"internal error: the probe could not build this result (jq failed)"}}}\n' \
      "$TI" "$CI" "$CHECK" "$dur" >"$OUTF"
  fi
  exit 0
}


run_check_worker() {
  WD=$1 TI=$2 CI=$3 T=$4 RAW=${6:-0}
  # defense in depth: the main process validated these; nothing unchecked reaches arithmetic
  [[ $TI =~ ^[0-9]{1,6}$ && $CI =~ ^[0-9]{1,6}$ && $T =~ ^[0-9]{1,3}$ ]] || exit 1
  [[ $RAW == 1 ]] || RAW=0
  INFILE=$WD/in/$TI.$CI.json
  OUTF=$WD/out/$TI.$CI.json
  TXF=$WD/out/$TI.$CI.txt
  # the budget runs from when the main process launched this check (arg 5), so time spent
  # waiting for a CPU on a busy node is not added on top of the timeout
  now_ms; START_MS=$REPLY
  if [[ ${5:-} =~ ^[0-9]+$ ]] && (($5 <= START_MS)); then START_MS=$5; fi
  DEADLINE_MS=$((START_MS + T * 1000))
  : >"$TXF"
  # the validated fields of this check kind, split at U+001F (validation forbids control
  # characters, so a value is never split; the count and the final "." are checked all the same)
  local -a f=()
  CHECK=invalid
  IFS=$'\x1f' read -r -a f <"$WD/in/$TI.$CI.f" 2>>"$WD/errors"
  ((${#f[@]} == 13)) && [[ ${f[12]} == . ]] || finish error '{reason:"internal error: the validated check fields could not be read"}'
  CHECK=${f[0]} F_NAME=${f[1]} F_HOST=${f[2]} F_PORT=${f[3]} F_URL=${f[4]} F_SNI=${f[5]} F_CAFILE=${f[6]}
  F_INSECURE=${f[7]} F_QTYPE=${f[8]} F_MAXHOPS=${f[9]} F_CONNECT=${f[10]}
  local why=''
  case $CHECK in dns | route | icmp | trace | tcp | http | tls | mtu) ;; *) CHECK=invalid why=check ;; esac
  [[ -z $F_PORT || $F_PORT =~ ^[0-9]{1,5}$ ]] || why=port
  [[ -z $F_MAXHOPS || $F_MAXHOPS =~ ^[0-9]{1,2}$ ]] || why=maxHops
  [[ -z $F_CONNECT || $F_CONNECT =~ ^[0-9]{1,3}$ ]] || why=connectTimeoutSeconds
  [[ $F_NAME == -* || $F_HOST == -* || $F_SNI == -* ]] && why=host
  [[ -z $F_URL || $F_URL =~ ^https?://[^-] ]] || why=url
  [[ -z $F_CAFILE || $F_CAFILE == /* ]] || why=caFile
  [[ -n $why ]] && finish error --arg f "$why" '{invalid:true, reason:("internal check of field " + $f + " failed; not run")}'
  F_HOSTHDR=''
  [[ $CHECK == http ]] && { F_HOSTHDR=$F_HOST; F_HOST=''; }
  case $CHECK in
    dns) say "[dns] $F_NAME" ;;
    http) say "[http] $F_URL" ;;
    tcp | tls) say "[$CHECK] $F_HOST:${F_PORT:-443}" ;;
    *) say "[$CHECK] $F_HOST" ;;
  esac
  case $CHECK in
    dns) check_dns ;;
    route) check_route ;;
    icmp) check_icmp ;;
    trace) check_trace ;;
    tcp) check_tcp ;;
    http) check_http ;;
    tls) check_tls ;;
    mtu) check_mtu ;;
  esac
  finish error '{reason:"check ended without a result"}'
}
