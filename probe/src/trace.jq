# trace.jq — parses tracepath / traceroute / mtr output ($out, tool $tool, target $ip, exit
# status $rc) into {outcome, detail:{tool, ip, hops:[{hop, addr, rttMs, mark}], lastHop,
# lastHopNumber, reached, error?, note?}, say}. A hop answered by several probes keeps its
# first answering address; marks like !H !N !X !P !S !<n> mean unreachable.
# (Part of netdiag-probe, inlined as JQ_TRACE by scripts/build-probe; golden tests:
# test/fixtures/probe-golden/{tracepath,traceroute}/.)
($out | split("\n")
 | map(if $tool == "mtr" then (capture("^\\s*(?<hop>[0-9]+)\\.\\|--\\s+(?<addr>\\S+)(?<rest>.*)$") // null)
       else (capture("^\\s*(?<hop>[0-9]+):?\\s+(?<addr>\\S+)(?<rest>.*)$") // null) end)
 | map(select(. != null)
     | {hop:(.hop|tonumber),
        addr:(if (.addr | test("^[0-9.]+$|^[0-9a-fA-F:]*:[0-9a-fA-F:.]*$")) then .addr else null end),
        rttMs:(((.rest // "") | capture("(?<ms>[0-9.]+) ?ms") | .ms | tonumber?) // null),
        mark:(((.rest // "") | capture("(?<m>![A-Za-z0-9]+)") | .m) // null)})
 | group_by(.hop) | map((map(select(.addr != null)) | first) // .[0])) as $hops
| ([$hops[] | select(.addr != null)] | last) as $last
| ($last != null and $last.addr == $ip) as $reached
| ($out | test("Network is unreachable|network unreachable")) as $noroute
| {outcome:(if $noroute then "no-route" elif $reached then "ok"
            elif ([$hops[] | select(.mark != null and (.mark | test("^!(H|N|X|P|S|[0-9])")))] | length) > 0 then "unreachable"
            else "timeout" end),
   detail:({tool:$tool, ip:$ip, hops:$hops, lastHop:($last.addr // null), lastHopNumber:($last.hop // null), reached:$reached}
     + (if $noroute then {error:"network is unreachable"} else {} end)
     + (if ($rc == "124" or $rc == "137") then {note:"trace stopped at the check timeout"} else {} end)
     + (if $reached or $noroute then {} else {note:"no answer from the target; the last answering hop is where to look (ICMP/UDP may be filtered beyond it)"} end)),
   say:([$hops[] | "\($tool) hop \(.hop): \(.addr // "*")\(if .rttMs then " \(.rttMs) ms" else "" end)\(if .mark then " " + .mark else "" end)"]
        + ["last answering hop: \($last.addr // "none")\(if $reached then " (target reached)" else " (target not reached)" end)"])}
