-- One row per site and year that follows a reported year: how many times people_total grew or shrank
-- (the larger of new / old and old / new; NULL when either is zero).
with consecutive_years as (

    select
        site_id,
        year,
        people_total,
        lag(people_total) over (
            partition by site_id
            order by year
        ) as previous_people_total,
        lag(year) over (
            partition by site_id
            order by year
        ) as previous_year
    from {{ ref('fct_site_year') }}

)

select
    site_id,
    year,
    previous_people_total,
    people_total,
    greatest(
        cast(people_total as {{ type_double() }}) / nullif(previous_people_total, 0),
        cast(previous_people_total as {{ type_double() }}) / nullif(people_total, 0)
    ) as change_factor
from consecutive_years
where previous_year = year - 1
