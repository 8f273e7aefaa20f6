-- COG 2026 departments.
select
    trim(DEP) as department_code,
    trim(REG) as region_code,
    trim(CHEFLIEU) as chief_town_code,
    trim(TNCC) as name_type_code,
    trim(NCC) as name_upper,
    trim(LIBELLE) as department_name
from {{ source('reference', 'cog_departments') }}
