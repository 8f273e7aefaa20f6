-- One row per site and year from the year of its label: the site's figures that a partner compares across types
-- of territory (DEGURBA class, territorial target), for the transfer guide. A figure the site did not report is
-- NULL, never 0. Cumulative amounts run from the label to 31 December of the year.
with years as (

    select year, year_end_date from {{ ref('dim_year') }}

),

sites as (

    select
        site_id,
        territory_target,
        cast(degurba as varchar) as degurba,
        label_date,
        label_year
    from {{ ref('dim_site') }}

),

parameters as (

    select grant_duration_years from {{ ref('int_programme_parameters_pivoted') }}

),

site_years as (

    select
        sites.site_id,
        sites.territory_target,
        sites.degurba,
        years.year,
        years.year_end_date,
        years.year - sites.label_year + 1 as programme_year
    from sites
    inner join years
        on sites.label_date <= years.year_end_date

),

state_committed as (

    select
        site_years.site_id,
        site_years.year,
        sum(grants.amount_eur) as state_committed_eur
    from site_years
    inner join {{ ref('fct_grants') }} as grants
        on grants.site_id = site_years.site_id
        and grants.is_state_grant
        and grants.convention_date <= site_years.year_end_date
    group by site_years.site_id, site_years.year

),

state_paid as (

    select
        site_years.site_id,
        site_years.year,
        sum(payments.amount_eur) as state_paid_cumulative_eur
    from site_years
    inner join {{ ref('fct_payments') }} as payments
        on payments.site_id = site_years.site_id
        and payments.is_state_grant
        and payments.payment_date <= site_years.year_end_date
    group by site_years.site_id, site_years.year

),

activity_totals as (

    select site_id, year, sum(participations) as participations
    from {{ ref('fct_activities') }}
    group by site_id, year

),

finance_totals as (

    select
        site_id,
        year,
        sum(amount_eur) as revenue_eur,
        sum(case when line_group = 'own' then amount_eur else 0 end) as own_revenue_eur,
        sum(case when line_group = 'cofunding' then amount_eur else 0 end) as cofunding_eur
    from {{ ref('fct_finances') }}
    group by site_id, year

),

yearly_figures as (

    select
        site_years.site_id,
        site_years.year,
        site_years.territory_target,
        site_years.degurba,
        site_years.programme_year,
        reports.site_id is not null as has_report,
        cast(coalesce(state_committed.state_committed_eur, 0) as double) as state_committed_eur,
        cast(coalesce(state_paid.state_paid_cumulative_eur, 0) as double) as state_paid_cumulative_eur,
        reports.people_total as people_reached,
        activity_totals.participations,
        reports.employees_fte as jobs_fte,
        cast(finance_totals.own_revenue_eur as double) as own_revenue_eur,
        cast(finance_totals.revenue_eur as double) as revenue_eur,
        cast(finance_totals.cofunding_eur as double) as cofunding_eur
    from site_years
    left join state_committed
        on state_committed.site_id = site_years.site_id
        and state_committed.year = site_years.year
    left join state_paid
        on state_paid.site_id = site_years.site_id
        and state_paid.year = site_years.year
    left join {{ ref('fct_site_year') }} as reports
        on reports.site_id = site_years.site_id
        and reports.year = site_years.year
    left join activity_totals
        on activity_totals.site_id = site_years.site_id
        and activity_totals.year = site_years.year
    left join finance_totals
        on finance_totals.site_id = site_years.site_id
        and finance_totals.year = site_years.year

),

-- what the site reported from its label to the year (sums over the years it reported)
cumulated as (

    select
        *,
        sum(people_reached) over site_to_date as people_cumulative,
        sum(cofunding_eur) over site_to_date as cofunding_cumulative_eur
    from yearly_figures
    window site_to_date as (partition by site_id order by year rows between unbounded preceding and current row)

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
