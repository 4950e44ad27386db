# retest.jq — which finished checks to re-test after the confirm window (ADR 0010): one
# "ti ci" line per dns/tcp/http result that failed as a drop would, or that worked although
# the operator marked it confirm:"connected". Input: the out/*.json records.
.result as $r
| select($r.check == "dns" or $r.check == "tcp" or $r.check == "http")
| select(
    ($r.outcome | IN("timeout", "dns-timeout", "unreachable", "no-route"))
    or (($r.detail.input.confirm // "") == "connected"
        and ($r.outcome | IN("ok", "http-status", "tls-name-mismatch", "tls-expired", "tls-untrusted", "tls-error"))))
| "\(.ti) \(.ci)"
