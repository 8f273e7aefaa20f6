-- Every one of the 382 Fabriques of the ANCT list must land on a commune of the bundled French geography
-- (int_territories_of_france): directly (current commune or collectivity commune), through its parent commune
-- (delegated / associated commune, municipal district), or through the COG change history (an older code, e.g.
-- 49069 → 49126 on 2025-01-01). Returns the Fabriques that do not resolve.

with

fabriques as (

    select
        fabrique_id,
        commune_insee
    from {{ ref('stg_reference__fabriques') }}

),

territory as (

    select commune_code from {{ ref('int_territories_of_france') }}

),

parents as (

    select
        commune_code,
        parent_commune_code
    from {{ ref('stg_reference__communes') }}
    where commune_type in ('COMD', 'COMA', 'ARM')

),

-- Latest event of each old code whose target is a current commune.
changes as (

    select
        commune_code_before,
        commune_code_after
    from (
        select
            commune_code_before,
            commune_code_after,
            row_number() over (
                partition by commune_code_before
                order by effective_date desc, commune_code_after asc
            ) as recency
        from {{ ref('stg_reference__commune_mouvements') }}
        where commune_code_after in (select territory.commune_code from territory)
    ) as ranked_changes
    where recency = 1

),

resolved as (

    select
        fabriques.fabrique_id,
        fabriques.commune_insee,
        coalesce(direct.commune_code, parent.commune_code, changed.commune_code) as commune_code
    from fabriques
    left join territory as direct
        on fabriques.commune_insee = direct.commune_code
    left join parents
        on fabriques.commune_insee = parents.commune_code
    left join territory as parent
        on parents.parent_commune_code = parent.commune_code
    left join changes
        on fabriques.commune_insee = changes.commune_code_before
    left join territory as changed
        on changes.commune_code_after = changed.commune_code

)

select * from resolved
where commune_code is null
