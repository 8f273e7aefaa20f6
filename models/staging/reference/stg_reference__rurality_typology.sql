-- ANCT typology of rural areas, one row per commune; the published labels carry a leading space, trimmed here.
select
    trim(insee_com) as commune_code,
    trim(lib_com) as commune_name,
    nullif(trim(niveau_ruralite), '') as rurality_type
from {{ source('reference', 'rurality_typology') }}
