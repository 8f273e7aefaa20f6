-- The breakdowns of indicator_breakdowns that partition a core indicator add up to it, at every year and scope:
--   FT08 and FT09 by activity type = FT08 and FT09;
--   FT11 by programme year: numerators and denominators = FT11's numerator and denominator;
--   FT18 (sites by band of State grant) = FT06's denominator, its bands within the bounds = FT06's numerator;
--   FT19 (co-funding lines) = FT12's numerator.
-- Returns the (indicator, year, scope) where a sum differs (beyond a rounding tolerance). In a year without site
-- reports, a breakdown measured from them is empty exactly when its core indicator is.
with sums as (

    select
        case indicator_code
            when 'FT18_sites_by_state_grant' then 'FT06_grant_in_bounds_pct'
            when 'FT19_cofunding_eur' then 'FT12_cofunding_leverage'
            else indicator_code
        end as core_indicator_code,
        indicator_code,
        year,
        scope_type,
        scope_code,
        sum(value) as value_sum,
        sum(case when breakdown_code like 'band_%' then value end) as value_in_bounds_sum,
        sum(numerator) as numerator_sum,
        sum(denominator) as denominator_sum,
        max(empty_reason) as empty_reason
    from {{ ref('fct_indicator_breakdowns') }}
    where indicator_code in (
            'FT08_participations', 'FT09_activity_hours', 'FT11_own_revenue_pct', 'FT18_sites_by_state_grant',
            'FT19_cofunding_eur'
        )
    group by core_indicator_code, indicator_code, year, scope_type, scope_code

),

compared as (

    select
        sums.*,
        indicators.value as core_value,
        indicators.numerator as core_numerator,
        indicators.denominator as core_denominator,
        indicators.empty_reason as core_empty_reason,
        case sums.indicator_code
            when 'FT08_participations' then sums.value_sum - indicators.value
            when 'FT09_activity_hours' then sums.value_sum - indicators.value
            when 'FT11_own_revenue_pct'
                then greatest(
                        abs(sums.numerator_sum - indicators.numerator),
                        abs(sums.denominator_sum - indicators.denominator)
                    )
            when 'FT18_sites_by_state_grant'
                then greatest(
                        abs(sums.value_sum - indicators.denominator),
                        abs(sums.value_in_bounds_sum - indicators.numerator)
                    )
            when 'FT19_cofunding_eur' then sums.value_sum - indicators.numerator
        end as difference
    from sums
    left join {{ ref('fct_indicators') }} as indicators
        on sums.core_indicator_code = indicators.indicator_code
            and sums.year = indicators.year
            and sums.scope_type = indicators.scope_type
            and sums.scope_code = indicators.scope_code

)

select *
from compared
where coalesce(empty_reason, '') != coalesce(core_empty_reason, '')
    and 'no_site_reports' in (empty_reason, core_empty_reason)
    or empty_reason is null and (
        core_value is null and core_numerator is null and core_denominator is null
        or abs(difference) > 0.001
    )
