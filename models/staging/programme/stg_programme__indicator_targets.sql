-- The programme's targets (indicator_targets.csv), typed.
select
    indicator_code,
    scope_type,
    scope_code,
    cast(from_year as integer) as from_year,
    comparator,
    cast(target_value as {{ type_double() }}) as target_value,
    source
from {{ source('programme', 'indicator_targets') }}
