-- The 382 labelled Fabriques de Territoire as ANCT published them (January 2024). The commune code is kept as
-- published (it may be an older code or a collectivity); resolving it is the job of ingest and of the tests.
select
    trim(id_fabt) as fabrique_id,
    fabt_rank as fabrique_rank,
    trim(lib_projet) as project_name,
    trim(insee_com) as commune_insee,
    nullif(trim(lib_com), '') as commune_name,
    trim(insee_dep) as department_code,
    lon_commune as longitude,
    lat_commune as latitude
from {{ source('reference', 'fabriques') }}
