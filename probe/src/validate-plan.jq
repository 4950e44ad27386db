# validate-plan.jq — the plan validator of the probe (the contract: docs/adr/0003-probe-contract.md).
# One program validates EVERY field of EVERY check, whatever its kind, before anything uses
# it: strings must be free of control characters (C0, DEL, C1, U+2028/9) and bounded,
# numbers must be JSON numbers, whole and in range, hosts/names must not look like options,
# URLs must be http(s) without globbing characters. Only the fields a check kind uses, and
# only after validation, leave jq (as JSON, read back by jq in the worker); a bad check or
# target is reported as an `error` result of its own (detail.invalid) while the rest runs.
# Only a bad plan envelope (not JSON, version, runId, timeoutSeconds, rawSockets, targets)
# ends the probe with exit 2.
#
# Output lines (TAB-separated; every field is jq-generated, so none holds a TAB or newline):
#   E <message>                                   plan-level error (exit 2)
#   P <skeleton json>                             {runId, rawSockets, targets:[{name}]}
#   C <ti> <ci> <timeout> <kind> <fields> <input json>   a valid check to run; <fields>: the
#     validated fields of its kind (check name host port url sni caFile insecure type maxHops
#     connectTimeoutSeconds, "" when absent), "connected" when the check is marked
#     confirm:"connected" (else ""), and a final ".", joined by U+001F (validation
#     forbids control characters, so a value never holds one): the worker reads them without jq
#   I <ti> <ci> <kind> <result json> <reason>     an invalid check / target, already a result
# The same accept/reject corpus runs against this and the zod schema
# (test/fixtures/plan-corpus.json, src/probe/plan-corpus.test.ts).
# (Part of netdiag-probe, inlined as JQ_VALIDATE by scripts/build-probe.)
def bad: . < 32 or (. >= 127 and . <= 159) or . == 8232 or . == 8233;
def ctrlfree: all(explode[]; bad | not);
def clean: explode | map(if bad then 65533 else . end) | implode;
def safe: if type == "string" then (if length > 256 then .[:256] + "..." else . end | clean)
  elif type == "number" or type == "boolean" or type == "null" then .
  else (tojson | safe) end;
def shown: tojson | if length > 80 then .[:80] + "..." else . end | clean;
def str($max): if type != "string" then "must be a string (got \(type))"
  elif length == 0 then "must not be empty"
  elif length > $max then "is longer than \($max) characters"
  elif (ctrlfree | not) then "contains a control character (below 0x20, 0x7f, C1 or a line separator)"
  else empty end;
def int($lo; $hi): if type != "number" then "must be a number (got \(type) \(shown))"
  elif . != floor then "must be a whole number (got \(.))"
  elif . < $lo or . > $hi then "must be \($lo)..\($hi) (got \(.))"
  else empty end;
def hostre: "^(\\[[0-9A-Fa-f:.]{2,45}\\]|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*|[A-Za-z0-9_][A-Za-z0-9_.-]{0,252})$";
def namere: "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}\\.?$";
def urlre: "^https?://(\\[[0-9A-Fa-f:.]{2,45}\\]|[A-Za-z0-9_][A-Za-z0-9_.-]{0,252})(:[0-9]{1,5})?([/?#][A-Za-z0-9._~!$&\u0027()*+,;=:@/?%#-]*)?$";
def kinds: ["dns","route","icmp","trace","tcp","http","tls","mtu"];
def required($k): {dns:["name"], route:["host"], icmp:["host"], trace:["host"], mtu:["host"], tcp:["host","port"], http:["url"], tls:["host"]}[$k] // [];
def used($k): {dns:["name","type"], route:["host"], icmp:["host"], trace:["host","maxHops"], mtu:["host"], tcp:["host","port"],
  http:["url","host","caFile","insecure","connectTimeoutSeconds"], tls:["host","port","sni","caFile"]}[$k] // [];
