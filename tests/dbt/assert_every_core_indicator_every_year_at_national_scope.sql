-- The published table has every core indicator of dim_indicator for every year of dim_year at national scope (the
-- programme's country).
-- Returns the missing (indicator, year) pairs.
select
    dim_indicator.indicator_code,
    dim_year.year
from {{ ref('dim_indicator') }} as dim_indicator
cross join {{ ref('dim_year') }} as dim_year
where dim_indicator.is_core
    and not exists (
        select 1
        from {{ ref('fct_indicators') }} as indicators
        where indicators.indicator_code = dim_indicator.indicator_code
            and indicators.year = dim_year.year
            and indicators.scope_type = 'national'
            and indicators.scope_code = (
                select parameters.country from {{ ref('int_programme_parameters_pivoted') }} as parameters
            )
    )
