-- The programme's parameters (stg_programme__parameters, one row per parameter) turned into one row with one
-- typed column per parameter, so models read `grant_min_eur` instead of repeating a literal.
with parameters as (

    select
        parameter,
        value as parameter_value
    from {{ ref('stg_programme__parameters') }}

)

select
    max(case when parameter = 'country' then parameter_value end) as country,
    max(case when parameter = 'country_name' then parameter_value end) as country_name,
    cast(max(case when parameter = 'grant_min_eur' then parameter_value end) as decimal(18, 2)) as grant_min_eur,
    cast(max(case when parameter = 'grant_max_eur' then parameter_value end) as decimal(18, 2)) as grant_max_eur,
    cast(max(case when parameter = 'state_envelope_eur' then parameter_value end) as decimal(18, 2))
        as state_envelope_eur,
    cast(max(case when parameter = 'grant_duration_years' then parameter_value end) as integer) as grant_duration_years,
    cast(max(case when parameter = 'programme_start_year' then parameter_value end) as integer) as programme_start_year
from parameters
