-- Every labelled site is declared either `qpv` or `rural`: at national scope, FT02 + FT03 = FT01 every year.
-- Returns the years where it does not hold (or where one of the three is missing).
with national as (

    select
        indicator_code,
        year,
        value
    from {{ ref('fct_indicators') }}
    where scope_type = 'national'
        and indicator_code in ('FT01_sites_labelled', 'FT02_sites_qpv', 'FT03_sites_rural')

),

per_year as (

    select
        year,
        max(case when indicator_code = 'FT01_sites_labelled' then value end) as sites_labelled,
        max(case when indicator_code = 'FT02_sites_qpv' then value end) as sites_qpv,
        max(case when indicator_code = 'FT03_sites_rural' then value end) as sites_rural
    from national
    group by year

)

select *
from per_year
where sites_labelled is null
    or sites_qpv is null
    or sites_rural is null
    or sites_qpv + sites_rural <> sites_labelled
