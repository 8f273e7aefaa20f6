-- One row per site of the current campaign's registry, with the territory of its (resolved) commune.
with registry as (

    select * from {{ ref('stg_campaign__registry') }}

),

territory as (

    select * from {{ ref('dim_territory') }}

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
    territory.has_qpv,
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
    -- declared `qpv` at selection, but today's commune holds no QPV (2024 list): a flag to review, not an error;
    -- false when the QPV list does not cover the commune (has_qpv NULL: overseas collectivities)
    coalesce(registry.territory_target = 'qpv' and territory.has_qpv = false, false) as qpv_flag_mismatch,
    registry.campaign_key,
    registry.source_file,
    registry.source_row
from registry
left join territory
    on registry.commune_code = territory.commune_code
