-- Eurostat NUTS 2024 codes for France (levels 1 to 3).
select
    trim(nuts_code) as nuts_code,
    trim(nuts_label) as nuts_label,
    nuts_level
from {{ source('reference', 'nuts_codes') }}
