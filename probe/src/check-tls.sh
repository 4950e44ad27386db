# check-tls.sh — the tls check: one openssl s_client handshake (with SNI), then the leaf
# certificate on its own: name match (x509 -checkhost / -checkip), chain trust ignoring time
# (verify -no_check_time) and dates, so that every problem is listed (tls.jq).
# (Part of netdiag-probe; assembled by scripts/build-probe.)

#@jq JQ_TLS tls.jq

# split_certs FILE LEAF CHAIN — the PEM certificates of `s_client -showcerts` output: the
#   first into LEAF, the rest into CHAIN (neither file is written when there is none)
split_certs() {
  awk '/-----BEGIN CERTIFICATE-----/ {n++; p=1} p {print > (n == 1 ? LEAF : CHAIN)} /-----END CERTIFICATE-----/ {p=0}' \
    LEAF="$2" CHAIN="$3" "$1"
}

# parse_s_client FILE — s_client stdout -> T_PROTO T_CIPHER T_VCODE (verify return code)
#   T_VTEXT (its text); protocol and cipher from the SSL-Session block ("Protocol  : TLSv1.3"),
#   else from the "New, TLSv1.3, Cipher is X" line
parse_s_client() {
  T_PROTO=$(sed -n 's/^ *Protocol *: *\(.*\)$/\1/p' "$1" | tail -n1)
  T_CIPHER=$(sed -n 's/^ *Cipher *: *\(.*\)$/\1/p' "$1" | tail -n1)
  [[ -z $T_CIPHER ]] && T_CIPHER=$(sed -n 's/.*Cipher is \(.*\)$/\1/p' "$1" | tail -n1)
  [[ -z $T_PROTO ]] && T_PROTO=$(sed -n 's/^New, \([^,]*\), Cipher is.*/\1/p' "$1" | tail -n1)
  T_VCODE=$(sed -n 's/.*Verify return code: \([0-9]*\).*/\1/p' "$1" | tail -n1)
  T_VTEXT=$(sed -n 's/.*Verify return code: [0-9]* (\(.*\))$/\1/p' "$1" | tail -n1)
}

# tls_connect_outcome RC TEXT IP — no certificate came back: T_OC from s_client's exit status
#   and its stderr + stdout (errno=111 refused, 101 no-route, 113 unreachable or no-route,
#   110 timeout; anything else, e.g. a plain-text server: tls-error)
tls_connect_outcome() {
  if (($1 == 124 || $1 == 137)); then
    T_OC=timeout
    return 0
  fi
  case $2 in
    *"errno=111"* | *"Connection refused"*) T_OC=refused ;;
    *"errno=101"* | *"Network is unreachable"*) T_OC=no-route ;;
    *"errno=113"* | *"No route to host"*) classify_connect_error "No route to host" "$3"; T_OC=$C_OUTCOME ;;
    *"errno=110"* | *"timed out"*) T_OC=timeout ;;
    *) T_OC=tls-error ;;
  esac
}

# tls_connect_error ERRFILE OUTFILE — the first two lines that say why (error, errno, alert,
#   refused, unreachable), joined: T_ERR
tls_connect_error() {
  T_ERR=$(grep -E 'error|errno|alert|refused|unreachable' "$1" "$2" 2>/dev/null | head -n2 | sed 's/^[^:]*://' | tr '\n' ' ')
}

# parse_x509 TEXT — `openssl x509 -noout -subject -issuer -enddate -startdate -ext
#   subjectAltName` output -> X_SUBJ X_ISSUER X_NA (notAfter) X_NB (notBefore) X_SAN ("DNS:a, IP Address:b")
parse_x509() {
  X_SUBJ=$(printf '%s\n' "$1" | sed -n 's/^subject= *//p' | head -n1)
  X_ISSUER=$(printf '%s\n' "$1" | sed -n 's/^issuer= *//p' | head -n1)
  X_NA=$(printf '%s\n' "$1" | sed -n 's/^notAfter=//p' | head -n1)
  X_NB=$(printf '%s\n' "$1" | sed -n 's/^notBefore=//p' | head -n1)
  X_SAN=$(printf '%s\n' "$1" | awk '/X509v3 Subject Alternative Name/ {getline; gsub(/^ +/, ""); print; exit}')
}

# name_matches TEXT — `openssl x509 -checkhost / -checkip` output: does it say "does match"?
name_matches() { case $1 in *"does match"*) return 0 ;; esac; return 1; }