# . = the value of field $k; emits a message when it is bad
def fieldcheck($k):
  if $k == "check" then (if type == "string" and IN(kinds[]) then empty else "must be one of \(kinds | join(", ")) (got \(shown))" end)
  elif $k == "name" then (str(254) // (if test(namere) then empty else "must be a DNS name (letters, digits, _ . -, not starting with - or .; got \(shown))" end))
  elif $k == "host" then (str(255) // (if test(hostre) then empty else "must be a host name or IP address (letters, digits, _ . - :, not starting with -; got \(shown))" end))
  elif $k == "sni" then (str(254) // (if test(namere) then empty else "must be a DNS name (got \(shown))" end))
  elif $k == "port" then int(1; 65535)
  elif $k == "timeoutSeconds" then int(1; 300)
  elif $k == "connectTimeoutSeconds" then int(1; 300)
  elif $k == "maxHops" then int(1; 64)
  elif $k == "type" then (if IN("A", "AAAA") then empty else "must be A or AAAA (got \(shown))" end)
  elif $k == "insecure" then (if type == "boolean" then empty else "must be a boolean (got \(shown))" end)
  elif $k == "caFile" then (str(1024) // (if test("^/[A-Za-z0-9_./+@=,-]*$") then empty else "must be an absolute path of letters, digits and _ . / + @ = , - (got \(shown))" end))
  elif $k == "url" then (str(2048) // (if test(urlre) | not
      then "must be an http:// or https:// URL: host name or [IPv6], optional port, then only URL characters (no spaces, quotes, \\, ^, `, |, <, >, [, ], {, }; percent-encode them; got \(shown))"
      else (capture("^https?://(\\[[^]]*\\]|[^/:?#]*)(:(?<p>[0-9]+))?").p) as $p
        | if $p != null and (($p | tonumber) < 1 or ($p | tonumber) > 65535) then "port must be 1..65535 (got \($p))" else empty end end))
  elif ($k | test("^[A-Za-z_][A-Za-z0-9_.-]{0,63}$") | not) then "is not a valid field name"
  elif type == "string" then (if length > 1024 then "is longer than 1024 characters" elif (ctrlfree | not) then "contains a control character (below 0x20, 0x7f, C1 or a line separator)" else empty end)
  elif type == "number" then empty
  else "extra fields must be strings or numbers (got \(type))" end;
def fname($k): if ($k | test("^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")) then $k else ($k | shown) end;
# . = a check; emits {field, message}
def checkerrors:
  if type != "object" then {field:null, message:"must be an object (got \(type))"}
  else . as $c
    | (if has("check") then empty else {field:"check", message:"is required"} end),
      (required($c.check | if type == "string" then . else "" end)[] | select(. as $f | $c | has($f) | not)
       | {field:., message:"is required for a \($c.check) check"}),
      (to_entries[] | .key as $k | .value | fieldcheck($k) | {field:fname($k), message:.})
  end;
def targeterrors:
  if type != "object" then {field:null, message:"must be an object (got \(type))"}
  else (if has("name") then (.name | str(253) | {field:"name", message:.}) else {field:"name", message:"is required"} end),
    (if (.checks | type) != "array" or (.checks | length) == 0 then {field:"checks", message:"must be a non-empty array"} else empty end)
  end;
def msgs($p): map("\($p)\(if .field == null then "" else "." + .field end): \(.message)");
def planerrors:
  if type != "object" then ["plan: must be a JSON object"]
  else
    [ (if .version != 1 then "plan.version: must be 1 (got \(.version | shown))" else empty end),
      (if has("runId") then (.runId | str(253) | "plan.runId: " + .) else empty end),
      (if has("timeoutSeconds") then (.timeoutSeconds | int(1; 300) | "plan.timeoutSeconds: " + .) else empty end),
      (if has("rawSockets") and (.rawSockets | type) != "boolean" then "plan.rawSockets: must be a boolean" else empty end),
      (if has("confirmAfterSeconds") then (.confirmAfterSeconds | int(1; 30) | "plan.confirmAfterSeconds: " + .) else empty end),
      (if (.targets | type) != "array" or (.targets | length) == 0 then "plan.targets: must be a non-empty array" else empty end) ]
  end;
def allerrors:
  planerrors[],
  (if type == "object" and (.targets | type) == "array" then
     .targets | to_entries[] | .key as $ti | .value as $t | "plan.targets[\($ti)]" as $tp
     | ([$t | targeterrors] | msgs($tp)[]),
       (if ($t | type) == "object" and ($t.checks | type) == "array" then
          $t.checks | to_entries[] | "\($tp).checks[\(.key)]" as $cp | [.value | checkerrors] | msgs($cp)[]
        else empty end)
   else empty end);
def invalid($ti; $ci; $kind; $input; $errs; $p):
  ($errs | msgs($p) | join("; ") | clean) as $why
  | "I\t\($ti)\t\($ci)\t\($kind)\t"
    + ({ti:$ti, ci:$ci, result:{check:$kind, outcome:"error", durationMs:0,
         detail:{input:$input, invalid:true, reason:("invalid check, not run: " + $why),
                 invalidFields:($errs | map({field, message:(.message | clean)}))}}} | tojson)
    + "\t" + $why;
def sanitized: if type == "object" then with_entries(.key |= safe | .value |= safe) else {} end;
. as $plan
| if (planerrors | length) > 0 then (allerrors | "E\t" + clean)
  else
    ($plan.timeoutSeconds // 5) as $T
    | "P\t" + ({runId:($plan.runId // null), rawSockets:($plan.rawSockets // false), confirmAfterSeconds:($plan.confirmAfterSeconds // 0),
               targets:[$plan.targets[] | {name:(if type == "object" and (.name | type) == "string" and ([.name | str(253)] | length) == 0
                                                 then .name else null end)}]} | tojson),
      ($plan.targets | to_entries[] | .key as $ti | .value as $t | "plan.targets[\($ti)]" as $tp
       | [$t | targeterrors] as $te
       | if ($te | length) > 0 then invalid($ti; 0; "target"; {}; $te; $tp)
         else $t.checks | to_entries[] | .key as $ci | .value as $c | "\($tp).checks[\($ci)]" as $cp
           | [$c | checkerrors] as $ce
           | if ($ce | length) > 0 then
               invalid($ti; $ci; (if ($c | type) == "object" and ($c.check | type) == "string" and ($c.check | IN(kinds[])) then $c.check else "invalid" end);
                 ($c | sanitized); $ce; $cp)
             else "C\t\($ti)\t\($ci)\t\($c.timeoutSeconds // $T)\t\($c.check)\t"
               + ($c | with_entries(select(.key as $k | ["check"] + used($c.check) | index([$k])))
                  | [.check, .name, .host, .port, .url, .sni, .caFile, .insecure, .type, .maxHops, .connectTimeoutSeconds]
                  | map(if . == null then "" else tostring end)
                    + [if $c.confirm == "connected" then "connected" else "" end, "."] | join("\u001f"))
               + "\t" + ($c | tojson)
             end
         end)
  end
