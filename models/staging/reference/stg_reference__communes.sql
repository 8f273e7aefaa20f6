-- COG 2026 commune list: full communes (COM) and the delegated (COMD) and associated (COMA) communes and municipal
-- districts (ARM) attached to a parent commune. The key is (commune_type, commune_code): a delegated commune
-- often keeps the code of its parent.
select
    trim(typecom) as commune_type,
    trim(com) as commune_code,
    nullif(trim(reg), '') as region_code,
    nullif(trim(dep), '') as department_code,
    nullif(trim(ctcd), '') as ctcd_code,
    nullif(trim(arr), '') as arrondissement_code,
    nullif(trim(can), '') as canton_code,
    trim(tncc) as name_type_code,
    trim(ncc) as name_upper,
    trim(nccenr) as name_rich,
    trim(libelle) as commune_name,
    nullif(trim(comparent), '') as parent_commune_code
from {{ source('reference', 'cog_communes') }}
