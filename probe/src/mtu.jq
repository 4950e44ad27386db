# mtu.jq — the mtu check detail: $ip $dev, interface MTU $ifmtu, largest answered size
# $best (0 = none), $reported (next-hop MTU a router or the kernel reported), $rtmtu (route
# cache), $tried ("1500:false 1400:true ...").
# (Part of netdiag-probe, inlined as JQ_MTU by scripts/build-probe.)
{ip:$ip, dev:$dev, interfaceMtu:$ifmtu, pathMtu:(if $best > 0 then $best else null end),
 reportedMtu:($reported|tonumber? // null), routeMtu:($rtmtu|tonumber? // null),
 sizesTried:($tried | split(" ") | map(select(length > 0) | split(":") | {mtu:(.[0]|tonumber), ok:(.[1] == "true")}))}
+ (if $best == 0 then {note:"no DF echo answered at any size; ICMP may be filtered; path MTU unknown"} else {} end)
