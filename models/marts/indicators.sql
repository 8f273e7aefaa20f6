-- The published indicator table: the 15 core indicators of the reporting pack (section 5), one row per
-- indicator, year (dim_year) and scope (national FR every year; region, territory_target, degurba and site
-- when the scope holds a site labelled by 31 December of the year). Each family is computed in its own model
-- (models/intermediate/indicators/); here they are stacked, given their unit (dim_indicator) and the target in
-- force for the year (seed indicator_targets: the row of the same indicator and scope with the latest
-- from_year on or before the year). An indicator measured from the site reports has no value in a year for
-- which no site report was accepted anywhere (dim_year.has_site_reports): it is empty with the reason
-- `no_site_reports`, never 0; a ratio over a zero denominator is empty with the reason `zero_denominator`.
with indicator_values as (

    select * from {{ ref('int_indicators_sites_counted') }}
    union all
    select * from {{ ref('int_indicators_state_funding_summed') }}
    union all
    select * from {{ ref('int_indicators_site_reports_summed') }}
    union all
    select * from {{ ref('int_indicators_funding_ratios_computed') }}

),

indicator_units as (

    select indicator_code, unit, from_site_reports from {{ ref('dim_indicator') }}

),

years as (

    select year, has_site_reports from {{ ref('dim_year') }}

),

targets as (

    -- typed by the seed's column_types
    select indicator_code, scope_type, scope_code, from_year, comparator as target_comparator, target_value
    from {{ ref('indicator_targets') }}

),

-- per indicator row, the target of its indicator and scope with the latest from_year on or before the year
targets_in_force as (

    select
        indicator_values.indicator_code,
        indicator_values.year,
        indicator_values.scope_type,
        indicator_values.scope_code,
        targets.target_comparator,
        targets.target_value,
        row_number() over (
            partition by
                indicator_values.indicator_code,
                indicator_values.year,
                indicator_values.scope_type,
                indicator_values.scope_code
            order by targets.from_year desc
        ) as target_rank
    from indicator_values
    inner join targets
        on targets.indicator_code = indicator_values.indicator_code
        and targets.scope_type = indicator_values.scope_type
        and targets.scope_code = indicator_values.scope_code
        and targets.from_year <= indicator_values.year

),

-- the values of a year without any accepted site report are not measured, for the indicators that need them
measured_values as (

    select
        indicator_values.indicator_code,
        indicator_values.year,
        indicator_values.scope_type,
        indicator_values.scope_code,
        indicator_units.unit,
        case
            when indicator_units.from_site_reports and not coalesce(years.has_site_reports, false)
                then 'no_site_reports'
            when indicator_values.value is null and indicator_values.denominator = 0 then 'zero_denominator'
        end as empty_reason,
        indicator_values.value,
        indicator_values.numerator,
        indicator_values.denominator
    from indicator_values
    left join indicator_units
        on indicator_units.indicator_code = indicator_values.indicator_code
    left join years
        on years.year = indicator_values.year

)

select
    indicator_values.indicator_code,
    cast(indicator_values.year as integer) as year,
    indicator_values.scope_type,
    cast(indicator_values.scope_code as varchar) as scope_code,
    cast(case when indicator_values.empty_reason is null then indicator_values.value end as double) as value,
    indicator_values.unit,
    cast(case
        when indicator_values.empty_reason = 'no_site_reports' then null else indicator_values.numerator
    end as double) as numerator,
    cast(case
        when indicator_values.empty_reason = 'no_site_reports' then null else indicator_values.denominator
    end as double) as denominator,
    targets_in_force.target_comparator,
    targets_in_force.target_value,
    indicator_values.empty_reason
from measured_values as indicator_values
left join targets_in_force
    on targets_in_force.indicator_code = indicator_values.indicator_code
    and targets_in_force.year = indicator_values.year
    and targets_in_force.scope_type = indicator_values.scope_type
    and targets_in_force.scope_code = indicator_values.scope_code
    and targets_in_force.target_rank = 1
order by
    indicator_values.indicator_code,
    indicator_values.year,
    case indicator_values.scope_type
        when 'national' then 1
        when 'region' then 2
        when 'territory_target' then 3
        when 'degurba' then 4
        else 5
    end,
    indicator_values.scope_code
