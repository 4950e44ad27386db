# all-connected.jq — true when every connection check result (slurped out/*.json records)
# reached its destination: a lookup answered, a TCP connection opened, an HTTP status or a
# TLS handshake (even a failing verification) came back.
all(.[]; .result.outcome | IN("ok", "http-status", "tls-name-mismatch", "tls-expired", "tls-untrusted", "tls-error"))
