(error "line 1 ""quoted"" ) (")
unknown
(:reason-unknown |x|)
