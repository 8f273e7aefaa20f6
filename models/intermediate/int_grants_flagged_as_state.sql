-- The current campaign's grants, each marked the programme's own (State) grant or co-funding: a programme grant
-- is one whose `programme` is one of the programme's grant codes (stg_programme__grant_codes, from [grants]
-- programme_codes of programme.toml).
with grants as (

    select * from {{ ref('stg_campaign__grants') }}

),

grant_codes as (

    select programme_code from {{ ref('stg_programme__grant_codes') }}

)

select
    grants.*,
    coalesce(grants.programme in (select grant_codes.programme_code from grant_codes), false) as is_state_grant
from grants
