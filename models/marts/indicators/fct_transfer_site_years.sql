-- One row per site and year from the year of its label: the site's figures that a partner compares across types
-- of territory (DEGURBA class, territorial target), for the transfer guide. A figure the site did not report is
-- NULL, never 0. Cumulative amounts run from the label to 31 December of the year.
with sites as (

    select
        site_id,
        territory_target,
        cast(degurba as {{ dbt.type_string() }}) as degurba,
        label_year
    from {{ ref('dim_site') }}

),

parameters as (

    select grant_duration_years from {{ ref('int_programme_parameters_pivoted') }}

),

-- per site and year, its measures summed over their breakdown codes: NULL when the site did not send them
site_measures as (

    select
        site_id,
        year,
        count(*) filter (where measure_code = 'site_reports') > 0 as has_report,
        sum(value) filter (where measure_code = 'state_committed_eur') as state_committed_eur,
        sum(value) filter (where measure_code = 'state_paid_eur') as state_paid_cumulative_eur,
        sum(value) filter (where measure_code = 'people_reached') as people_reached,
        sum(value) filter (where measure_code = 'participations') as participations,
        sum(value) filter (where measure_code = 'jobs_fte') as jobs_fte,
        sum(value) filter (where measure_code = 'operating_expenses_eur') as operating_expenses_eur,
        sum(value) filter (where measure_code = 'state_paid_in_year_eur') as state_paid_in_year_eur,
        sum(case when breakdown_group = 'own' then value else 0 end) filter (where measure_code = 'revenue_eur')
            as own_revenue_eur,
        sum(value) filter (where measure_code = 'revenue_eur') as revenue_eur,
        sum(case when breakdown_group = 'cofunding' then value else 0 end) filter (where measure_code = 'revenue_eur')
            as cofunding_eur
    from {{ ref('fct_site_year_measures') }}
    group by site_id, year

),

-- one row per labelled site-year (every labelled site-year has the measure labelled_sites)
yearly_figures as (

    select
        site_measures.site_id,
        site_measures.year,
        sites.territory_target,
        sites.degurba,
        {{ programme_year('site_measures.year', 'sites.label_year') }} as programme_year,
        site_measures.has_report,
        coalesce(site_measures.state_committed_eur, 0) as state_committed_eur,
        coalesce(site_measures.state_paid_cumulative_eur, 0) as state_paid_cumulative_eur,
        site_measures.people_reached,
        site_measures.participations,
        site_measures.jobs_fte,
        site_measures.operating_expenses_eur,
        coalesce(site_measures.state_paid_in_year_eur, 0) as state_paid_in_year_eur,
        site_measures.own_revenue_eur,
        site_measures.revenue_eur,
        site_measures.cofunding_eur
    from site_measures
    inner join sites
        on site_measures.site_id = sites.site_id

),

-- what the site reported from its label to the year (sums over the years it reported)
cumulated as (

    select
        *,
        sum(people_reached) over site_to_date as people_cumulative,
        sum(operating_expenses_eur) over site_to_date as operating_expenses_cumulative_eur,
        sum(cofunding_eur) over site_to_date as cofunding_cumulative_eur
    from yearly_figures
    window site_to_date as (
        partition by site_id
        order by year rows between unbounded preceding and current row
    )

)

select
    cumulated.site_id,
    cumulated.year,
    cumulated.territory_target,
    cumulated.degurba,
    cumulated.programme_year,
    cumulated.has_report,
    cumulated.state_committed_eur,
    cumulated.state_paid_cumulative_eur,
    cumulated.people_reached,
    cumulated.participations,
    cumulated.jobs_fte,
    cumulated.operating_expenses_eur,
    cumulated.state_paid_in_year_eur,
    cumulated.operating_expenses_cumulative_eur,
    -- what the State paid from the label to the year, as a share of what running the site cost in the years it
    -- reported its expenses
    100.0 * cumulated.state_paid_cumulative_eur / nullif(cumulated.operating_expenses_cumulative_eur, 0)
        as state_paid_share_of_expenses_pct,
    cumulated.own_revenue_eur,
    cumulated.revenue_eur,
    cumulated.cofunding_eur,
    100.0 * cumulated.own_revenue_eur / nullif(cumulated.revenue_eur, 0) as own_revenue_pct,
    cumulated.people_cumulative,
    cumulated.cofunding_cumulative_eur,
    cumulated.state_paid_cumulative_eur / nullif(cumulated.people_cumulative, 0) as state_eur_per_person,
    cumulated.cofunding_cumulative_eur / nullif(cumulated.state_paid_cumulative_eur, 0) as cofunding_leverage,
    cumulated.programme_year > parameters.grant_duration_years as is_grant_ended
from cumulated
cross join parameters
