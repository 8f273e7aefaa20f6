-- The transfer guide's regions: one row per year and region holding a site labelled by 31 December, with its
-- NUTS 1 and NUTS 2 codes (a French region can span several), its sites (FT01) and the people they reached (FT07).
with region_codes as (

    select
        region_code,
        {{ distinct_values_joined('nuts1_code', "', '") }} as nuts1_codes,
        {{ distinct_values_joined('nuts2_code', "', '") }} as nuts2_codes
    from {{ ref('dim_territory') }}
    group by region_code

),

region_names as (

    select distinct
        region_code,
        region_name
    from {{ ref('dim_territory') }}

),

regional_indicators as (

    select
        indicator_code,
        year,
        scope_code as region_code,
        value
    from {{ ref('fct_indicators') }}
    where scope_type = 'region' and indicator_code in ('FT01_sites_labelled', 'FT07_people_reached')

),

sites as (

    select
        year,
        region_code,
        value
    from regional_indicators
    where indicator_code = 'FT01_sites_labelled' and value > 0

),

people as (

    select
        year,
        region_code,
        value
    from regional_indicators
    where indicator_code = 'FT07_people_reached'

)

select
    sites.year,
    sites.region_code,
    region_names.region_name,
    region_codes.nuts1_codes,
    region_codes.nuts2_codes,
    sites.value as sites,
    people.value as people_reached
from sites
left join people
    on sites.year = people.year
        and sites.region_code = people.region_code
left join region_names
    on sites.region_code = region_names.region_code
left join region_codes
    on sites.region_code = region_codes.region_code
order by sites.year, region_codes.nuts1_codes nulls last, region_names.region_name
