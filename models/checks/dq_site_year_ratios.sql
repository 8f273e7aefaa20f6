-- One row per site report: the ratios whose plausibility is checked (bounds in the programme's
-- validation_parameters.csv). A ratio whose denominator is zero is NULL (not checked).
with activity_totals as (

    select
        site_id,
        year,
        sum(sessions) as sessions,
        sum(participations) as participations
    from {{ ref('fct_activities') }}
    group by site_id, year

)

select
    site_year.site_id,
    site_year.year,
    cast(site_year.people_total as {{ type_double() }}) / nullif(site_year.open_days, 0) as people_per_open_day,
    cast(activity_totals.participations as {{ type_double() }}) / nullif(activity_totals.sessions, 0)
        as participations_per_session,
    cast(site_year.expenses_eur as {{ type_double() }}) / nullif(site_year.employees_fte, 0) as expenses_per_fte_eur
from {{ ref('fct_site_year') }} as site_year
left join activity_totals
    on site_year.site_id = activity_totals.site_id
        and site_year.year = activity_totals.year