# parse_verify TEXT — `openssl verify` output -> V_TRUSTED (true / false) and V_ERR (why not:
#   "error 18 at 0 depth lookup: self-signed certificate" -> "self-signed certificate")
parse_verify() {
  V_TRUSTED=false
  case $1 in *": OK"*) V_TRUSTED=true ;; esac
  V_ERR=$(printf '%s\n' "$1" | sed -n 's/^error [0-9]* at [0-9]* depth lookup: *//p' | head -n1)
}

check_tls() {
  have openssl || finish tool-missing '{tool:"openssl", reason:"openssl not found"}'
  resolve_host "$F_HOST" || finish_unresolved "$F_HOST"
  local port=${F_PORT:-443} sni=$F_SNI d=$WD/tls.$TI.$CI rc hp
  mkdir -p "$d"
  [[ -z $sni ]] && ! is_ip "$F_HOST" && sni=$F_HOST
  if [[ $R_IP == *:* ]]; then hp="[$R_IP]:$port"; else hp="$R_IP:$port"; fi
  local args=(s_client -connect "$hp" -showcerts)
  if [[ -n $sni ]]; then args+=(-servername "$sni"); else args+=(-noservername); fi
  [[ -n $F_CAFILE ]] && args+=(-CAfile "$F_CAFILE")
  remaining
  tmo "$REM" openssl "${args[@]}" </dev/null >"$d/out" 2>"$d/err"; rc=$?
  split_certs "$d/out" "$d/leaf.pem" "$d/chain.pem"
  parse_s_client "$d/out"
  local proto=$T_PROTO cipher=$T_CIPHER vcode=$T_VCODE vtext=$T_VTEXT
  if [[ ! -s $d/leaf.pem ]]; then
    local oc
    tls_connect_outcome "$rc" "$(cat "$d/err" "$d/out")" "$R_IP"
    oc=$T_OC
    local e
    tls_connect_error "$d/err" "$d/out"
    e=$T_ERR
    say "  openssl s_client -connect $hp ${sni:+-servername $sni} -> no certificate: ${e:-handshake did not complete}"
    finish "$oc" --arg ip "$R_IP" --argjson port "$port" --arg sni "$sni" --arg e "$e" --arg oc "$oc" \
      '{ip:$ip, port:$port, sni:(if $sni == "" then null else $sni end), handshake:false, problems:(if $oc == "tls-error" then ["handshake-failed"] else [] end), error:$e}'
  fi
  local subj issuer na nb san
  parse_x509 "$(openssl x509 -in "$d/leaf.pem" -noout -subject -issuer -enddate -startdate -ext subjectAltName 2>/dev/null)"
  subj=$X_SUBJ issuer=$X_ISSUER na=$X_NA nb=$X_NB san=$X_SAN
  # name match checked on the certificate itself (independent of chain trust)
  local want=${sni:-$F_HOST} match=false mout
  if is_ip "$want"; then
    mout=$(openssl x509 -in "$d/leaf.pem" -noout -checkip "$want" 2>&1)
  else
    mout=$(openssl x509 -in "$d/leaf.pem" -noout -checkhost "$want" 2>&1)
  fi
  name_matches "$mout" && match=true
  # trust: verify the chain ignoring time (expiry is judged separately from the dates)
  local vargs=(verify -no_check_time) vout trusted=false
  [[ -n $F_CAFILE ]] && vargs+=(-CAfile "$F_CAFILE")
  [[ -s $d/chain.pem ]] && vargs+=(-untrusted "$d/chain.pem")
  vout=$(openssl "${vargs[@]}" "$d/leaf.pem" 2>&1)
  parse_verify "$vout"
  trusted=$V_TRUSTED
  local verr=$V_ERR
  say "  openssl s_client -connect $hp ${sni:+-servername $sni} -> ${proto:-?} ${cipher:-?}; verify: ${vcode:-?} (${vtext:-?})"
  say "  cert subject: $subj; issuer: $issuer; notAfter: $na; SAN: ${san:-none}"
  say "  name check ($want): $mout; chain (ignoring time): $( [[ $trusted == true ]] && echo trusted || echo "untrusted: $verr")"
  finish @ --arg ip "$R_IP" --argjson port "$port" --arg sni "$sni" --arg want "$want" --argjson match "$match" \
    --argjson trusted "$trusted" --arg verr "$verr" --arg vcode "${vcode:-}" --arg vtext "${vtext:-}" --arg subj "$subj" \
    --arg issuer "$issuer" --arg na "$na" --arg nb "$nb" --arg san "$san" --arg proto "$proto" --arg cipher "$cipher" "$JQ_TLS"
}
