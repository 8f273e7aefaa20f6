-- INSEE 7-level municipal density grid, one row per commune.
select
    trim(insee_com) as commune_code,
    trim(lib_com) as commune_name,
    nullif(trim(niveau_densite), '') as density_level
from {{ source('reference', 'density_grid') }}
