# check-http.sh — the http check: one curl request (http(s) only, no .curlrc, no globbing,
# no proxy), its status, phase timings and a body excerpt, and why it failed when it did
# (curl's exit status, its error line and the connect errno on stderr; http.jq).
# (Part of netdiag-probe; assembled by scripts/build-probe.)

#@jq JQ_HTTP http.jq

# what curl writes with -w (parse_curl_w reads it back in this order)
CURL_W='%{http_code}|%{time_namelookup}|%{time_connect}|%{time_appconnect}|%{time_starttransfer}|%{time_total}|%{size_download}|%{remote_ip}|%{http_version}\n'

# parse_curl_w TEXT — curl -w "$CURL_W" output -> H_CODE (000 = no response) H_TN H_TC H_TA
#   H_TS H_TT (seconds) H_SIZE H_RIP H_HV
parse_curl_w() {
  IFS='|' read -r H_CODE H_TN H_TC H_TA H_TS H_TT H_SIZE H_RIP H_HV <<<"$1"
  H_CODE=${H_CODE:-000}
}

# curl_errors FILE — curl -sS -v stderr -> H_ERRTEXT (the last "curl: (N) ..." line) and
#   H_ERRNO (the connect errno text: "connect to A port P failed: Connection refused" -> "Connection refused")
curl_errors() {
  H_ERRTEXT=$(grep -E '^curl: \([0-9]+\)' "$1" | tail -n1)
  H_ERRNO=$(sed -n -e 's/.*connect to .* failed: \(.*\)$/\1/p' -e 's/.*Immediate connect fail for [^:]*: \(.*\)$/\1/p' "$1" | tail -n1)
}

# curl_outcome RC URL — after parse_curl_w and curl_errors: H_OC and H_REASON. A status
#   decides when there is one (2xx/3xx ok, else http-status); otherwise curl's exit status
#   (6 resolve: the system resolver says nxdomain or dns-timeout; 7 connect: the errno; 28
#   timeout; 35/58/59/66/80/83/90/91 tls-error; 51 name; 60 expired, name or untrusted; 52/56
#   empty reply or reset: http-status)
curl_outcome() {
  local rc=$1 url=$2
  H_REASON=''
  if [[ $H_CODE != 000 ]]; then
    if ((H_CODE >= 200 && H_CODE < 400)); then H_OC=ok; else H_OC=http-status; fi
    return 0
  fi
  case $rc in
    6) resolve_host "$(printf '%s' "$url" | sed -E 's#^[a-zA-Z]+://([^/@]*@)?(\[[^]]*\]|[^/:]*).*#\2#')" >/dev/null 2>&1
      H_OC=${R_OUTCOME:-nxdomain} H_REASON="could not resolve host" ;;
    7) classify_connect_error "${H_ERRNO:-$H_ERRTEXT}" "$H_RIP"; H_OC=$C_OUTCOME ;;
    28) H_OC=timeout ;;
    35 | 58 | 59 | 66 | 80 | 83 | 90 | 91) H_OC=tls-error ;;
    51) H_OC=tls-name-mismatch ;;
    60)
      case $H_ERRTEXT in
        *expired*) H_OC=tls-expired ;;
        *"does not match"* | *"no alternative certificate subject name"* | *"subject name"*) H_OC=tls-name-mismatch ;;
        *) H_OC=tls-untrusted ;;
      esac ;;
    52 | 56) H_OC=http-status H_REASON="connection accepted but no valid HTTP response (empty reply / reset)" ;;
    1 | 3) H_OC=error H_REASON="curl rejected the URL: ${H_ERRTEXT:-rc=$rc}" ;;
    124 | 137) H_OC=timeout ;;
    *) H_OC=error H_REASON="curl failed: ${H_ERRTEXT:-rc=$rc}" ;;
  esac
  [[ $H_OC == error && -z $H_REASON ]] && H_REASON="curl failed: ${H_ERRTEXT:-rc=$rc}"
  return 0
}

# body_excerpt FILE — the first 256 bytes of a response body as printable ASCII (tab, CR, LF
#   -> space, anything else outside ' '..'~' -> '.')
body_excerpt() { head -c 256 "$1" | tr '\n\r\t' '   ' | tr -c ' -~' '.'; }

check_http() {
  have curl || finish tool-missing '{status:0, tool:"curl", reason:"curl not found (busybox wget gives neither phase timings nor TLS detail)"}'
  local url=$F_URL d=$WD/http.$TI.$CI rc w
  mkdir -p "$d"
  remaining
  # -q: no .curlrc; -g: no URL globbing ([1-100000] is one literal URL, not 100000 requests);
  # --proto / --proto-redir: http(s) only, even if a check's URL or a redirect says otherwise
  # connectTimeoutSeconds (the plan's in-cluster bound, ADR 0010) caps the TCP connect only;
  # the whole request keeps the check's budget (slow apps)
  local conn=$REMF
  [[ -n $F_CONNECT ]] && ((F_CONNECT < REM)) && conn=$F_CONNECT
  local args=(-q -g --proto '=http,https' --proto-redir '=http,https' -sS -v --noproxy '*' -o "$d/body"
    --max-filesize 10485760 --connect-timeout "$conn" --max-time "$REMF"
    -w "$CURL_W"
    -H 'User-Agent: netdiag-probe/1')
  [[ -n $F_HOSTHDR ]] && args+=(-H "Host: $F_HOSTHDR")
  [[ -n $F_CAFILE ]] && args+=(--cacert "$F_CAFILE")
  [[ $F_INSECURE == true ]] && args+=(-k)
  w=$(tmo "$((REM + 1))" curl "${args[@]}" -- "$url" 2>"$d/err"); rc=$?
  parse_curl_w "$w"
  local excerpt=''
  if [[ -s $d/body ]]; then
    excerpt=$(body_excerpt "$d/body")
  fi
  curl_errors "$d/err"
  curl_outcome "$rc" "$url"
  local code=$H_CODE tn=$H_TN tc=$H_TC ta=$H_TA ts=$H_TS tt=$H_TT errtext=$H_ERRTEXT
  say "  curl ${F_HOSTHDR:+-H 'Host: $F_HOSTHDR' }$url -> HTTP $code (dns $tn s, connect $tc s, tls $ta s, first byte $ts s, total $tt s)${errtext:+ $errtext}"
  [[ -n $excerpt ]] && say "  body: ${excerpt:0:120}$( ((${#excerpt} > 120)) && echo '...')"
  finish "$H_OC" --arg code "$code" --arg tn "${tn:-0}" --arg tc "${tc:-0}" --arg ta "${ta:-0}" --arg ts "${ts:-0}" --arg tt "${tt:-0}" \
    --arg size "${H_SIZE:-0}" --arg rip "${H_RIP:-}" --arg hv "${H_HV:-}" --arg ex "$excerpt" --arg err "$errtext" --arg errno "$H_ERRNO" \
    --arg reason "$H_REASON" --arg url "$url" --arg oc "$H_OC" "$JQ_HTTP"
}
