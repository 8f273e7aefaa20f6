-- One row per site labelled by 31 December of a reporting year, and that year: did it send its report?
with campaign_years as (

    select distinct reporting_year as year
    from {{ ref('stg_campaign__campaigns') }}

)

select
    sites.site_id,
    campaign_years.year,
    site_year.site_id is not null as has_report
from {{ ref('dim_site') }} as sites
cross join campaign_years
left join {{ ref('fct_site_year') }} as site_year
    on sites.site_id = site_year.site_id
        and campaign_years.year = site_year.year
where extract(year from sites.label_date) <= campaign_years.year
