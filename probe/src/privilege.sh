# privilege.sh — when ICMP (or raw) sockets are refused to this uid: tell that apart from a
# network verdict, and report the check as not-permitted with what to change.
# (Part of netdiag-probe; assembled by scripts/build-probe.)

# socket_denied TEXT — did the tool fail to OPEN its socket for lack of privilege? (iputils:
# "socket: Operation not permitted" / "Permission denied"; busybox: "permission denied (are
# you root?)"). A refused send ("sendmsg: Operation not permitted", a local firewall) is not this.
socket_denied() {
  case $1 in
    *"socket: Operation not permitted"* | *"socket: Permission denied"* | *"icmp open socket"* | *"are you root"* | \
      *"Lacking privilege"* | *"raw socket"*"not permitted"* | *"socket: operation not permitted"*) return 0 ;;
  esac
  return 1
}

# exec_denied TEXT — could the tool not even be executed (EPERM at exec: a file capability
# outside the pod's bounding set, and the capability-free copy failed too)?
exec_denied() {
  case $1 in
    *"failed to run command"*"not permitted"* | *"can't execute"*"not permitted"* | *"/"*": Operation not permitted"*) return 0 ;;
  esac
  return 1
}

# finish_not_permitted TOOL TEXT — the check could not run: unprivileged ICMP (or raw) sockets
# are not allowed for this uid/gid. Never a network verdict.
finish_not_permitted() {
  local range gid why
  range=$(tr -s ' \t' ' ' </proc/sys/net/ipv4/ping_group_range 2>/dev/null)
  gid=$(id -g 2>/dev/null)
  if exec_denied "$2"; then
    why="$1 could not be executed (Operation not permitted at exec: it carries a file capability outside this pod's capability bounding set, and no capability-free copy could be run)"
  else
    why="the probe may not open ICMP sockets (uid ${EUID:-?}, gid ${gid:-?}; net.ipv4.ping_group_range is \"$range\"; no CAP_NET_RAW)"
  fi
  why+=": the check could not run, this says nothing about the network. Set the pod sysctl net.ipv4.ping_group_range to cover gid ${gid:-?}"
  ((RAW)) || why+=", or let the admin opt in to raw sockets"
  finish not-permitted --arg tool "$1" --arg e "$(printf '%s' "$2" | grep -iE 'permitted|denied|root|privilege' | head -n1)" \
    --arg uid "${EUID:-}" --arg gid "$gid" --arg range "$range" --argjson raw "$( ((RAW)) && echo true || echo false)" --arg why "$why" '
    {notPermitted:true, tool:$tool, error:$e, uid:($uid|tonumber? // null), gid:($gid|tonumber? // null),
     pingGroupRange:(if $range == "" then null else $range end), rawSockets:$raw, reason:$why}'
}
