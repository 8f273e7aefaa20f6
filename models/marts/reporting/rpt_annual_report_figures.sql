-- The places of the annual report and the indicator each one shows (seed annual_report_figures), with the
-- indicator's name and unit: one row per section, role and indicator, in display order.
with places as (

    select
        section,
        role,
        sort_order,
        indicator_code
    from {{ ref('annual_report_figures') }}

),

indicators as (

    select
        indicator_code,
        name,
        unit
    from {{ ref('dim_indicator') }}

)

select
    places.section,
    places.role,
    cast(places.sort_order as integer) as sort_order,
    places.indicator_code,
    indicators.name,
    indicators.unit
from places
inner join indicators
    on places.indicator_code = indicators.indicator_code
order by places.section, places.sort_order
