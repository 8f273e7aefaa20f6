-- The transfer guide's profile describes the same sites as the indicators, so its parts add up to them at national
-- scope, every year:
--   participations and hours by activity type = FT08 and FT09;
--   sites by legal form = FT01.
-- (The State's grants by type of funder are not compared with FT04: a State funder may fund a site under another
-- programme.) Returns the (indicator, year) where a sum differs (beyond a rounding tolerance).
with profile_parts as (

    select
        year,
        case
            when aspect = 'activity_type' and measure_code = 'participations' then 'FT08_participations'
            when aspect = 'activity_type' and measure_code = 'hours' then 'FT09_activity_hours'
            when aspect = 'legal_form' and measure_code = 'sites' then 'FT01_sites_labelled'
        end as indicator_code,
        value
    from {{ ref('rpt_transfer_profile') }}

),

profile_sums as (

    select
        year,
        indicator_code,
        sum(value) as value_sum
    from profile_parts
    group by year, indicator_code

),

national_indicators as (

    select
        indicator_code,
        year,
        value
    from {{ ref('fct_indicators') }}
    where scope_type = 'national'

)

select
    profile_sums.indicator_code,
    profile_sums.year,
    profile_sums.value_sum,
    national_indicators.value as indicator_value
from profile_sums
left join national_indicators
    on profile_sums.indicator_code = national_indicators.indicator_code
        and profile_sums.year = national_indicators.year
where profile_sums.indicator_code is not null
    and abs(profile_sums.value_sum - coalesce(national_indicators.value, 0)) > 0.001
