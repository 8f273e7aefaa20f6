-- What the programme is made of, per year, for the transfer guide's description sections, in long form (one row
-- per year, aspect, code and measure):
--   activity_type  sites_running (sites with activity rows of that type), share_of_sites_pct (of the sites that
--                  reported activities), participations, hours;
--   funder_type    funders and committed_eur: grants dated by 31 December of the year, by type of funder;
--   legal_form     sites labelled by 31 December of the year.
with years as (

    select
        year,
        year_end_date
    from {{ ref('dim_year') }}

),

activities as (

    select
        year,
        activity_type,
        site_id,
        participations,
        hours
    from {{ ref('fct_activities') }}

),

sites_reporting_activities as (

    select
        year,
        count(distinct site_id) as sites
    from activities
    group by year

),

activity_profile as (

    select
        activities.year,
        activities.activity_type as code,
        count(distinct activities.site_id) as sites_running,
        100.0 * count(distinct activities.site_id) / any_value(sites_reporting_activities.sites) as share_of_sites_pct,
        sum(activities.participations) as participations,
        sum(activities.hours) as hours
    from activities
    inner join sites_reporting_activities
        on activities.year = sites_reporting_activities.year
    group by activities.year, activities.activity_type

),

grants_by_year as (

    select
        years.year,
        grants.funder_type,
        grants.funder_id,
        grants.amount_eur
    from years
    inner join {{ ref('fct_grants') }} as grants
        on years.year_end_date >= grants.convention_date

),

funder_profile as (

    select
        year,
        funder_type as code,
        count(distinct funder_id) as funders,
        sum(amount_eur) as committed_eur
    from grants_by_year
    group by year, funder_type

),

legal_form_profile as (

    select
        years.year,
        sites.legal_form as code,
        count(*) as sites
    from years
    inner join {{ ref('dim_site') }} as sites
        on years.year_end_date >= sites.label_date
    group by years.year, sites.legal_form

)

select
    year,
    'activity_type' as aspect,
    code,
    'sites_running' as measure_code,
    cast(sites_running as double) as value
from activity_profile
union all
select
    year,
    'activity_type',
    code,
    'share_of_sites_pct',
    share_of_sites_pct
from activity_profile
union all
select
    year,
    'activity_type',
    code,
    'participations',
    cast(participations as double)
from activity_profile
union all
select
    year,
    'activity_type',
    code,
    'hours',
    cast(hours as double)
from activity_profile
union all
select
    year,
    'funder_type',
    code,
    'funders',
    cast(funders as double)
from funder_profile
union all
select
    year,
    'funder_type',
    code,
    'committed_eur',
    cast(committed_eur as double)
from funder_profile
union all
select
    year,
    'legal_form',
    code,
    'sites',
    cast(sites as double)
from legal_form_profile
