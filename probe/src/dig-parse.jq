# dig-parse.jq — the dig parser: digparse($server; $rc) reads one dig output (.) and its
# exit status (a string; 124/137 = killed by timeout) and returns
#   {server, outcome, rcode, queryTimeMs, addresses, cnames?, queriedName?, note?, error?}
# outcome: ok (NOERROR with A/AAAA), nxdomain (NXDOMAIN or NODATA), servfail (any other
# rcode: SERVFAIL, REFUSED ...), dns-timeout, refused, unreachable, error.
# (Part of netdiag-probe, inlined into JQ_DNS by scripts/build-probe; golden tests:
# test/fixtures/probe-golden/dig/.)
def lastcap($re): [scan($re)] | last | if . == null then null else .[0] end;
def digparse($server; $rc):
  . as $o
  | ($o | lastcap("status: ([A-Z]+)")) as $rcode
  | ($o | lastcap("Query time: ([0-9]+) msec") | if . == null then null else tonumber end) as $qt
  | ($o | lastcap("(?m)^;([^ \t;][^ \t]*)\\s+IN\\s+[A-Z]+\\s*$")) as $qname
  | [$o | split("\n")[] | select(test("^[^;\\s]")) | [splits("\\s+")]] as $rr
  | [$rr[] | select(length >= 5 and (.[3] == "A" or .[3] == "AAAA")) | .[4]] as $addrs
  | [$rr[] | select(length >= 5 and .[3] == "CNAME") | .[4]] as $cnames
  | (if ($rc == "124" or $rc == "137") then "dns-timeout"
     elif $rcode == "NOERROR" and ($addrs | length) > 0 then "ok"
     elif $rcode == "NOERROR" or $rcode == "NXDOMAIN" then "nxdomain"
     elif $rcode != null then "servfail"
     elif ($o | test("connection refused")) then "refused"
     elif ($o | test("timed out|no servers could be reached")) then "dns-timeout"
     elif ($o | test("unreachable")) then "unreachable"
     else "error" end) as $outcome
  | {server:$server, outcome:$outcome, rcode:$rcode, queryTimeMs:$qt, addresses:$addrs}
    + (if ($cnames|length) > 0 then {cnames:$cnames} else {} end)
    + (if $qname != null then {queriedName:$qname} else {} end)
    + (if $rcode == "NOERROR" and ($addrs|length) == 0 then {note:"NOERROR without address records (NODATA)"} else {} end)
    + (if $outcome == "error" then {error:(($o | split("\n") | map(select(test("error|fail"; "i"))) | first) // "dig failed")} else {} end);
