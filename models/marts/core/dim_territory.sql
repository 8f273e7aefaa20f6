-- One row per local unit a site's commune code resolves to: the programme's own territory file when it has one
-- (stg_programme__territories), else the bundled French geography (int_territories_of_france). See
-- _core__models.yml for every column.

with

programme_territories as (

    select * from {{ ref('stg_programme__territories') }}

),

programme_rows as (

    select
        territory_code as commune_code,
        territory_name as commune_name,
        parent_code as department_code,
        parent_name as department_name,
        region_code,
        region_name,
        nuts1_code,
        nuts2_code,
        nuts3_code,
        degurba,
        cast(null as {{ dbt.type_string() }}) as density_level,
        cast(null as {{ dbt.type_string() }}) as rurality_type,
        in_priority_area,
        cast(null as integer) as qpv_count,
        population,
        false as is_collectivity
    from programme_territories

),

bundled_rows as (

    select * from {{ ref('int_territories_of_france') }}
    where not exists (select 1 from programme_territories)

)

select * from programme_rows
union all
select * from bundled_rows
