-- COG 2026 regions.
select
    trim(REG) as region_code,
    trim(CHEFLIEU) as chief_town_code,
    trim(TNCC) as name_type_code,
    trim(NCC) as name_upper,
    trim(LIBELLE) as region_name
from {{ source('reference', 'cog_regions') }}
