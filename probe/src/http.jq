# http.jq — the http check detail from what curl reported: -w fields ($code $tn $tc $ta $ts
# $tt in seconds, $size $rip $hv), the error line ($err) and connect errno ($errno) from its
# stderr, the outcome ($oc) and reason ($reason) decided in check-http.sh, $url, the body
# excerpt ($ex). Timings become milliseconds with one decimal.
# (Part of netdiag-probe, inlined as JQ_HTTP by scripts/build-probe; golden tests:
# test/fixtures/probe-golden/curl/.)
def ms: (tonumber? // 0) * 1000 | . * 10 | round / 10;
{url:$url, status:($code|tonumber? // 0),
 timings:{dns:($tn|ms), connect:($tc|ms), tls:($ta|ms), firstByte:($ts|ms), total:($tt|ms)},
 remoteIp:(if $rip == "" then null else $rip end), httpVersion:(if $hv == "" or $hv == "0" then null else $hv end),
 bodyBytes:($size|tonumber? // 0), bodyExcerpt:$ex}
+ (if $err != "" and $oc != "ok" and $oc != "http-status" then {error:$err} else {} end)
+ (if $errno != "" and $oc != "ok" then {connectError:$errno} else {} end)
+ (if $reason != "" then {reason:$reason} else {} end)
