"""Good data at the source: a report template made for each site (`template`), and the check a site runs on what
it is about to send (`check`, printed by `check_report`), both from the ingestion's own declarations (the contract
with the programme's bounds and code lists), without a warehouse."""
