# connect.sh — what a failed connect() said: the errno text of bash /dev/tcp, curl or
# openssl turned into an outcome (refused, no-route, unreachable, timeout, error).
# (Part of netdiag-probe; assembled by scripts/build-probe.)

# classify_connect_error TEXT IP — sets C_OUTCOME from a connect() errno text ("No route to
#   host" is no-route only when the routing table has no route to IP, else unreachable; the
#   texts of glibc and musl: "No route to host" / "Host is unreachable", "Connection refused")
classify_connect_error() {
  local text=$1 ip=$2
  case $text in
    *"Connection refused"* | *"connection refused"*) C_OUTCOME=refused ;;
    *"Network is unreachable"* | *"network unreachable"*) C_OUTCOME=no-route ;;
    *"No route to host"* | *"host unreachable"* | *"Host is unreachable"*)
      # without ip the table cannot be asked: an ICMP error is the likelier cause
      if ! have ip || ip route get "$ip" >/dev/null 2>&1; then C_OUTCOME=unreachable; else C_OUTCOME=no-route; fi ;;
    *"Connection timed out"* | *"timed out"*) C_OUTCOME=timeout ;;
    *"Operation not permitted"* | *"Permission denied"*) C_OUTCOME=unreachable ;;
    *"Connection reset"*) C_OUTCOME=refused ;;
    *) C_OUTCOME=error ;;
  esac
}
