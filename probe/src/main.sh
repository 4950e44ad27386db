# main.sh — the main process: read the plan (flags, NETDIAG_PLAN, NETDIAG_PLAN_FILE),
# validate it (validate-plan.jq), fork one worker per check (the scheduler: hard timeouts,
# ICMP cut short, confirm re-tests), gather the context, and write the result (result.jq):
# transcript and NETDIAG_RESULT line on stdout, summary in the termination log.
# (Part of netdiag-probe; assembled by scripts/build-probe. The last part: it runs.)

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
  # a worker is a process group of its own (start_slot): the group, so its tools go too
  for p in $(jobs -p); do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null; done
  [[ -z $KEEP_WORK ]] && rm -rf -- "$WORK"
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
  # iputils ping (-M do; -c with -w counts answers) or busybox's: the icmp and mtu checks ask
  [[ $tool == ping && $out == *iputils* ]] && export NETDIAG_PING_IPUTILS=1
  if ((rc == 126)) && [[ $out == *"not permitted"* ]]; then
    mkdir -p "$WORK/bin"
    if cp -- "$(command -v "$tool")" "$WORK/bin/$tool" 2>/dev/null && chmod 755 "$WORK/bin/$tool"; then
      TOOL_COPIES+=("$tool")
      [[ $tool == ping && $("$WORK/bin/ping" -V 2>&1 </dev/null) == *iputils* ]] && export NETDIAG_PING_IPUTILS=1
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
# (one line split at U+001F, ending in "."; read by the worker with `read`, no jq); invalid
# checks already are results
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
      printf '%s\n' "$e" >"$WORK/in/$a.$b.f"
      printf '%s\n' "$f" >"$WORK/in/$a.$b.json"
      cf=-
      [[ $e == *$'\x1f'connected$'\x1f'. ]] && cf=connected
      RUN_LIST+=("$a $b $c $d $cf")
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

# ---------------------------------------------------------------- the scheduler
# Every check runs in a worker: a forked subshell (the program is parsed once, in the main
# process) with its stdout on /dev/null, so a tool it leaves behind holds no pipe of ours.
# One loop starts the workers (at most MAX_PARALLEL at once), sees them finish (their result
# file appears), enforces each one's hard timeout (t + 2 s), cuts ICMP-family checks short on
# a working path, and starts the confirm re-tests (ADR 0010) — polling every POLL_S with
# `read -t` on a pipe nobody writes (no sleep process, no busy loop).
exec {NAP_FD}<> <(:)
nap() { read -r -t "$1" -u "$NAP_FD" _ 2>/dev/null; return 0; }
POLL_S=0.01

