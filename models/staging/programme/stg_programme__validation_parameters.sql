-- The programme's plausibility bounds (validation_parameters.csv).
select
    parameter,
    value,
    unit,
    rationale
from {{ source('programme', 'validation_parameters') }}
