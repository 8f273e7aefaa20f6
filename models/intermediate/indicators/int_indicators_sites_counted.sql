-- FT01, FT02, FT03 and FT15: the labelled sites, counted per year and scope.
-- A site counts in year Y from its label date: label_date on or before 31 December Y.
-- One row per indicator, year and reported scope (see macro sum_site_values_to_scopes).
with years as (

    select year, year_end_date from {{ ref('dim_year') }}

),

sites as (

    select site_id, territory_target, label_date from {{ ref('dim_site') }}

),

site_reports as (

    select site_id, year from {{ ref('fct_site_year') }}

),

-- one row per year and site labelled on or before 31 December of that year
labelled_sites as (

    select
        years.year,
        sites.site_id,
        sites.territory_target
    from sites
    inner join years
        on sites.label_date <= years.year_end_date

),

-- per labelled site and year: 1 in each count the site belongs to, else 0
site_values as (

    select
        labelled_sites.site_id,
        labelled_sites.year,
        1 as labelled_sites,
        case when labelled_sites.territory_target = 'qpv' then 1 else 0 end as labelled_sites_qpv,
        case when labelled_sites.territory_target = 'rural' then 1 else 0 end as labelled_sites_rural,
        case when site_reports.site_id is not null then 1 else 0 end as labelled_sites_reporting
    from labelled_sites
    left join site_reports
        on site_reports.site_id = labelled_sites.site_id
        and site_reports.year = labelled_sites.year

),

scope_values as (

    {{ sum_site_values_to_scopes('site_values', [
        'labelled_sites', 'labelled_sites_qpv', 'labelled_sites_rural', 'labelled_sites_reporting'
    ]) }}

)

select
    'FT01_sites_labelled' as indicator_code, year, scope_type, scope_code,
    labelled_sites as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator
from scope_values

union all

select
    'FT02_sites_qpv' as indicator_code, year, scope_type, scope_code,
    labelled_sites_qpv as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator
from scope_values

union all

select
    'FT03_sites_rural' as indicator_code, year, scope_type, scope_code,
    labelled_sites_rural as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator
from scope_values

union all

-- share of the labelled sites with a loaded site_year row for the year (100 or 0 for one site)
select
    'FT15_reporting_pct' as indicator_code, year, scope_type, scope_code,
    100.0 * labelled_sites_reporting / nullif(labelled_sites, 0) as value,
    labelled_sites_reporting as numerator,
    labelled_sites as denominator
from scope_values
