"""Reports rendered from the validated warehouse: the annual impact report, the ministry scorecard and the site
sheets, in French and English (HTML site + PDF). Every figure is read from the warehouse and names its
indicator code; nothing is computed here that dbt did not compute."""
