-- FT11, FT12 and FT14: ratios between what the sites report for year Y and the State payments of year Y.
--   FT11 own revenue / all revenue lines, in % (finance line groups from code_lists: `own`)
--   FT12 co-funding lines (code_lists group `cofunding`: public_region, public_department, public_municipal,
--        public_eu, private_grants) / State payments dated 1 January to 31 December Y
--   FT14 State payments dated in Y / people reached (FT07), in EUR per person
-- Numerator and denominator are summed over the scope first, then divided; a zero denominator gives a NULL
-- value (the row is kept with its numerator and denominator).
with finances as (

    select site_id, year, line_group, amount_eur
    from {{ ref('fct_finances') }}

),

state_payments_in_year as (

    select site_id, payment_year as year, amount_eur
    from {{ ref('fct_payments') }}
    where is_state_grant

),

people as (

    select site_id, year, people_total
    from {{ ref('fct_site_year') }}

),

-- each source contributes its measures, the others' are 0
ratio_measures as (

    select
        site_id, year,
        case when line_group = 'own' then amount_eur else 0 end as own_revenue_eur,
        amount_eur as total_revenue_eur,
        case when line_group = 'cofunding' then amount_eur else 0 end as cofunding_eur,
        0 as state_paid_in_year_eur,
        0 as people_reached
    from finances

    union all

    select
        site_id, year,
        0 as own_revenue_eur, 0 as total_revenue_eur, 0 as cofunding_eur,
        amount_eur as state_paid_in_year_eur,
        0 as people_reached
    from state_payments_in_year

    union all

    select
        site_id, year,
        0 as own_revenue_eur, 0 as total_revenue_eur, 0 as cofunding_eur,
        0 as state_paid_in_year_eur,
        people_total as people_reached
    from people

),

site_values as (

    select
        site_id,
        year,
        sum(own_revenue_eur) as own_revenue_eur,
        sum(total_revenue_eur) as total_revenue_eur,
        sum(cofunding_eur) as cofunding_eur,
        sum(state_paid_in_year_eur) as state_paid_in_year_eur,
        sum(people_reached) as people_reached
    from ratio_measures
    group by site_id, year

),

scope_values as (

    {{ sum_site_values_to_scopes('site_values', [
        'own_revenue_eur', 'total_revenue_eur', 'cofunding_eur', 'state_paid_in_year_eur', 'people_reached'
    ]) }}

)

select
    'FT11_own_revenue_pct' as indicator_code, year, scope_type, scope_code,
    100.0 * own_revenue_eur / nullif(total_revenue_eur, 0) as value,
    own_revenue_eur as numerator,
    total_revenue_eur as denominator
from scope_values

union all

select
    'FT12_cofunding_leverage' as indicator_code, year, scope_type, scope_code,
    cofunding_eur / nullif(state_paid_in_year_eur, 0) as value,
    cofunding_eur as numerator,
    state_paid_in_year_eur as denominator
from scope_values

union all

select
    'FT14_state_eur_per_person' as indicator_code, year, scope_type, scope_code,
    state_paid_in_year_eur / nullif(people_reached, 0) as value,
    state_paid_in_year_eur as numerator,
    people_reached as denominator
from scope_values
