"""Reports rendered from the validated warehouse: the annual impact report, the ministry scorecard, the site
sheets and the transfer guide, in the languages of fabriques.i18n.LANGUAGES (HTML site + PDF). Every figure is
read from the warehouse and names its indicator code; nothing is computed here that dbt did not compute."""
