-- COG 2026 commune list: full communes (COM) and the delegated (COMD) and associated (COMA) communes and municipal
-- districts (ARM) attached to a parent commune. The key is (commune_type, commune_code): a delegated commune
-- often keeps the code of its parent.
select
    trim(TYPECOM) as commune_type,
    trim(COM) as commune_code,
    nullif(trim(REG), '') as region_code,
    nullif(trim(DEP), '') as department_code,
    nullif(trim(CTCD), '') as ctcd_code,
    nullif(trim(ARR), '') as arrondissement_code,
    nullif(trim(CAN), '') as canton_code,
    trim(TNCC) as name_type_code,
    trim(NCC) as name_upper,
    trim(NCCENR) as name_rich,
    trim(LIBELLE) as commune_name,
    nullif(trim(COMPARENT), '') as parent_commune_code
from {{ source('reference', 'cog_communes') }}
