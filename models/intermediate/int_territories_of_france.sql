-- The bundled geography, France's: one row per current commune (COG 2026, TYPECOM = 'COM') and per commune of an
-- overseas collectivity that the COG commune list leaves out (seed territory_collectivities), with its department,
-- region, NUTS codes, degree of urbanisation, rurality class, QPV and population. dim_territory takes it unless the
-- programme brings its own territory file.

with

communes as (

    select * from {{ ref('stg_reference__communes') }}
    where commune_type = 'COM'

),

departments as (

    select * from {{ ref('stg_reference__departments') }}

),

regions as (

    select * from {{ ref('stg_reference__regions') }}

),

nuts as (

    select * from {{ ref('stg_reference__nuts_departments') }}

),

density as (

    select * from {{ ref('stg_reference__density_grid') }}

),

rurality as (

    select * from {{ ref('stg_reference__rurality_typology') }}

),

qpv as (

    select * from {{ ref('stg_reference__qpv_communes') }}

),

-- Paris, Lyon and Marseille are published by municipal district (ARM) only: their population is the sum of
-- their districts' populations.
populations as (

    select
        coalesce(districts.parent_commune_code, pop.commune_code) as commune_code,
        sum(pop.municipal_population) as municipal_population
    from {{ ref('stg_reference__commune_populations') }} as pop
    left join {{ ref('stg_reference__communes') }} as districts
        on pop.commune_code = districts.commune_code
            and districts.commune_type = 'ARM'
    group by 1

),

collectivities as (

    select * from {{ ref('territory_collectivities') }}

),

commune_rows as (

    select
        communes.commune_code,
        communes.commune_name,
        communes.department_code,
        departments.department_name,
        communes.region_code,
        regions.region_name,
        nuts.nuts1_code,
        nuts.nuts2_code,
        nuts.nuts3_code,
        -- INSEE's 7-level grid refines the EU degree of urbanisation (DEGURBA): level 1 of the grid is
        -- DEGURBA 1 (cities), levels 2-4 are DEGURBA 2 (towns and suburbs), levels 5-7 are DEGURBA 3 (rural).
        cast(case density.density_level
            when 'Grands centres urbains' then 1
            when 'Centres urbains intermédiaires' then 2
            when 'Petites villes' then 2
            when 'Ceintures urbaines' then 2
            when 'Bourgs ruraux' then 3
            when 'Rural à habitat dispersé' then 3
            when 'Rural à habitat très dispersé' then 3
        end as integer) as degurba,
        density.density_level,
        rurality.rurality_type,
        coalesce(qpv.qpv_count, 0) > 0 as in_priority_area,
        cast(coalesce(qpv.qpv_count, 0) as integer) as qpv_count,
        cast(populations.municipal_population as bigint) as population,
        false as is_collectivity
    from communes
    left join departments on communes.department_code = departments.department_code
    left join regions on communes.region_code = regions.region_code
    left join nuts on communes.department_code = nuts.department_code
    left join density on communes.commune_code = density.commune_code
    left join rurality on communes.commune_code = rurality.commune_code
    left join qpv on communes.commune_code = qpv.commune_code
    left join populations on communes.commune_code = populations.commune_code

),

-- A collectivity stands for its own department and region; it has no NUTS 2024 code (France's NUTS cover the
-- regions and DROM only), no density grid or rurality class, and the vendored QPV list does not cover it.
collectivity_rows as (

    select
        collectivities.commune_code,
        collectivities.commune_name,
        collectivities.collectivity_code as department_code,
        collectivities.collectivity_name as department_name,
        collectivities.collectivity_code as region_code,
        collectivities.collectivity_name as region_name,
        cast(null as {{ dbt.type_string() }}) as nuts1_code,
        cast(null as {{ dbt.type_string() }}) as nuts2_code,
        cast(null as {{ dbt.type_string() }}) as nuts3_code,
        cast(null as integer) as degurba,
        cast(null as {{ dbt.type_string() }}) as density_level,
        cast(null as {{ dbt.type_string() }}) as rurality_type,
        cast(null as boolean) as in_priority_area,
        cast(null as integer) as qpv_count,
        cast(null as bigint) as population,
        true as is_collectivity
    from collectivities
    where not exists (
            select 1 from communes
            where communes.commune_code = collectivities.commune_code
        )

)

select * from commune_rows
union all
select * from collectivity_rows
