-- COG 2026 departments.
select
    trim(dep) as department_code,
    trim(reg) as region_code,
    trim(cheflieu) as chief_town_code,
    trim(tncc) as name_type_code,
    trim(ncc) as name_upper,
    trim(libelle) as department_name
from {{ source('reference', 'cog_departments') }}
