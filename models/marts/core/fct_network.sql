-- One row per site, year and place supported: a place is its name (compared as identifiers are: canonical_id,
-- so one place sent in two cases counts once) and its (resolved) commune. The network table has one row per
-- place and support type; the support types given to a place are listed together here.
with network as (

    select
        *,
        {{ canonical_id('place_name') }} as place_key
    from {{ ref('stg_campaign__network') }}

),

places as (

    select
        site_id,
        year,
        place_key,
        commune_code,
        min(place_name) as place_name,
        min(commune_insee) as commune_insee,
        min(campaign_key) as campaign_key
    from network
    group by site_id, year, place_key, commune_code

),

place_support_types as (

    select distinct
        site_id,
        year,
        place_key,
        commune_code,
        support_type
    from network

),

support_types_per_place as (

    select
        site_id,
        year,
        place_key,
        commune_code,
        {{ dbt.listagg('support_type', "','", 'order by support_type') }} as support_types,
        cast(count(*) as integer) as support_type_count
    from place_support_types
    group by site_id, year, place_key, commune_code

)

select
    places.site_id,
    places.year,
    places.place_name,
    places.commune_code,
    places.commune_insee,
    support_types_per_place.support_types,
    support_types_per_place.support_type_count,
    places.campaign_key
from places
inner join support_types_per_place
    on places.site_id = support_types_per_place.site_id
        and places.year = support_types_per_place.year
        and places.place_key = support_types_per_place.place_key
        and places.commune_code = support_types_per_place.commune_code
