-- One row per funder: the funders of the seed catalogue, plus every funder id the current grants carry that the
-- catalogue does not know (typed `unknown`, named as the grants name it).
with catalogue as (

    select
        cast(funder_id as {{ dbt.type_string() }}) as funder_id,
        cast(funder_name as {{ dbt.type_string() }}) as funder_name,
        cast(funder_type as {{ dbt.type_string() }}) as funder_type
    from {{ ref('stg_programme__funders') }}

),

funders_in_grants as (

    select
        funder_id,
        -- a funder id may come with several spellings of its name: keep the most frequent (then the first)
        funder_name,
        row_number() over (
            partition by funder_id
            order by count(*) desc, funder_name
        ) as name_rank
    from {{ ref('stg_campaign__grants') }}
    where funder_id is not null
    group by funder_id, funder_name

),

funders_missing_from_catalogue as (

    select
        funders_in_grants.funder_id,
        funders_in_grants.funder_name,
        'unknown' as funder_type
    from funders_in_grants
    where funders_in_grants.name_rank = 1
        and funders_in_grants.funder_id not in (select catalogue.funder_id from catalogue)

)

select
    funder_id,
    funder_name,
    funder_type,
    true as is_in_catalogue
from catalogue

union all

select
    funder_id,
    funder_name,
    funder_type,
    false as is_in_catalogue
from funders_missing_from_catalogue
