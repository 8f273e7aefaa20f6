-- The values of the grants' `programme` column that mark a grant as the programme's own, as the ingestion stores
-- a code (fabriques.programme writes them normalised: `TL-2025` -> `tl_2025`).
select distinct programme_code
from {{ source('programme', 'grant_codes') }}
