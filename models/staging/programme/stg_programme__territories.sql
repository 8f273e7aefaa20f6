-- The programme's own territories (its territory file, [territories] file of programme.toml), typed; no row when
-- the programme uses the bundled French geography. A unit without an intermediate level (parent_code) stands for
-- its region at that level; NUTS 2 and NUTS 1 are the first four and three characters of the NUTS 3 code.
select
    code as territory_code,
    name as territory_name,
    coalesce(parent_code, region_code) as parent_code,
    coalesce(parent_name, region_name) as parent_name,
    region_code,
    region_name,
    left(nuts3_code, 3) as nuts1_code,
    left(nuts3_code, 4) as nuts2_code,
    nuts3_code,
    cast(degurba as integer) as degurba,
    cast(priority_area as boolean) as in_priority_area,
    cast(population as bigint) as population,
    former_codes
from {{ source('programme', 'territories') }}
