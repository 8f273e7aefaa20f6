-- The ministry scorecard: every core indicator and every indicator with a target, per year, at the national,
-- territory_target, degurba and region scopes, with the previous year's value and the change since,
-- with its target (the programme's indicator_targets.csv), the value the linear
-- trajectory expects, the gap and a status. The rules are stated in the model's description (_marts__scorecard.yml):
--   met        the target's comparator holds (value >= target, value <= ceiling, ...);
--   on_track   a `>=` (or `>`) target not met, where the value has reached the share of the target that the
--              elapsed time implies: target x (year - start + 1) / (from_year - start + 1), capped at 1, start
--              being the programme's start year (programme_parameters); once the target is in force the share
--              is 1, so a target in force and not met is off_track;
--   off_track  otherwise (a ceiling exceeded is off_track: ceilings have no trajectory);
--   no_reports the indicator is measured from the site reports and none was accepted for the year
--              (fct_indicators.empty_reason = no_site_reports): "no reports received", not off track;
--   NULL       no target for the indicator and scope, or no value (ratio over zero).
with indicator_values as (

    select
        indicator_code,
        year,
        scope_type,
        scope_code,
        value,
        unit,
        empty_reason
    from {{ ref('fct_indicators') }}
    where scope_type in ('national', 'territory_target', 'degurba', 'region')

),

-- the same scope's value of the year before, for the change
previous_year_values as (

    select
        indicator_code,
        year + 1 as year,
        scope_type,
        scope_code,
        value as previous_value
    from indicator_values

),

catalogue as (

    select
        indicator_code,
        sort_order,
        name,
        is_core
    from {{ ref('dim_indicator') }}

),

targets as (

    -- typed by the seed's column_types
    select
        indicator_code,
        scope_type,
        scope_code,
        from_year,
        comparator as target_comparator,
        target_value
    from {{ ref('stg_programme__indicator_targets') }}

),

-- indicators the ministries check: those with a target at any scope
success_indicators as (

    select distinct indicator_code from targets

),

parameters as (

    select programme_start_year from {{ ref('int_programme_parameters_pivoted') }}

),

years as (

    select distinct year from indicator_values

),

-- per indicator, scope and year: the target in force or, before any is in force, the next one
ranked_targets as (

    {{ targets_by_year(ref('stg_programme__indicator_targets'), 'years') }}
),

scope_names as (

    select
        cast(code as {{ dbt.type_string() }}) as scope_code,
        cast(domain as {{ dbt.type_string() }}) as scope_type,
        label as scope_name
    from {{ ref('stg_programme__code_lists') }}
    where domain in ('territory_target', 'degurba')

    union all

    select distinct
        cast(region_code as {{ dbt.type_string() }}) as scope_code,
        'region' as scope_type,
        region_name as scope_name
    from {{ ref('dim_territory') }}
    where region_code is not null

    union all

    select
        country as scope_code,
        'national' as scope_type,
        country_name as scope_name
    from {{ ref('int_programme_parameters_pivoted') }}

),

with_targets as (

    select
        indicator_values.indicator_code,
        catalogue.sort_order,
        catalogue.name,
        indicator_values.unit,
        success_indicators.indicator_code is not null as is_success_indicator,
        indicator_values.year,
        indicator_values.scope_type,
        indicator_values.scope_code,
        scope_names.scope_name,
        indicator_values.value,
        indicator_values.empty_reason,
        previous_year_values.previous_value,
        -- compared at the precision of indicators.csv (6 decimals), so that 100.0000000001 % meets 100 %
        {{ round_to('indicator_values.value', 6) }} as compared_value,
        ranked_targets.target_comparator,
        ranked_targets.target_value,
        ranked_targets.target_from_year,
        ranked_targets.is_target_in_force,
        case
            when ranked_targets.target_comparator in ('>=', '>') then
                least(greatest(
                    cast(indicator_values.year - parameters.programme_start_year + 1 as {{ type_double() }})
                    / greatest(ranked_targets.target_from_year - parameters.programme_start_year + 1, 1),
                    0.0
                ), 1.0)
        end as expected_share
    from indicator_values
    inner join catalogue
        on indicator_values.indicator_code = catalogue.indicator_code
    left join success_indicators
        on indicator_values.indicator_code = success_indicators.indicator_code
    left join ranked_targets
        on indicator_values.indicator_code = ranked_targets.indicator_code
            and indicator_values.year = ranked_targets.year
            and indicator_values.scope_type = ranked_targets.scope_type
            and indicator_values.scope_code = ranked_targets.scope_code
    left join scope_names
        on indicator_values.scope_type = scope_names.scope_type
            and indicator_values.scope_code = scope_names.scope_code
    left join previous_year_values
        on indicator_values.indicator_code = previous_year_values.indicator_code
            and indicator_values.year = previous_year_values.year
            and indicator_values.scope_type = previous_year_values.scope_type
            and indicator_values.scope_code = previous_year_values.scope_code
    cross join parameters
    where catalogue.is_core or success_indicators.indicator_code is not null

)

select
    indicator_code,
    sort_order,
    name,
    unit,
    is_success_indicator,
    year,
    scope_type,
    scope_code,
    scope_name,
    value,
    empty_reason,
    previous_value,
    value - previous_value as change,
    target_comparator,
    target_value,
    target_from_year,
    is_target_in_force,
    expected_share,
    target_value * expected_share as expected_value,
    value - target_value as gap,
    case
        when empty_reason = 'no_site_reports' and target_value is not null then 'no_reports'
        when target_value is null or value is null then null
        when target_comparator = '>=' and compared_value >= target_value then 'met'
        when target_comparator = '>' and compared_value > target_value then 'met'
        when target_comparator = '<=' and compared_value <= target_value then 'met'
        when target_comparator = '<' and compared_value < target_value then 'met'
        when target_comparator = '=' and compared_value = target_value then 'met'
        when target_comparator in ('>=', '>') and expected_share < 1
            and compared_value >= {{ round_to('target_value * expected_share', 6) }} then 'on_track'
        else 'off_track'
    end as status
from with_targets
order by
    sort_order,
    year,
    case scope_type when 'national' then 1 when 'territory_target' then 2 when 'degurba' then 3 else 4 end,
    scope_code
