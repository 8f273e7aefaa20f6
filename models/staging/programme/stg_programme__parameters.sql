-- The programme's settings, one row per parameter (programme.toml, as the run stored it).
select
    cast(parameter as {{ dbt.type_string() }}) as parameter,
    cast(value as {{ dbt.type_string() }}) as value
from {{ source('programme', 'parameters') }}
