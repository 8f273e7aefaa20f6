-- The programme's settings, one row per parameter (programme.toml, as the run stored it).
select
    cast(parameter as varchar) as parameter,
    cast(value as varchar) as value
from {{ source('programme', 'parameters') }}
