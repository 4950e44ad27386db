# main.sh — the main process: run one check as a worker (--__check), or read the plan
# (flags, NETDIAG_PLAN, NETDIAG_PLAN_FILE), validate it (validate-plan.jq), start one worker
# per check under a hard timeout, gather the context, and write the result (result.jq):
# transcript and NETDIAG_RESULT line on stdout, summary in the termination log.
# (Part of netdiag-probe; assembled by scripts/build-probe. The last part: it runs.)

if [[ ${1:-} == --__check ]]; then
  shift
  run_check_worker "$@"
  exit 0
fi

now_ms; RUN_START=$REPLY
PLAN=''

# jq itself is required; without it report tool-missing in plain JSON
if ! command -v "$JQ" >/dev/null 2>&1; then
  for a in "$@"; do [[ $a == --help || $a == -h ]] && { usage; exit 0; }; done
  msg="jq not found (looked for '$JQ'); the probe needs jq to parse the plan and build JSON - use an image with jq (netshoot has it)"
  printf 'netdiag-probe: %s\n' "$msg" >&2
  node=${NODE_NAME:-$(hostname 2>/dev/null || echo unknown)}
  res="{\"version\":1,\"runId\":null,\"node\":$(json_str "$node"),\"outcome\":\"tool-missing\",\"detail\":{\"reason\":$(json_str "$msg")},\"targets\":[]}"
  printf 'NETDIAG_RESULT %s\n' "$res"
  write_termlog "$res"
  exit 0
fi

