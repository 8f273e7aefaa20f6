-- Communes that contain at least one QPV (2024 list), with how many and which.
select
    trim(insee_com) as commune_code,
    trim(lib_com) as commune_name,
    n_qpv as qpv_count,
    trim(codes_qp) as qpv_codes,
    trim(libs_qp) as qpv_names
from {{ source('reference', 'qpv_communes') }}
