-- The transfer guide's evidence by type of territory: for every year, group (all sites, a DEGURBA class, a
-- territorial target) and measure, the median and interquartile range over the sites that have a value, with
-- their number; the own-revenue share also by programme year (1, 2, 3, 4 and after: each site at that stage of
-- its life, observed in any year up to the year, its latest observation for `4+`), and the share of sites still
-- active once their grant has ended (they sent their annual report for the year). A cell with fewer sites than
-- `min_sites_per_cell` (seed transfer_parameters) has no figure, only its count: `is_reportable` is false.
with site_years as (

    select * from {{ ref('fct_transfer_site_years') }}

),

years as (

    select year from {{ ref('dim_year') }}

),

-- each site's own-revenue share per programme-year band, as known at the end of each year: its latest
-- observation in the band up to that year
own_revenue_by_programme_year as (

    select
        site_years.site_id,
        years.year,
        site_years.territory_target,
        site_years.degurba,
        {{ programme_year_band('site_years.programme_year') }}
            as programme_year_band,
        site_years.own_revenue_pct,
        row_number() over (
            partition by
                site_years.site_id, years.year,
                {{ programme_year_band('site_years.programme_year') }}
            order by site_years.year desc
        ) as recency
    from site_years
    inner join years
        on site_years.year <= years.year
    where site_years.own_revenue_pct is not null

),

parameters as (

    select cast(value as integer) as min_sites_per_cell
    from {{ ref('transfer_parameters') }}
    where parameter = 'min_sites_per_cell'

),

-- one row per site, year and measure, where the site has a value
site_measures as (

    {% set measures = [
        ("state_grant_per_site_eur", "state_committed_eur", "state_committed_eur > 0"),
        ("state_eur_per_person", "state_eur_per_person", "state_eur_per_person is not null"),
        ("people_reached", "people_reached", "people_reached is not null"),
        ("participations", "participations", "participations is not null"),
        ("jobs_fte", "jobs_fte", "jobs_fte is not null"),
        ("operating_expenses_eur", "operating_expenses_eur", "operating_expenses_eur is not null"),
        ("state_paid_share_of_expenses_pct", "state_paid_share_of_expenses_pct",
            "state_paid_share_of_expenses_pct is not null"),
        ("cofunding_leverage", "cofunding_leverage", "cofunding_leverage is not null"),
        ("own_revenue_pct", "own_revenue_pct", "own_revenue_pct is not null"),
    ] %}
    {% for measure_code, column, condition in measures %}
        select
            site_id,
            year,
            territory_target,
            degurba,
            '{{ measure_code }}' as measure_code,
            'all' as programme_year_band,
            cast({{ column }} as {{ type_double() }}) as value
        from site_years
        where {{ condition }}
        union all
    {% endfor %}
    select
        site_id,
        year,
        territory_target,
        degurba,
        'own_revenue_pct' as measure_code,
        programme_year_band,
        own_revenue_pct as value
    from own_revenue_by_programme_year
    where recency = 1

),

-- every site-year measure counts in three groups: all sites, its DEGURBA class and its territorial target
grouped_measures as (

    {{ territory_groups('site_measures') }}
),

distributions as (

    select
        year,
        group_type,
        group_code,
        measure_code,
        programme_year_band,
        count(*) as site_count,
        {{ percentile_cont('value', 0.25) }} as p25,
        {{ percentile_cont('value', 0.5) }} as median,
        {{ percentile_cont('value', 0.75) }} as p75,
        cast(null as {{ type_double() }}) as share_pct
    from grouped_measures
    group by year, group_type, group_code, measure_code, programme_year_band

),

ended_grants as (

    select
        site_id,
        year,
        territory_target,
        degurba,
        has_report
    from site_years
    where is_grant_ended

),

grouped_ended_grants as (

    {{ territory_groups('ended_grants') }}
),

survival as (

    select
        year,
        group_type,
        group_code,
        'active_after_grant_pct' as measure_code,
        'all' as programme_year_band,
        count(*) as site_count,
        cast(null as {{ type_double() }}) as p25,
        cast(null as {{ type_double() }}) as median,
        cast(null as {{ type_double() }}) as p75,
        100.0 * count(*) filter (where has_report) / count(*) as share_pct
    from grouped_ended_grants
    group by year, group_type, group_code

),

cells as (

    select * from distributions
    union all
    select * from survival

)

select
    cells.year,
    cells.group_type,
    cells.group_code,
    cells.measure_code,
    cells.programme_year_band,
    cells.site_count,
    cells.site_count >= parameters.min_sites_per_cell as is_reportable,
    case when cells.site_count >= parameters.min_sites_per_cell then cells.p25 end as p25,
    case when cells.site_count >= parameters.min_sites_per_cell then cells.median end as median,
    case when cells.site_count >= parameters.min_sites_per_cell then cells.p75 end as p75,
    case when cells.site_count >= parameters.min_sites_per_cell then cells.share_pct end as share_pct
from cells
cross join parameters
