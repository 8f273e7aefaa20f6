-- The current campaign's grants, each marked State grant or co-funding: a State grant is one whose `programme`
-- is the programme's State code (seed programme_parameters.state_programme_code, `fabriques`).
with grants as (

    select * from {{ ref('stg_campaign__grants') }}

),

parameters as (

    select state_programme_code from {{ ref('int_programme_parameters_pivoted') }}

)

select
    grants.*,
    coalesce(grants.programme = parameters.state_programme_code, false) as is_state_grant
from grants
cross join parameters
