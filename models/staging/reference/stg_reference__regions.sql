-- COG 2026 regions.
select
    trim(reg) as region_code,
    trim(cheflieu) as chief_town_code,
    trim(tncc) as name_type_code,
    trim(ncc) as name_upper,
    trim(libelle) as region_name
from {{ source('reference', 'cog_regions') }}