# outcome_of DIR TI CI — REPLY = the outcome in DIR/out/TI.CI.json ('' when there is none yet;
#   every result line starts {"ti":N,"ci":N,"result":{"check":"K","outcome":"O", — jq keeps
#   the key order it was built with, and so do the lines the main process writes)
outcome_of() {
  local line=''
  REPLY=''
  [[ -s $1/out/$2.$3.json ]] || return 1
  IFS= read -r line <"$1/out/$2.$3.json"
  [[ $line =~ ^\{\"ti\":[0-9]+,\"ci\":[0-9]+,\"result\":\{\"check\":\"[a-z]+\",\"outcome\":\"([a-z-]+)\" ]] && REPLY=${BASH_REMATCH[1]}
  return 0
}
# connected OUTCOME — the destination answered: a lookup, a TCP connection, an HTTP status
#   or a TLS handshake (even a failing verification) came back
connected() { case $1 in ok | http-status | tls-name-mismatch | tls-expired | tls-untrusted | tls-error) return 0 ;; esac; return 1; }
# drop_like OUTCOME — failed as a drop by a NetworkPolicy would
drop_like() { case $1 in timeout | dns-timeout | unreachable | no-route) return 0 ;; esac; return 1; }

# Slots: one per worker to run. S_DIR is the work dir it writes to ($WORK; $WORK/re for a
# re-test, whose in/ is $WORK/in), S_AT the time it may start (ms), S_PID its pid once started
# (0 before), S_END its hard deadline, S_DONE 1 once it finished.
S_TI=() S_CI=() S_T=() S_KIND=() S_DIR=() S_AT=() S_PID=() S_END=() S_DONE=() S_RETEST=() S_CONFIRM=()
add_slot() { # add_slot TI CI T KIND DIR AT RETEST CONFIRM
  S_TI+=("$1") S_CI+=("$2") S_T+=("$3") S_KIND+=("$4") S_DIR+=("$5") S_AT+=("$6") S_RETEST+=("$7") S_CONFIRM+=("$8")
  S_PID+=(0) S_END+=(0) S_DONE+=(0)
}
# A worker is forked with job control on (set -m, for that one fork): it becomes a process
# group of its own, so stop_slot reaches every process it runs — the tool under a `$(tmo …)`
# is a child of a command-substitution subshell, not of the worker, and would outlive a
# worker signalled alone (common.sh: GNU timeout runs with --foreground to stay in the group).
# The worker turns job control off again (its own background jobs stay in its group); stdin
# is /dev/null, as for any background job without job control.
start_slot() { # start_slot K
  local k=$1
  now_ms
  S_END[k]=$((REPLY + (S_T[k] + 2) * 1000))
  set -m
  (
    set +m
    trap - EXIT INT TERM
    run_check_worker "${S_DIR[k]}" "${S_TI[k]}" "${S_CI[k]}" "${S_T[k]}" "$REPLY" "$RAW"
  ) </dev/null >/dev/null 2>>"$WORK/errors" &
  S_PID[k]=$!
  set +m
}
# stop_slot K [SIGNAL] — TERM (or SIGNAL) to the worker's process group (to the worker alone
#   should it not lead one: the negative pid then names no group, as its pid is a live
#   process's)
stop_slot() {
  local sig=${2:-TERM}
  kill -s "$sig" -- "-${S_PID[$1]}" 2>/dev/null || kill -s "$sig" "${S_PID[$1]}" 2>/dev/null
}
# hard_result K OUTCOME REASON-JSON-FIELDS — the result of a worker that gave none
hard_result() {
  local k=$1 d=${S_DIR[$1]} ti=${S_TI[$1]} ci=${S_CI[$1]} kind=${S_KIND[$1]}
  printf '{"ti":%s,"ci":%s,"result":{"check":"%s","outcome":"%s","durationMs":%s,"detail":{"input":%s,%s}}}\n' \
    "$ti" "$ci" "$kind" "$2" "$3" "$(<"$WORK/in/$ti.$ci.json")" "$4" >"$d/out/$ti.$ci.json"
}

# Settle: NetworkPolicy enforcers program a new pod's rules asynchronously (kube-router,
# for one, after it sees the pod's IP). An older operator asks the probe to wait that long
# (NETDIAG_SETTLE_SECONDS); this one sets plan.confirmAfterSeconds instead (below).
SETTLE=${NETDIAG_SETTLE_SECONDS:-0}
if [[ $SETTLE =~ ^[0-9]{1,2}$ ]] && ((SETTLE > 0 && SETTLE <= 30)); then
  echo "netdiag-probe: waiting ${SETTLE}s for NetworkPolicy enforcement to cover this pod"
  sleep "$SETTLE"
fi

# Confirm (ADR 0010): with plan.confirmAfterSeconds, NetworkPolicy enforcement may not cover
# this new pod yet. What lag could explain is re-tested once the window has passed: a
# dns/tcp/http check that failed as a drop would, and one the operator marked
# confirm:"connected" (its static verdict says it must fail) that worked. Each is re-tested
# as soon as both its first outcome is in and the window is over — not after the other
# checks — and the second outcome counts (the first is kept as detail.firstOutcome).
# The window runs from when this pod's address was known on this node (window_start,
# ADR 0010 addendum), never from earlier than 2 s before the probe started.
# window_start — REPLY = the start of the confirm window (ms, this node's clock): the mtime of
#   the kubelet-managed hosts file (the kubelet writes it for each container from the pod's
#   IPs, so after the sandbox's network was set up: when a CNI-driven enforcer learns the
#   address), else the probe's start; clamped to [start - 2 s, start]
window_start() {
  local f=${NETDIAG_POD_HOSTS_FILE:-/etc/hosts} head='' m
  REPLY=$RUN_START
  [[ -r $f ]] || return 0
  IFS= read -r head <"$f" 2>/dev/null
  [[ $head == "# Kubernetes-managed hosts file"* ]] || return 0
  m=$(stat -c %Y "$f" 2>/dev/null) || return 0
  [[ $m =~ ^[0-9]{1,12}$ ]] || return 0
  # whole seconds (busybox stat has no fractions): the start of that second, never later
  # than the real write, so the window is counted at most 1 s too early — the clamp bounds it
  m=$((m * 1000))
  ((m > RUN_START)) && return 0
  ((m < RUN_START - 2000)) && m=$((RUN_START - 2000))
  REPLY=$m
}
WINDOW_END=0
if ((CONFIRM > 0)); then
  window_start
  WINDOW_END=$((REPLY + CONFIRM * 1000))
  mkdir -p "$WORK/re/out" && ln -s ../in "$WORK/re/in"
fi

# ICMP-family checks (icmp, mtu, trace) are evidence for failures: once every connection
# check (dns, tcp, http, tls) of the first round has answered and connected, they get
# AUX_GRACE_MS more and are then cut short (detail.cutShort) — a lost ping must not hold a
# working path's verdict (ADR 0010). Except an mtu check whose echoes are answered at some
# sizes: the sizes still missing are the black hole it exists to find (large packets lost
# on a path where TCP handshakes pass), so it runs to its own bound (2 s).
AUX_GRACE_MS=${NETDIAG_AUX_GRACE_MS:-300}
[[ $AUX_GRACE_MS =~ ^[0-9]{1,5}$ ]] || AUX_GRACE_MS=300
is_aux() { case $1 in icmp | mtu | trace) return 0 ;; esac; return 1; }

