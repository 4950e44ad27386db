# context.jq — the run context: resolv.conf ($ns $search: one per line, $ndots), interfaces
# ($links: "name<TAB>mtu" lines, $addrs: "name<TAB>address/len" lines) and routes ($routes)
# -> {resolvConf, interfaces:[{name, mtu, addresses}], routes}.
# (Part of netdiag-probe, inlined as JQ_CONTEXT by scripts/build-probe.)
def lines: split("\n") | map(select(length > 0));
($addrs | lines | map(split("\t"))) as $a
| {resolvConf:{nameservers:($ns|lines), search:($search|lines), ndots:$ndots},
   interfaces:[$links | lines[] | split("\t") | {name:.[0], mtu:(.[1]|tonumber? // null)} as $i
               | $i + {addresses:[$a[] | select(.[0] == $i.name) | .[1]]}],
   routes:($routes|lines)}
