-- COG 2026 history of commune events: one row per (event, code before, code after).
select
    cast(trim(mod) as integer) as event_type_code,
    date_eff as effective_date,
    trim(typecom_av) as commune_type_before,
    trim(com_av) as commune_code_before,
    trim(libelle_av) as commune_name_before,
    trim(typecom_ap) as commune_type_after,
    trim(com_ap) as commune_code_after,
    trim(libelle_ap) as commune_name_after
from {{ source('reference', 'cog_mouvements') }}
