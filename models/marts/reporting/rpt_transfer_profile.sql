-- What the programme is made of, per year, for the transfer guide's description sections, in long form (one row
-- per year, aspect, code and measure), over the sites labelled by 31 December of the year (fct_site_year_measures),
-- as every indicator:
--   activity_type  sites_running (sites with activity rows of that type), share_of_sites_pct (of the sites that
--                  reported activities), participations, hours (they add up to FT08 and FT09);
--   funder_type    funders and committed_eur: grants agreed by 31 December of the year, by type of funder (the
--                  State's add up to FT04);
--   legal_form     sites labelled by 31 December of the year (they add up to FT01).
with measures as (

    select
        site_id,
        year,
        measure_code,
        breakdown_code,
        breakdown_group,
        value
    from {{ ref('fct_site_year_measures') }}
    where measure_code in ('labelled_sites', 'participations', 'activity_hours', 'grants_committed_eur')

),

sites as (

    select
        site_id,
        legal_form
    from {{ ref('dim_site') }}

),

sites_reporting_activities as (

    select
        year,
        count(distinct site_id) as sites
    from measures
    where measure_code = 'participations'
    group by year

),

activity_profile as (

    select
        measures.year,
        measures.breakdown_code as code,
        count(distinct measures.site_id) filter (
            where measures.measure_code = 'participations'
        ) as sites_running,
        sum(measures.value) filter (where measures.measure_code = 'participations') as participations,
        sum(measures.value) filter (where measures.measure_code = 'activity_hours') as hours
    from measures
    where measures.measure_code in ('participations', 'activity_hours')
    group by measures.year, measures.breakdown_code

),

activity_profile_with_shares as (

    select
        activity_profile.*,
        100.0 * activity_profile.sites_running / sites_reporting_activities.sites as share_of_sites_pct
    from activity_profile
    inner join sites_reporting_activities
        on activity_profile.year = sites_reporting_activities.year

),

funder_profile as (

    select
        year,
        breakdown_group as code,
        count(distinct breakdown_code) as funders,
        sum(value) as committed_eur
    from measures
    where measure_code = 'grants_committed_eur'
    group by year, breakdown_group

),

legal_form_profile as (

    select
        measures.year,
        sites.legal_form as code,
        count(*) as sites
    from measures
    inner join sites
        on measures.site_id = sites.site_id
    where measures.measure_code = 'labelled_sites'
    group by measures.year, sites.legal_form

)

select
    year,
    'activity_type' as aspect,
    code,
    'sites_running' as measure_code,
    cast(sites_running as {{ type_double() }}) as value
from activity_profile_with_shares
union all
select
    year,
    'activity_type',
    code,
    'share_of_sites_pct',
    share_of_sites_pct
from activity_profile_with_shares
union all
select
    year,
    'activity_type',
    code,
    'participations',
    cast(participations as {{ type_double() }})
from activity_profile_with_shares
union all
select
    year,
    'activity_type',
    code,
    'hours',
    cast(hours as {{ type_double() }})
from activity_profile_with_shares
union all
select
    year,
    'funder_type',
    code,
    'funders',
    cast(funders as {{ type_double() }})
from funder_profile
union all
select
    year,
    'funder_type',
    code,
    'committed_eur',
    cast(committed_eur as {{ type_double() }})
from funder_profile
union all
select
    year,
    'legal_form',
    code,
    'sites',
    cast(sites as {{ type_double() }})
from legal_form_profile
