-- One row per year and scope where sites are counted: FT01 (sites labelled) beside FT02 + FT03 (qpv + rural).
-- Every labelled site is declared either qpv or rural, so the two must be equal.
with site_counts as (

    select
        year,
        scope_type,
        scope_code,
        max(case when indicator_code = 'FT01_sites_labelled' then value end) as sites_labelled,
        max(case when indicator_code = 'FT02_sites_qpv' then value end) as sites_qpv,
        max(case when indicator_code = 'FT03_sites_rural' then value end) as sites_rural
    from {{ ref('fct_indicators') }}
    where indicator_code in ('FT01_sites_labelled', 'FT02_sites_qpv', 'FT03_sites_rural')
    group by year, scope_type, scope_code

)

select
    year,
    scope_type,
    scope_code,
    sites_labelled,
    coalesce(sites_qpv, 0) + coalesce(sites_rural, 0) as sites_qpv_plus_rural
from site_counts
