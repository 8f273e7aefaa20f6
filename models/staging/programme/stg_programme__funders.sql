-- The programme's funder catalogue (funders.csv).
select
    funder_id,
    funder_name,
    funder_type
from {{ source('programme', 'funders') }}