if (($# > 0)); then
  build_cli_plan "$@"
elif [[ -n ${NETDIAG_PLAN:-} ]]; then
  PLAN=$NETDIAG_PLAN
elif [[ -n ${NETDIAG_PLAN_FILE:-} ]]; then
  [[ -r $NETDIAG_PLAN_FILE ]] || die_input "NETDIAG_PLAN_FILE=$NETDIAG_PLAN_FILE is not a readable file"
  PLAN=$(cat -- "$NETDIAG_PLAN_FILE")
else
  usage >&2
  die_input "no plan: set NETDIAG_PLAN (JSON) or NETDIAG_PLAN_FILE, or pass check flags"
fi

# ---------------------------------------------------------------- validate the plan
# One jq program validates every field of every check, whatever its kind, before anything
# uses it (validate-plan.jq says how, and what its output lines are). Only a bad plan
# envelope ends the probe with exit 2; a bad check or target becomes a result of its own.
#@jq JQ_VALIDATE validate-plan.jq
# can `timeout` take fractions of a second (coreutils; busybox with float durations; tmo_sh)?
if tmo 0.2 true 2>/dev/null; then export NETDIAG_FRACTIONAL_TIMEOUT=1; else export NETDIAG_FRACTIONAL_TIMEOUT=0; fi

if ! listing=$(printf '%s' "$PLAN" | "$JQ" -r "$JQ_VALIDATE" 2>&1); then
  die_input "the plan is not valid JSON: $(printf '%s' "$listing" | head -n1)"
fi
if [[ $listing == E$'\t'* ]]; then
  printf 'netdiag-probe: invalid plan:\n' >&2
  printf '%s\n' "$listing" | sed "s/^E$(printf '\t')/  - /" >&2
  printf 'netdiag-probe: fix the plan fields listed above; run with --help for the format\n' >&2
  exit 2
fi

# ---------------------------------------------------------------- run
WORK=$(mktemp -d "${TMPDIR:-/tmp}/netdiag.XXXXXX") || { echo "netdiag-probe: cannot create a temp dir under ${TMPDIR:-/tmp}" >&2; exit 1; }
KEEP_WORK=${NETDIAG_KEEP_WORKDIR:-}
cleanup() {
  local p
  for p in $(jobs -p); do kill "$p" 2>/dev/null; done
  [[ -z $KEEP_WORK ]] && rm -rf -- "$WORK"
  [[ -n ${INLINE_SELF:-} ]] && rm -f -- "$INLINE_SELF"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$WORK/in" "$WORK/out"

# context (resolv.conf, interfaces, routes; context.sh) — gathered while checks run
gather_context &
CTX_PID=$!

# A tool installed with a file capability (Debian's ping: cap_net_raw=ep) cannot even be
# executed in a pod whose bounding set lacks that capability (Pod Security restricted: drop
# ALL): execve fails with EPERM. A copy carries no capability and runs unprivileged (ICMP
# datagram sockets via net.ipv4.ping_group_range), so run a copy from the work dir instead.
TOOL_COPIES=()
for tool in ping tracepath traceroute; do
  have "$tool" || continue
  out=$("$tool" -V 2>&1 </dev/null); rc=$?
  if ((rc == 126)) && [[ $out == *"not permitted"* ]]; then
    mkdir -p "$WORK/bin"
    if cp -- "$(command -v "$tool")" "$WORK/bin/$tool" 2>/dev/null && chmod 755 "$WORK/bin/$tool"; then
      TOOL_COPIES+=("$tool")
    fi
  fi
done
if ((${#TOOL_COPIES[@]} > 0)); then
  export PATH="$WORK/bin:$PATH"
  echo "netdiag-probe: note: ${TOOL_COPIES[*]} carry file capabilities this pod does not have (exec is refused); running capability-free copies"
fi

NODE=${NODE_NAME:-$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname 2>/dev/null || echo unknown)}
PODIP=${POD_IP:-$(ip -o -4 addr show scope global 2>/dev/null | first_address)}

# write each check's input (verbatim JSON, echoed in detail.input) and its validated fields
# (JSON, read by the worker with jq); invalid checks already are results
RUN_LIST=() ALL_LIST=() RAW=0 CONFIRM=0
is_kind() { case $1 in dns | route | icmp | trace | tcp | http | tls | mtu) return 0 ;; esac; return 1; }
while IFS=$'\t' read -r tag a b c d e f; do
  case $tag in
    P)
      printf '%s\n' "$a" >"$WORK/plan.json"
      [[ $a == *'"rawSockets":true'* ]] && RAW=1
      [[ $a =~ \"confirmAfterSeconds\":([0-9]{1,2})[,}] ]] && CONFIRM=${BASH_REMATCH[1]}
      ;;
    C) # ti ci timeout kind fields input — re-checked here: nothing unchecked reaches arithmetic
      [[ $a =~ ^[0-9]{1,6}$ && $b =~ ^[0-9]{1,6}$ && $c =~ ^[0-9]{1,3}$ ]] && ((c >= 1 && c <= 300)) && is_kind "$d" ||
        { echo "netdiag-probe: internal error: malformed check line" >&2; exit 1; }
      printf '%s\n' "$e" >"$WORK/in/$a.$b.f.json"
      printf '%s\n' "$f" >"$WORK/in/$a.$b.json"
      RUN_LIST+=("$a $b $c $d")
      ALL_LIST+=("$a $b")
      ;;
    I) # ti ci kind result reason
      [[ $a =~ ^[0-9]{1,6}$ && $b =~ ^[0-9]{1,6}$ && $c =~ ^[a-z]{1,8}$ ]] ||
        { echo "netdiag-probe: internal error: malformed invalid-check line" >&2; exit 1; }
      printf '%s\n' "$d" >"$WORK/out/$a.$b.json"
      printf '[%s] invalid check, not run\n  %s\n=> error\n' "$c" "$e" >"$WORK/out/$a.$b.txt"
      ALL_LIST+=("$a $b")
      ;;
  esac
done <<<"$listing"
[[ -s $WORK/plan.json ]] || { echo "netdiag-probe: internal error: no plan skeleton" >&2; exit 1; }

# Settle: NetworkPolicy enforcers program a new pod's rules asynchronously (kube-router,
# for one, after it sees the pod's IP). The operator asks the probe to wait that long, so
# it is judged by the same rules as the long-lived pod whose labels it carries.
SETTLE=${NETDIAG_SETTLE_SECONDS:-0}
if [[ $SETTLE =~ ^[0-9]{1,2}$ ]] && ((SETTLE > 0 && SETTLE <= 30)); then
  echo "netdiag-probe: waiting ${SETTLE}s for NetworkPolicy enforcement to cover this pod"
  sleep "$SETTLE"
fi

# run_checks ENTRY... : one worker per check ("ti ci t kind"), at most MAX_PARALLEL at once;
# a check killed by its hard timeout (t + 2 s) still gets a result. ICMP-family checks
# (icmp, mtu, trace) are evidence for failures: once every connection check (dns, tcp,
# http, tls) has answered and connected, they get AUX_GRACE_MS more and are then cut short
# (detail.cutShort) — a lost ping must not hold a working path's verdict (ADR 0010).
# Except an mtu check whose echoes are answered at some sizes: the sizes still missing
# are the black hole it exists to find (large packets lost on a path where TCP
# handshakes pass), so it runs to its own bound (2 s).
AUX_GRACE_MS=${NETDIAG_AUX_GRACE_MS:-300}
[[ $AUX_GRACE_MS =~ ^[0-9]{1,5}$ ]] || AUX_GRACE_MS=300
#@jq JQ_ALL_CONNECTED all-connected.jq
run_checks() {
  local entry ti ci t kind oc running=0 i
  local -a core=() aux=() auxe=()
  for entry in "$@"; do
    read -r ti ci t kind <<<"$entry"
    if ((running >= MAX_PARALLEL)); then wait -n 2>/dev/null; running=$((running - 1)); fi
    now_ms
    "${TMO[@]}" "$((t + 2))" "$BASH" "$SELF" --__check "$WORK" "$ti" "$ci" "$t" "$REPLY" "$RAW" 2>>"$WORK/errors" &
    case $kind in icmp | mtu | trace) aux+=("$!") auxe+=("$entry") ;; *) core+=("$!") ;; esac
    running=$((running + 1))
  done
  for i in "${core[@]+"${core[@]}"}"; do wait "$i" 2>/dev/null; done
  if ((${#aux[@]} > 0 && ${#core[@]} > 0)) && core_connected "$@"; then
    sleep "$((AUX_GRACE_MS / 1000)).$(printf '%03d' $((AUX_GRACE_MS % 1000)))"
    for i in "${!aux[@]}"; do
      if kill -0 "${aux[$i]}" 2>/dev/null; then
        read -r ti ci _ kind <<<"${auxe[$i]}"
        [[ $kind == mtu ]] && grep -qs ' bytes from ' "$WORK/mtu.$ti.$ci"/p.* && continue
        : >"$WORK/cut.$ti.$ci"
        kill -TERM "${aux[$i]}" 2>/dev/null
      fi
    done
  fi
  wait_checks
  for entry in "$@"; do
    read -r ti ci t kind <<<"$entry"
    [[ -s $WORK/out/$ti.$ci.json ]] && continue
    if [[ -e $WORK/cut.$ti.$ci ]]; then
      now_ms
      printf '{"ti":%s,"ci":%s,"result":{"check":"%s","outcome":"timeout","durationMs":%s,"detail":{"input":%s,"cutShort":true,"reason":"stopped once the connection checks had answered: ICMP is evidence for failures, the path works"}}}\n' \
        "$ti" "$ci" "$kind" "$((REPLY - RUN_START))" "$(cat "$WORK/in/$ti.$ci.json")" >"$WORK/out/$ti.$ci.json"
      printf '[%s] cut short: the connection checks had answered\n=> timeout (not judged)\n' "$kind" >>"$WORK/out/$ti.$ci.txt"
      continue
    fi
    oc=timeout
    [[ $kind == dns ]] && oc=dns-timeout
    printf '{"ti":%s,"ci":%s,"result":{"check":"%s","outcome":"%s","durationMs":%s,"detail":{"input":%s,"hardTimeout":true,"reason":"check killed by the hard timeout after %ss"}}}\n' \
      "$ti" "$ci" "$kind" "$oc" "$(((t + 2) * 1000))" "$(cat "$WORK/in/$ti.$ci.json")" "$((t + 2))" >"$WORK/out/$ti.$ci.json"
    printf '[%s] killed by the hard timeout after %ss\n=> %s\n' "$kind" "$((t + 2))" "$oc" >>"$WORK/out/$ti.$ci.txt"
  done
}
# core_connected ENTRY... : every dns/tcp/http/tls check among them answered and connected
core_connected() {
  local entry ti ci kind files=()
  for entry in "$@"; do
    read -r ti ci _ kind <<<"$entry"
    case $kind in icmp | mtu | trace | route) continue ;; esac
    [[ -s $WORK/out/$ti.$ci.json ]] || return 1
    files+=("$WORK/out/$ti.$ci.json")
  done
  ((${#files[@]} > 0)) || return 1
  [[ $(cat "${files[@]}" | "$JQ" -rs "$JQ_ALL_CONNECTED" 2>>"$WORK/errors") == true ]]
}
# wait for the check workers only (the context gatherer runs on)
wait_checks() {
  local p
  for p in $(jobs -p); do [[ $p == "$CTX_PID" ]] || wait "$p" 2>/dev/null; done
}
run_checks "${RUN_LIST[@]+"${RUN_LIST[@]}"}"

# Confirm (ADR 0010): with plan.confirmAfterSeconds, NetworkPolicy enforcement may not
# cover this new pod yet. Re-test, once that long after the start, what lag could explain:
# a dns/tcp/http check that failed as a drop would, and one the operator marked
# confirm:"connected" (its static verdict says it must fail) that worked. The second
# outcome counts; the first is kept as detail.firstOutcome.
#@jq JQ_RETEST retest.jq
if ((CONFIRM > 0)); then
  RETEST=()
  while read -r ti ci; do
    [[ $ti =~ ^[0-9]{1,6}$ && $ci =~ ^[0-9]{1,6}$ ]] || continue
    for entry in "${RUN_LIST[@]}"; do
      read -r eti eci et ek <<<"$entry"
      [[ $eti == "$ti" && $eci == "$ci" ]] || continue
      # an in-cluster connect (bound 2 s) that already timed out once: 1 s decides the re-test
      # (sub-millisecond RTT; after the window, an allowed SYN is answered at once)
      [[ $ek == tcp ]] && ((et == 2)) && entry="$eti $eci 1 $ek"
      RETEST+=("$entry")
    done
  done < <(cat "$WORK"/out/*.json 2>/dev/null | "$JQ" -r "$JQ_RETEST" 2>>"$WORK/errors")
  if ((${#RETEST[@]} > 0)); then
    now_ms
    wait_ms=$((CONFIRM * 1000 - (REPLY - RUN_START)))
    if ((wait_ms > 0)); then
      echo "netdiag-probe: confirming ${#RETEST[@]} check(s) after the ${CONFIRM}s NetworkPolicy enforcement window"
      sleep "$((wait_ms / 1000)).$(printf '%03d' $((wait_ms % 1000)))"
    fi
    for entry in "${RETEST[@]}"; do
      read -r ti ci _ <<<"$entry"
      mv -- "$WORK/out/$ti.$ci.json" "$WORK/first.$ti.$ci.json"
      mv -- "$WORK/out/$ti.$ci.txt" "$WORK/first.$ti.$ci.txt" 2>/dev/null
    done
    run_checks "${RETEST[@]}"
    for entry in "${RETEST[@]}"; do
      read -r ti ci _ <<<"$entry"
      first=$("$JQ" -c '.result.outcome' "$WORK/first.$ti.$ci.json" 2>/dev/null) || first='"error"'
      "$JQ" -c --argjson first "$first" '.result.detail.firstOutcome = $first | .result.detail.confirmed = true' "$WORK/out/$ti.$ci.json" >"$WORK/out/$ti.$ci.tmp" 2>>"$WORK/errors" &&
        mv -- "$WORK/out/$ti.$ci.tmp" "$WORK/out/$ti.$ci.json"
      { cat "$WORK/first.$ti.$ci.txt" 2>/dev/null; printf '  (re-tested after the enforcement window; first outcome %s)\n' "${first//\"/}"; cat "$WORK/out/$ti.$ci.txt" 2>/dev/null; } >"$WORK/out/$ti.$ci.tmp.txt" &&
        mv -- "$WORK/out/$ti.$ci.tmp.txt" "$WORK/out/$ti.$ci.txt"
    done
  fi
fi
wait "$CTX_PID" 2>/dev/null
[[ -s $WORK/context.json ]] || echo '{}' >"$WORK/context.json"
now_ms; RUN_END=$REPLY

# one jq call: line 1 full result, line 2 termination-log summary, then transcript lines
# (\u0001T<ti> marks where a target's check transcripts go)
#@jq JQ_FINAL result.jq
FINAL=$(cat "$WORK"/out/*.json | "$JQ" -rs --slurpfile plan "$WORK/plan.json" --slurpfile ctx "$WORK/context.json" \
  --arg node "$NODE" --arg podip "$PODIP" --argjson start "$RUN_START" --argjson dur "$((RUN_END - RUN_START))" \
  --argjson limit "$SUMMARY_LIMIT" "$JQ_FINAL" 2>>"$WORK/errors")
RESULT='' SUMMARY='' n=0
while IFS= read -r line; do
  n=$((n + 1))
  if ((n == 1)); then RESULT=$line; continue; fi
  if ((n == 2)); then SUMMARY=$line; continue; fi
  if [[ $line == $'\x01T'* ]]; then
    pti=${line#$'\x01T'}
    pending_target=$pti
    continue
  fi
  printf '%s\n' "$line"
  if [[ -n ${pending_target:-} && $line == "--- target "* ]]; then
    for entry in "${ALL_LIST[@]}"; do
      read -r eti eci _ <<<"$entry"
      [[ $eti == "$pending_target" ]] && sed -e '1!s/^/    /' "$WORK/out/$eti.$eci.txt" 2>/dev/null
    done
    pending_target=''
  fi
done <<<"$FINAL"
if [[ -z $RESULT ]]; then
  echo "netdiag-probe: internal error: could not assemble the result: $(tail -n3 "$WORK/errors" 2>/dev/null)" >&2
  RESULT="{\"version\":1,\"outcome\":\"error\",\"detail\":{\"reason\":\"internal error assembling the result\"},\"targets\":[]}"
  SUMMARY=$RESULT
fi
printf 'NETDIAG_RESULT %s\n' "$RESULT"
write_termlog "$SUMMARY"
exit 0
