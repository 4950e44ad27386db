module netdiag.local/lab/images/pause

go 1.24
