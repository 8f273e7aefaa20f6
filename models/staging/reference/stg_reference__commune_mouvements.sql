-- COG 2026 history of commune events: one row per (event, code before, code after).
select
    cast(trim(MOD) as integer) as event_type_code,
    DATE_EFF as effective_date,
    trim(TYPECOM_AV) as commune_type_before,
    trim(COM_AV) as commune_code_before,
    trim(LIBELLE_AV) as commune_name_before,
    trim(TYPECOM_AP) as commune_type_after,
    trim(COM_AP) as commune_code_after,
    trim(LIBELLE_AP) as commune_name_after
from {{ source('reference', 'cog_mouvements') }}
