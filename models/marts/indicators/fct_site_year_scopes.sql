-- Every site in every reporting year, in each of its scopes (macro site_scopes: national, region,
-- territory_target, degurba, site), with whether the site is labelled by 31 December of that year.
-- This is the backbone of the indicators: a scope is reported in a year when it holds a labelled site
-- (the national scope always), and site counts only count labelled sites.
with sites as (

    select
        site_id,
        region_code,
        territory_target,
        degurba,
        label_date
    from {{ ref('dim_site') }}

),

years as (

    select
        year,
        year_end_date
    from {{ ref('dim_year') }}

),

scopes_of_sites as (

    {{ site_scopes('sites') }}
)

select
    years.year,
    scopes_of_sites.site_id,
    scopes_of_sites.scope_type,
    scopes_of_sites.scope_code,
    coalesce(sites.label_date <= years.year_end_date, false) as is_site_labelled
from scopes_of_sites
inner join sites
    on scopes_of_sites.site_id = sites.site_id
cross join years
