-- Each INSEE department with its NUTS 2024 codes (NUTS 3 = department, NUTS 2 = former region,
-- NUTS 1 = today's region).
select
    trim(insee_dep) as department_code,
    trim(insee_reg) as region_code,
    trim(nuts3_2024) as nuts3_code,
    trim(nuts3_label) as nuts3_label,
    trim(nuts2_2024) as nuts2_code,
    trim(nuts2_label) as nuts2_label,
    trim(nuts1_2024) as nuts1_code,
    trim(nuts1_label) as nuts1_label
from {{ source('reference', 'nuts_department_mapping') }}