for entry in "${RUN_LIST[@]+"${RUN_LIST[@]}"}"; do
  read -r ti ci t kind cf <<<"$entry"
  add_slot "$ti" "$ci" "$t" "$kind" "$WORK" 0 0 "$cf"
done
FIRST_SLOTS=${#S_TI[@]}
# announced: how many re-tests the transcript has named (all that are due when the first of
# them starts; one that a slow first outcome added later gets a line of its own)
running=0 pending=$FIRST_SLOTS aux_deadline=0 announced=0
while ((pending > 0)); do
  now_ms; now=$REPLY
  for ((k = 0; k < ${#S_TI[@]}; k++)); do
    ((S_DONE[k])) && continue
    d=${S_DIR[k]} ti=${S_TI[k]} ci=${S_CI[k]} kind=${S_KIND[k]}
    if ((S_PID[k] == 0)); then
      if ((running < MAX_PARALLEL && now >= S_AT[k])); then
        if ((S_RETEST[k] && k - FIRST_SLOTS >= announced)); then
          echo "netdiag-probe: confirming $((${#S_TI[@]} - FIRST_SLOTS - announced)) check(s) after the ${CONFIRM}s NetworkPolicy enforcement window"
          announced=$((${#S_TI[@]} - FIRST_SLOTS))
        fi
        start_slot "$k"; running=$((running + 1))
      fi
      continue
    fi
    done_now=0 leftover=TERM
    if [[ -s $d/out/$ti.$ci.json ]]; then done_now=1
    elif ! kill -0 "${S_PID[k]}" 2>/dev/null; then
      leftover=KILL
      # gone without a result: cut short, or killed by its hard timeout
      if [[ -e $d/cut.$ti.$ci ]]; then
        hard_result "$k" timeout "$((now - RUN_START))" '"cutShort":true,"reason":"stopped once the connection checks had answered: ICMP is evidence for failures, the path works"'
        printf '[%s] cut short: the connection checks had answered\n=> timeout (not judged)\n' "$kind" >>"$d/out/$ti.$ci.txt"
      else
        oc=timeout
        [[ $kind == dns ]] && oc=dns-timeout
        hard_result "$k" "$oc" "$(((S_T[k] + 2) * 1000))" "\"hardTimeout\":true,\"reason\":\"check killed by the hard timeout after $((S_T[k] + 2))s\""
        printf '[%s] killed by the hard timeout after %ss\n=> %s\n' "$kind" "$((S_T[k] + 2))" "$oc" >>"$d/out/$ti.$ci.txt"
      fi
      done_now=1
    elif ((now >= S_END[k] + 1000)); then
      stop_slot "$k" KILL # as timeout -k 1 would: still there 1 s after the TERM
    elif ((now >= S_END[k])); then
      stop_slot "$k"
    elif ((aux_deadline > 0 && now >= aux_deadline && k < FIRST_SLOTS)) && is_aux "$kind" && [[ ! -e $d/cut.$ti.$ci ]]; then
      if [[ $kind == mtu ]] && grep -qs ' bytes from ' "$d/mtu.$ti.$ci"/p.*; then
        : # answered at some sizes: runs to its own bound
      else
        : >"$d/cut.$ti.$ci"
        stop_slot "$k"
      fi
    fi
    if ((done_now)); then
      # what the worker left behind (a watcher's sleep of tmo_sh; the tool of a worker that
      # was stopped) goes with its group — KILL when the check was given up. The kernel does
      # not hand out a group's id as a new pid while any process of the group lives.
      stop_slot "$k" "$leftover"
      wait "${S_PID[k]}" 2>/dev/null
      S_DONE[k]=1 running=$((running - 1)) pending=$((pending - 1))
      if ((k < FIRST_SLOTS && CONFIRM > 0)) && [[ $kind == dns || $kind == tcp || $kind == http ]]; then
        outcome_of "$d" "$ti" "$ci"
        if drop_like "$REPLY" || { [[ ${S_CONFIRM[k]} == connected ]] && connected "$REPLY"; }; then
          # an in-cluster connect (bound 2 s) that already timed out once: 1 s decides the
          # re-test (sub-millisecond RTT; after the window, an allowed SYN is answered at once)
          rt=${S_T[k]}
          [[ $kind == tcp ]] && ((rt == 2)) && rt=1
          add_slot "$ti" "$ci" "$rt" "$kind" "$WORK/re" "$WINDOW_END" 1 ''
          pending=$((pending + 1))
        fi
      fi
    fi
  done
  # every first-round connection check answered and connected: the ICMP-family checks get
  # their grace (decided once; -1: not a working path, or no connection check to tell).
  # core: 1 all in and connected so far, 0 one in that did not connect (final), 2 one still
  # running (decided on a later pass)
  if ((aux_deadline == 0)); then
    core=1 ncore=0
    for ((k = 0; k < FIRST_SLOTS; k++)); do
      is_aux "${S_KIND[k]}" || [[ ${S_KIND[k]} == route ]] && continue
      ((S_DONE[k])) || { core=2; continue; }
      ncore=$((ncore + 1))
      outcome_of "$WORK" "${S_TI[k]}" "${S_CI[k]}"
      connected "$REPLY" || { core=0; break; }
    done
    if ((core == 0 || (core == 1 && ncore == 0))); then aux_deadline=-1
    elif ((core == 1)); then aux_deadline=$((now + AUX_GRACE_MS)); fi
  fi
  ((pending > 0)) && nap "$POLL_S"
done

# a re-tested check: the second outcome counts, the first is kept
for ((k = FIRST_SLOTS; k < ${#S_TI[@]}; k++)); do
  ti=${S_TI[k]} ci=${S_CI[k]}
  outcome_of "$WORK" "$ti" "$ci"
  first=${REPLY:-error}
  mv -- "$WORK/out/$ti.$ci.json" "$WORK/first.$ti.$ci.json"
  "$JQ" -c --arg first "$first" '.result.detail.firstOutcome = $first | .result.detail.confirmed = true' "$WORK/re/out/$ti.$ci.json" >"$WORK/out/$ti.$ci.json" 2>>"$WORK/errors" ||
    mv -- "$WORK/first.$ti.$ci.json" "$WORK/out/$ti.$ci.json"
  { cat "$WORK/out/$ti.$ci.txt" 2>/dev/null; printf '  (re-tested after the enforcement window; first outcome %s)\n' "$first"; cat "$WORK/re/out/$ti.$ci.txt" 2>/dev/null; } >"$WORK/out/$ti.$ci.tmp.txt" &&
    mv -- "$WORK/out/$ti.$ci.tmp.txt" "$WORK/out/$ti.$ci.txt"
done

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
