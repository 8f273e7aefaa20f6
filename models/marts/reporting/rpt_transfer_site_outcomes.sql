-- The observed outcomes of each site over its grant (programme years 1 to grant_duration_years), the ground of
-- the scenario calculator: one row per site that has reached the end of its grant period in the warehouse's
-- years and reported in every one of those years (a missing year would read as zero reach). People and
-- participations are summed over the years; jobs are those of the last year of the grant; co-funding is what
-- the site reported over the years.
with site_years as (

    select * from {{ ref('fct_transfer_site_years') }}

),

parameters as (

    select grant_duration_years from {{ ref('int_programme_parameters_pivoted') }}

),

grant_years as (

    select site_years.*
    from site_years
    cross join parameters
    where site_years.programme_year between 1 and parameters.grant_duration_years

),

per_site as (

    select
        site_id,
        min(territory_target) as territory_target,  -- one per site: the group's only value
        min(degurba) as degurba,
        count(*) filter (where has_report) as years_reported,
        max(state_committed_eur) as state_grant_eur,
        sum(people_reached) as people_reached,
        sum(participations) as participations,
        max(case when programme_year = (select parameters.grant_duration_years from parameters) then jobs_fte end)
            as jobs_fte,
        sum(coalesce(cofunding_eur, 0)) as cofunding_eur
    from grant_years
    group by site_id

)

select
    per_site.site_id,
    per_site.territory_target,
    per_site.degurba,
    per_site.state_grant_eur,
    per_site.people_reached,
    coalesce(per_site.participations, 0) as participations,
    per_site.jobs_fte,
    per_site.cofunding_eur
from per_site
cross join parameters
where per_site.years_reported = parameters.grant_duration_years
    and per_site.jobs_fte is not null
