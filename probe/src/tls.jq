# tls.jq — the tls check result after a handshake: certificate fields from openssl x509
# ($subj $issuer $san, dates $na $nb as openssl prints them: "Jan  1 00:00:00 2020 GMT"),
# $match (name check), $trusted and $verr (chain verified ignoring time), from s_client
# its $proto $cipher $vcode $vtext, $ip $port $sni $want -> {detail, outcome}. Problems in
# order: expired, not-yet-valid, name-mismatch, untrusted, verify-error; the outcome is the
# first of tls-expired, tls-name-mismatch, tls-untrusted, tls-error.
# (Part of netdiag-probe, inlined as JQ_TLS by scripts/build-probe; golden tests:
# test/fixtures/probe-golden/openssl-x509/.)
def epoch: gsub(" +"; " ") | strptime("%b %d %H:%M:%S %Y GMT") | mktime;
($na | epoch? // null) as $nae | ($nb | epoch? // null) as $nbe | now as $now
| ([ (if $nae != null and $nae < $now then "expired" else empty end),
     (if $nbe != null and $nbe > $now then "not-yet-valid" else empty end),
     (if $match | not then "name-mismatch" else empty end),
     (if $trusted | not then "untrusted" else empty end),
     (if ($vcode != "" and $vcode != "0" and ($vcode | IN("9","10","2","18","19","20","21","27") | not)) then "verify-error" else empty end)
   ]) as $problems
| {ip:$ip, port:$port, sni:(if $sni == "" then null else $sni end), checkedName:$want, handshake:true,
   protocol:(if $proto == "" then null else $proto end), cipher:(if $cipher == "" then null else $cipher end),
   verifyCode:($vcode|tonumber? // null), verifyResult:(if $vtext == "" then null else $vtext end),
   nameMatch:$match, trusted:$trusted, subject:$subj, issuer:$issuer,
   notAfter:(if $nae != null then ($nae|todate) else $na end), notBefore:(if $nbe != null then ($nbe|todate) else $nb end),
   daysLeft:(if $nae != null then (($nae - $now) / 86400 | floor) else null end),
   subjectAltNames:($san | split(", ") | map(select(length > 0))), problems:$problems}
  + (if $trusted then {} else {untrustedReason:$verr} end)
| {detail:., outcome:(
    if (.problems | index("expired")) or (.problems | index("not-yet-valid")) then "tls-expired"
    elif (.problems | index("name-mismatch")) then "tls-name-mismatch"
    elif (.problems | index("untrusted")) then "tls-untrusted"
    elif (.problems | index("verify-error")) then "tls-error"
    else "ok" end)}
