-- One row per site and year reported (site_year table; per site-year, the latest campaign holding it).
with site_year as (

    select * from {{ ref('stg_campaign__site_year') }}

),

sites as (

    select
        site_id,
        label_date
    from {{ ref('dim_site') }}

)

select
    site_year.site_id,
    site_year.year,
    site_year.people_total,
    site_year.employees_fte,
    site_year.jobs_created,
    site_year.volunteers,
    site_year.open_days,
    site_year.expenses_eur,
    -- false for a report of a year before the site's label year (the site, and so its report, counts from then)
    coalesce(extract(year from sites.label_date) <= site_year.year, false) as is_site_labelled,
    site_year.campaign_key,
    site_year.source_file,
    site_year.source_row
from site_year
left join sites
    on site_year.site_id = sites.site_id
