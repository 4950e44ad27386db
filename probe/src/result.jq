# result.jq — assembles the run: the check results (slurped), $plan skeleton, $ctx context,
# $node $podip $start $dur -> line 1 the full result, line 2 the termination-log summary
# (degraded in steps until it fits $limit bytes, ADR 0003), then the transcript lines
# (a line "<U+0001>T<ti>" marks where the check transcripts of target <ti> go).
# (Part of netdiag-probe, inlined as JQ_FINAL by scripts/build-probe.)
def iso: (. / 1000 | floor | todate | sub("Z$"; "")) + "." + ((. % 1000) | tostring | ("00" + .) | .[-3:]) + "Z";
def pad($n): tostring | if length < $n then . + (" " * ($n - length)) else . end;
def slim2: del(.bodyExcerpt, .hops, .sizesTried, .subjectAltNames, .raw, .subject, .issuer)
  | if .perServer then .perServer |= map(del(.addresses, .cnames, .queriedName, .note, .error)) else . end
  | if .systemResolver then .systemResolver |= del(.addresses) else . end;
def slim3: {input, status, addresses:(.addresses | if type == "array" then .[:3] else null end), pathMtu, interfaceMtu,
  reason, lastHop, reached, queryTimeMs, connectMs, daysLeft, problems, note}
  | with_entries(select(.value != null));
def slim4: {input:(.input | {role, pod, id} | with_entries(select(.value != null))), status, pathMtu, interfaceMtu}
  | with_entries(select(.value != null and .value != {}));
def level($L):
  if $L == 0 then . + {truncated:false}
  else del(.context) + {truncated:true}
    | .targets |= map(.checks |= map(
        if $L == 2 then .detail |= slim2
        elif $L == 3 then .detail |= (slim2 | slim3)
        elif $L == 4 then .detail |= slim4
        elif $L == 5 then {check, outcome} + (if .detail.input.id then {id:.detail.input.id} else {} end)
        else . end))
  end;
def minimal($k): {version, runId, node, podIP, startedAt, durationMs, truncated:true,
  targetsOmitted:((.targets | length) - $k), targets:(.targets[:$k] | map({name, checks:(.checks | map({check, outcome}))}))};
. as $res
| {version:1, runId:($plan[0].runId // null), node:$node, podIP:(if $podip == "" then null else $podip end),
   startedAt:($start | iso), durationMs:$dur, context:$ctx[0],
   targets:[$plan[0].targets | to_entries[] | .key as $ti
     | {name:(.value.name // "targets[\(.key)]"), checks:([$res[] | select(.ti == $ti)] | sort_by(.ci) | map(.result))}]}
| . as $R
| ($R | tojson),
  (first((range(0; 6) as $L | $R | level($L)),
         ((.targets | length) as $n | ($n, ($n / 2 | floor), ($n / 4 | floor), ($n / 8 | floor), ($n / 16 | floor), 0) as $k | $R | minimal($k))
   | tojson | select(utf8bytelength <= $limit)) // ({version:1, truncated:true} | tojson)),
  "=== netdiag probe run \(.runId // "-") on \(.node) (pod IP \(.podIP // "-")) ===",
  (.context | select(.resolvConf != null)
   | "resolv.conf: nameservers \(.resolvConf.nameservers | join(" ")) | search \(.resolvConf.search | join(" ")) | ndots \(.resolvConf.ndots)",
     (.interfaces[]? | select(.name != "lo") | "interface \(.name) mtu \(.mtu) \(.addresses | join(" "))"),
     (.routes[]? | "route: \(.)")),
  (.targets | to_entries[] | "\u0001T\(.key)", "", "--- target \(.value.name) ---"),
  "", "=== verdicts (\(.durationMs) ms) ===",
  (.targets[] | .name as $n | .checks[]
   | "\($n | pad(16)) \(.check | pad(6)) \(.outcome | pad(18)) \("\(.durationMs) ms" | pad(9)) "
     + (.detail.input | del(.check) | to_entries | map("\(.key)=\(.value)") | join(" ")))
