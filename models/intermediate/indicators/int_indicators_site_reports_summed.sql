-- FT07, FT08, FT09, FT10 and FT13: what the sites report for year Y, summed per scope.
-- The report rows of the sites labelled by 31 December count at the scopes of their site (dim_site); a scope
-- with labelled sites but no report rows gets 0.
with people_and_jobs as (

    select site_id, year, people_total, employees_fte
    from {{ ref('fct_site_year') }}

),

activities as (

    select site_id, year, participations, hours
    from {{ ref('fct_activities') }}

),

-- fct_network has one row per site, year and distinct place (name and commune)
places_supported as (

    select site_id, year
    from {{ ref('fct_network') }}

),

-- each report table contributes its measures, the others' are 0
report_measures as (

    select
        site_id, year,
        people_total as people_reached, 0 as participations, 0 as activity_hours,
        employees_fte as jobs_fte, 0 as places_supported
    from people_and_jobs

    union all

    select
        site_id, year,
        0 as people_reached, participations, hours as activity_hours,
        0 as jobs_fte, 0 as places_supported
    from activities

    union all

    select
        site_id, year,
        0 as people_reached, 0 as participations, 0 as activity_hours,
        0 as jobs_fte, 1 as places_supported
    from places_supported

),

site_values as (

    select
        site_id,
        year,
        sum(people_reached) as people_reached,
        sum(participations) as participations,
        sum(activity_hours) as activity_hours,
        sum(jobs_fte) as jobs_fte,
        sum(places_supported) as places_supported
    from report_measures
    group by site_id, year

),

scope_values as (

    {{ sum_site_values_to_scopes('site_values', [
        'people_reached', 'participations', 'activity_hours', 'jobs_fte', 'places_supported'
    ]) }}

)

select
    'FT07_people_reached' as indicator_code, year, scope_type, scope_code,
    people_reached as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator
from scope_values

union all

select
    'FT08_participations' as indicator_code, year, scope_type, scope_code,
    participations as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator
from scope_values

union all

select
    'FT09_activity_hours' as indicator_code, year, scope_type, scope_code,
    activity_hours as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator
from scope_values

union all

select
    'FT10_jobs_fte' as indicator_code, year, scope_type, scope_code,
    jobs_fte as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator
from scope_values

union all

select
    'FT13_places_supported' as indicator_code, year, scope_type, scope_code,
    places_supported as value,
    cast(null as double) as numerator,
    cast(null as double) as denominator
from scope_values
