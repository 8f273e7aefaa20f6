-- INSEE legal populations by commune (COG 2026 edition). Paris, Lyon and Marseille are given by municipal
-- district (ARM code) only; Mayotte is absent.
select
    trim(com) as commune_code,
    trim(lib_com) as commune_name,
    trim(dep) as department_code,
    trim(reg) as region_code,
    pmun as municipal_population,
    pcap as population_counted_apart,
    ptot as total_population
from {{ source('reference', 'cog_populations') }}
