module netdiag.local/lab/netpol

go 1.24
