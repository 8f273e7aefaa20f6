-- The figures of the annual report: every indicator of fct_indicators at national, region, territorial-target
-- and DEGURBA scope, per year, with the name of its scope (the region's name, the label of the target or the
-- DEGURBA class). An indicator published only as a total in fct_indicator_breakdowns (FT17, jobs created) is
-- added with that total, so the report reads every figure of a year and scope from one table.
with indicators as (

    select
        indicator_code,
        year,
        scope_type,
        scope_code,
        value,
        unit,
        numerator,
        denominator,
        target_comparator,
        target_value,
        empty_reason
    from {{ ref('fct_indicators') }}
    where scope_type != 'site'

),

totals_published_as_breakdowns as (

    select
        indicator_code,
        year,
        scope_type,
        scope_code,
        value,
        unit,
        numerator,
        denominator,
        cast(null as {{ dbt.type_string() }}) as target_comparator,
        cast(null as {{ type_double() }}) as target_value,
        empty_reason
    from {{ ref('fct_indicator_breakdowns') }}
    where scope_type != 'site'
        and breakdown_type = 'total'
        and indicator_code not in (select indicators.indicator_code from indicators)

),

region_names as (

    select
        'region' as scope_type,
        region_code as scope_code,
        min(region_name) as scope_name
    from {{ ref('dim_territory') }}
    where region_code is not null
    group by region_code

),

code_labels as (

    select
        domain as scope_type,
        code as scope_code,
        label as scope_name
    from {{ ref('stg_programme__code_lists') }}
    where domain in ('territory_target', 'degurba')

),

scope_names as (

    select * from region_names
    union all
    select * from code_labels

),

figures as (

    select * from indicators
    union all
    select * from totals_published_as_breakdowns

)

select
    figures.indicator_code,
    figures.year,
    figures.scope_type,
    figures.scope_code,
    scope_names.scope_name,
    figures.value,
    figures.unit,
    figures.numerator,
    figures.denominator,
    figures.target_comparator,
    figures.target_value,
    figures.empty_reason
from figures
left join scope_names
    on figures.scope_type = scope_names.scope_type
        and figures.scope_code = scope_names.scope_code
order by figures.indicator_code, figures.year, figures.scope_type, figures.scope_code
