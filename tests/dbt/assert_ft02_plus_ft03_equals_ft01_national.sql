-- FT02 counts the sites of a `priority_area` target, FT03 those of a `rural_area` target (groups of the programme's
-- territory_target list). When every target of the list is in one of the two groups (`qpv` and `rural` in the
-- bundled programme), FT02 + FT03 = FT01 at national scope every year; otherwise FT02 + FT03 <= FT01.
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

),

targets_outside_both_groups as (

    select count(*) as targets
    from {{ ref('stg_programme__code_lists') }}
    where domain = 'territory_target'
        and coalesce(grouping, '') not in ('priority_area', 'rural_area')

)

select per_year.*
from per_year
cross join targets_outside_both_groups
where per_year.sites_labelled is null
    or per_year.sites_qpv is null
    or per_year.sites_rural is null
    or per_year.sites_qpv + per_year.sites_rural > per_year.sites_labelled
    or (
        targets_outside_both_groups.targets = 0
        and per_year.sites_qpv + per_year.sites_rural <> per_year.sites_labelled
    )
