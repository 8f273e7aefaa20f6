-- INSEE legal populations by commune (COG 2026 edition). Paris, Lyon and Marseille are given by municipal
-- district (ARM code) only; Mayotte is absent.
select
    trim(COM) as commune_code,
    trim(LIB_COM) as commune_name,
    trim(DEP) as department_code,
    trim(REG) as region_code,
    PMUN as municipal_population,
    PCAP as population_counted_apart,
    PTOT as total_population
from {{ source('reference', 'cog_populations') }}
