module netdiag.local/lab/images/http-echo

go 1.24
