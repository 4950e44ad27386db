# check-trace.sh — the trace check: the hops towards the target and the last one that
# answered (tracepath, UDP, unprivileged; traceroute / mtr only when the plan allows raw
# sockets), parsed by trace.jq.
# (Part of netdiag-probe; assembled by scripts/build-probe.)

#@jq JQ_TRACE trace.jq

check_trace() {
  resolve_host "$F_HOST" || finish_unresolved "$F_HOST"
  local maxh=${F_MAXHOPS:-15} out rc tool d=$WD/trace.$TI.$CI
  [[ $maxh =~ ^[0-9]{1,2}$ ]] || maxh=15
  remaining
  # unprivileged (the default): tracepath (UDP, no raw socket); traceroute's default UDP
  # method as a fallback (busybox traceroute wants a raw socket: reported as not-permitted).
  # Raw-socket tools (traceroute first, mtr) only when the admin opted in (plan.rawSockets).
  local order=(tracepath traceroute) t
  ((RAW)) && order=(traceroute tracepath mtr)
  tool=''
  for t in "${order[@]}"; do have "$t" && { tool=$t; break; }; done
  case $tool in
    traceroute) tmo "$REM" traceroute -n -q 1 -w 1 -m "$maxh" "$R_IP" >"$d" 2>&1; rc=$? ;;
    tracepath) tmo "$REM" tracepath -n -m "$maxh" "$R_IP" >"$d" 2>&1; rc=$? ;;
    mtr) tmo "$REM" mtr -n -r -c 1 -m "$maxh" "$R_IP" >"$d" 2>&1; rc=$? ;;
    *)
      if ((RAW)); then finish tool-missing '{tool:"traceroute", reason:"none of traceroute, tracepath, mtr found"}'; fi
      finish tool-missing '{tool:"tracepath", reason:"neither tracepath nor traceroute found (raw-socket tools such as mtr are used only when the plan sets rawSockets)"}' ;;
  esac
  say "  $tool -n -m $maxh $R_IP (exit $rc)"
  { socket_denied "$(head -c 2000 "$d")" || exec_denied "$(head -c 2000 "$d")"; } && finish_not_permitted "$tool" "$(head -c 2000 "$d")"
  finish @ --arg tool "$tool" --arg ip "$R_IP" --arg rc "$rc" --rawfile out "$d" "$JQ_TRACE"
}
