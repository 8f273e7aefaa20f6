-- A site's figures for a year beside those of its peers, for the site sheets: one row per site labelled by
-- 31 December of the year, year of dim_year and measure. A site's peers are the other sites with the same
-- territory_target and DEGURBA class labelled by 31 December of that year (a site whose commune has no DEGURBA
-- has no peers). The site's value is its site-scope indicator (marts.indicators, so that the sheet and
-- indicators.csv agree), left empty where the site sent nothing to compute it from (no report, no activity
-- rows): a missing report is not a zero. The peer median and mean are over the peers that have a value.
-- The figures compared are listed in the seed site_sheet_measures.
with years as (

    select year, year_end_date from {{ ref('dim_year') }}

),

sites as (

    select
        site_id,
        territory_target,
        cast(degurba as varchar) as degurba,
        label_date
    from {{ ref('dim_site') }}

),

-- the figures compared (seed site_sheet_measures): the indicator each reads, what the site must have sent
measures as (

    select
        cast(measure_code as varchar) as measure_code,
        cast(indicator_code as varchar) as indicator_code,
        cast(sort_order as integer) as sort_order,
        cast(requires as varchar) as requires,
        cast(is_people_count as boolean) as is_people_count
    from {{ ref('site_sheet_measures') }}

),

labelled_site_years as (

    select
        sites.site_id,
        years.year,
        sites.territory_target,
        sites.degurba
    from sites
    inner join years
        on sites.label_date <= years.year_end_date

),

site_indicators as (

    select scope_code as site_id, year, indicator_code, value
    from {{ ref('indicators') }}
    where scope_type = 'site'

),

units as (

    select indicator_code, unit from {{ ref('dim_indicator') }}

),

site_reports as (

    select distinct site_id, year from {{ ref('fct_site_year') }}

),

activity_reports as (

    select distinct site_id, year from {{ ref('fct_activities') }}

),

network_reports as (

    select distinct site_id, year from {{ ref('fct_network') }}

),

site_values as (

    select
        labelled_site_years.site_id,
        labelled_site_years.year,
        labelled_site_years.territory_target,
        labelled_site_years.degurba,
        measures.measure_code,
        measures.indicator_code,
        measures.sort_order,
        measures.is_people_count,
        case
            when measures.requires = 'site_year' and site_reports.site_id is null then null
            when measures.requires = 'activities' and activity_reports.site_id is null then null
            when measures.requires = 'site_year_or_network'
                and site_reports.site_id is null and network_reports.site_id is null then null
            else site_indicators.value
        end as site_value
    from labelled_site_years
    cross join measures
    left join site_indicators
        on site_indicators.site_id = labelled_site_years.site_id
        and site_indicators.year = labelled_site_years.year
        and site_indicators.indicator_code = measures.indicator_code
    left join site_reports
        on site_reports.site_id = labelled_site_years.site_id
        and site_reports.year = labelled_site_years.year
    left join activity_reports
        on activity_reports.site_id = labelled_site_years.site_id
        and activity_reports.year = labelled_site_years.year
    left join network_reports
        on network_reports.site_id = labelled_site_years.site_id
        and network_reports.year = labelled_site_years.year

),

peer_values as (

    select
        site_values.site_id,
        site_values.year,
        site_values.measure_code,
        count(peers.site_id) as peer_count,
        count(peers.site_value) as peer_value_count,
        percentile_cont(0.5) within group (order by peers.site_value) as peer_median,
        avg(peers.site_value) as peer_mean
    from site_values
    left join site_values as peers
        on peers.year = site_values.year
        and peers.measure_code = site_values.measure_code
        and peers.territory_target = site_values.territory_target
        and peers.degurba = site_values.degurba
        and peers.site_id <> site_values.site_id
    group by site_values.site_id, site_values.year, site_values.measure_code

)

select
    site_values.site_id,
    site_values.year,
    site_values.measure_code,
    site_values.indicator_code,
    cast(site_values.sort_order as integer) as sort_order,
    units.unit,
    site_values.is_people_count,
    site_values.territory_target,
    site_values.degurba,
    cast(site_values.site_value as double) as site_value,
    cast(peer_values.peer_count as integer) as peer_count,
    cast(peer_values.peer_value_count as integer) as peer_value_count,
    cast(peer_values.peer_median as double) as peer_median,
    cast(peer_values.peer_mean as double) as peer_mean
from site_values
inner join peer_values
    on peer_values.site_id = site_values.site_id
    and peer_values.year = site_values.year
    and peer_values.measure_code = site_values.measure_code
left join units
    on units.indicator_code = site_values.indicator_code
order by site_values.site_id, site_values.year, site_values.sort_order
