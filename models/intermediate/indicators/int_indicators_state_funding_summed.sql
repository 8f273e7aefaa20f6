-- FT04, FT05 and FT06: the State grants (programme = state_programme_code) committed and paid, cumulated from
-- the start of the programme to 31 December of each year, per scope; and the share of the funded sites whose
-- State grant total lies within the bounds of programme_parameters (grant_min_eur, grant_max_eur, inclusive).
-- A grant or payment counts at the scopes of its site (dim_site), for the years where the site is labelled.
with years as (

    select year, year_end_date from {{ ref('dim_year') }}

),

grant_bounds as (

    select grant_min_eur, grant_max_eur from {{ ref('int_programme_parameters_pivoted') }}

),

state_grants as (

    select site_id, convention_date, amount_eur
    from {{ ref('fct_grants') }}
    where is_state_grant

),

state_payments as (

    select site_id, payment_date, amount_eur
    from {{ ref('fct_payments') }}
    where is_state_grant

),

-- per site and year: total State montant of the grants agreed on or before 31 December (sites with one or more)
state_committed_per_site_year as (

    select
        state_grants.site_id,
        years.year,
        sum(state_grants.amount_eur) as state_committed_eur
    from state_grants
    inner join years
        on state_grants.convention_date <= years.year_end_date
    group by state_grants.site_id, years.year

),

-- per site and year: total paid on State grants on or before 31 December
state_paid_per_site_year as (

    select
        state_payments.site_id,
        years.year,
        sum(state_payments.amount_eur) as state_paid_eur
    from state_payments
    inner join years
        on state_payments.payment_date <= years.year_end_date
    group by state_payments.site_id, years.year

),

site_values as (

    select
        coalesce(committed.site_id, paid.site_id) as site_id,
        coalesce(committed.year, paid.year) as year,
        coalesce(committed.state_committed_eur, 0) as state_committed_eur,
        coalesce(paid.state_paid_eur, 0) as state_paid_eur,
        case when committed.site_id is not null then 1 else 0 end as sites_with_state_grant,
        case
            when committed.state_committed_eur between grant_bounds.grant_min_eur and grant_bounds.grant_max_eur
                then 1
            else 0
        end as sites_with_state_grant_in_bounds
    from state_committed_per_site_year as committed
    full outer join state_paid_per_site_year as paid
        on paid.site_id = committed.site_id
        and paid.year = committed.year
    cross join grant_bounds

),

scope_values as (

    {{ sum_site_values_to_scopes('site_values', [
        'state_committed_eur', 'state_paid_eur', 'sites_with_state_grant', 'sites_with_state_grant_in_bounds'
    ]) }}

)

select
    'FT04_state_committed_eur' as indicator_code, year, scope_type, scope_code,
    state_committed_eur as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator
from scope_values

union all

select
    'FT05_state_paid_eur' as indicator_code, year, scope_type, scope_code,
    state_paid_eur as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator
from scope_values

union all

-- at site scope only the sites with a State grant by that year have a row (100 or 0); at other scopes a row
-- without any funded site is kept with a NULL value
select
    'FT06_grant_in_bounds_pct' as indicator_code, year, scope_type, scope_code,
    100.0 * sites_with_state_grant_in_bounds / nullif(sites_with_state_grant, 0) as value,
    sites_with_state_grant_in_bounds as numerator,
    sites_with_state_grant as denominator
from scope_values
where scope_type <> 'site' or sites_with_state_grant > 0
