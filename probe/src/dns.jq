# dns.jq — the dns check result: the system resolver ($sysrc $sysms $systool $sysaddrs) and
# one dig output per resolv.conf nameserver ($servers, $rcs: space-separated; outputs as
# positional arguments), parsed by digparse (dig-parse.jq, inlined before this), into
# {outcome, detail, say}. $digstate: ok, no-dig, no-ns.
# (Part of netdiag-probe, inlined into JQ_DNS by scripts/build-probe.)
($servers | split(" ") | map(select(length > 0))) as $srv
| ($rcs | split(" ")) as $rcl
| [range(0; $srv | length) as $i | $ARGS.positional[$i] | digparse($srv[$i]; $rcl[$i])] as $per
| ($sysaddrs | split(" ") | map(select(length > 0))) as $sa
| (if $systool == "none" then "tool-missing"
   elif $sysrc == "0" and ($sa|length) > 0 then "ok"
   elif $sysrc == "124" or $sysrc == "137" then "dns-timeout"
   else "not-found" end) as $sys
| [$per[] | select(.outcome == "ok")] as $okp
| ($per | map(.outcome)) as $outs
| (if $sys == "ok" or ($okp|length) > 0 then "ok"
   elif $digstate != "ok" then "tool-missing"
   elif ($outs | index("nxdomain")) != null then "nxdomain"
   elif ($outs | index("servfail")) != null then "servfail"
   elif ($outs | index("dns-timeout")) != null or $sys == "dns-timeout" then "dns-timeout"
   elif ($outs | index("refused")) != null then "refused"
   elif ($outs | index("unreachable")) != null then "unreachable"
   else "error" end) as $outcome
| (if ($sa|length) > 0 then $sa else ([$okp[].addresses[]] | unique) end) as $addrs
| {outcome:$outcome,
   detail:({name:$name, type:$qtype, addresses:$addrs,
     queryTimeMs:(if ($okp|length) > 0 then ([$okp[].queryTimeMs | select(. != null)] | min) else $sysms end),
     searchApplied:($search == "1"),
     systemResolver:{tool:$systool, outcome:$sys, addresses:$sa, durationMs:$sysms},
     perServer:$per}
     + (if ($okp|length) > 1 and ([$okp[] | .addresses | sort] | unique | length) > 1 then {inconsistent:true} else {} end)
     + (if $outcome == "tool-missing" and $digstate == "no-dig" then {tool:"dig"} else {} end)
     + (if $outcome == "tool-missing" then {reason:(if $systool == "none" and $digstate == "ok" then "neither getent nor nslookup found"
         elif $digstate == "no-dig" then "dig not found: the system resolver did not answer and NXDOMAIN / SERVFAIL / timeout cannot be told apart"
         else "no nameserver in resolv.conf: the system resolver did not answer and the failure cannot be classified" end)} else {} end)
     + (if $outcome == "error" then {reason:"no resolver answered and no DNS failure could be classified"} else {} end)),
   say:([("\($systool) \($name) -> " + (if ($sa|length) > 0 then ($sa|join(" ")) else "no answer (\($sys))" end) + " (\($sysms) ms, system resolver)")]
     + [$per[] | "dig @\(.server) \($name)\(if $search == "1" then " +search" else "" end) +tries=1 -> \(.rcode // "-") \(.outcome)"
         + (if (.addresses|length) > 0 then " " + (.addresses|join(",")) else "" end)
         + (if .queryTimeMs != null then " (\(.queryTimeMs) ms)" else "" end)
         + (if .queriedName then " [final name \(.queriedName)]" else "" end)]
     + (if $digstate == "no-dig" then ["dig not installed: per-nameserver queries skipped"]
        elif $digstate == "no-ns" then ["no nameserver in resolv.conf: per-nameserver queries skipped"] else [] end))}
