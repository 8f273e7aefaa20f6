-- One row per site of the current campaign's registry, with the territory of its (resolved) commune.
with registry as (

    select * from {{ ref('stg_campaign__registry') }}

),

territory as (

    select * from {{ ref('dim_territory') }}

),

-- the territory targets that promise a priority area (group priority_area of the programme's code list)
priority_area_targets as (

    select code as territory_target
    from {{ ref('stg_programme__code_lists') }}
    where domain = 'territory_target' and grouping = 'priority_area'

)

select
    registry.site_id,
    registry.site_name,
    registry.commune_insee,
    registry.commune_code,
    territory.commune_name,
    territory.department_code,
    territory.department_name,
    territory.region_code,
    territory.region_name,
    territory.nuts1_code,
    territory.nuts2_code,
    territory.nuts3_code,
    territory.degurba,
    territory.density_level,
    territory.rurality_type,
    territory.in_priority_area,
    territory.qpv_count,
    territory.is_collectivity,
    registry.label_date,
    cast(extract(year from registry.label_date) as integer) as label_year,
    registry.label_round,
    registry.territory_target,
    registry.fabrique_type,
    registry.legal_form,
    registry.siret,
    registry.site_status,
    -- declared a priority-area target at selection, but the commune lies in no priority area (France: holds no QPV
    -- of the 2024 list): a flag to review, not an error; false when that is unknown (in_priority_area NULL)
    coalesce(
        registry.territory_target in (select priority_area_targets.territory_target from priority_area_targets)
        and territory.in_priority_area = false,
        false
    ) as priority_area_mismatch,
    registry.campaign_key,
    registry.source_file,
    registry.source_row
from registry
left join territory
    on registry.commune_code = territory.commune_code
