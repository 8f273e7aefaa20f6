-- The sites that get a sheet, per year: one row per year of dim_year and site labelled by 31 December of that
-- year, with what the sheet says of the site (registry, territory) and the labels of its codes (code_lists, in
-- English; the catalogues translate them).
with years as (

    select
        year,
        year_end_date
    from {{ ref('dim_year') }}

),

sites as (

    select
        site_id,
        site_name,
        commune_code,
        commune_name,
        department_code,
        department_name,
        region_code,
        region_name,
        territory_target,
        cast(degurba as varchar) as degurba,
        label_date,
        label_round,
        fabrique_type,
        site_status
    from {{ ref('dim_site') }}

),

labels as (

    select
        domain,
        code,
        label
    from {{ ref('stg_programme__code_lists') }}
    where domain in ('territory_target', 'degurba', 'fabrique_type', 'site_status')

)

select
    years.year,
    sites.site_id,
    sites.site_name,
    sites.commune_code,
    sites.commune_name,
    sites.department_code,
    sites.department_name,
    sites.region_code,
    sites.region_name,
    sites.territory_target,
    territory_targets.label as territory_target_label,
    sites.degurba,
    degurba_classes.label as degurba_label,
    sites.label_date,
    sites.label_round,
    sites.fabrique_type,
    fabrique_types.label as fabrique_type_label,
    sites.site_status,
    site_statuses.label as site_status_label
from sites
inner join years
    on sites.label_date <= years.year_end_date
left join labels as territory_targets
    on territory_targets.domain = 'territory_target'
        and sites.territory_target = territory_targets.code
left join labels as degurba_classes
    on degurba_classes.domain = 'degurba'
        and sites.degurba = degurba_classes.code
left join labels as fabrique_types
    on fabrique_types.domain = 'fabrique_type'
        and sites.fabrique_type = fabrique_types.code
left join labels as site_statuses
    on site_statuses.domain = 'site_status'
        and sites.site_status = site_statuses.code
order by years.year, sites.site_id
