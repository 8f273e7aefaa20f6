-- One row per site of the current registry with a State grant: the total of its State grants, to compare with
-- the programme's bounds (programme_parameters: grant_min_eur, grant_max_eur).
select
    grants.site_id,
    count(*) as state_grant_count,
    cast(sum(grants.amount_eur) as {{ type_double() }}) as state_amount_eur
from {{ ref('fct_grants') }} as grants
inner join {{ ref('dim_site') }} as sites
    on sites.site_id = grants.site_id
where grants.is_state_grant
group by grants.site_id
