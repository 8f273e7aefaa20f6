-- One row per beneficiary count of people (not organisations), beside the site's people_total for the year.
with categories as (

    select
        code as category,
        grouping
    from {{ ref('stg_programme__code_lists') }}
    where domain = 'beneficiary_category'

)

select
    beneficiaries.site_id,
    beneficiaries.year,
    beneficiaries.category,
    beneficiaries.people,
    site_year.people_total
from {{ ref('fct_beneficiaries') }} as beneficiaries
inner join categories
    on beneficiaries.category = categories.category
inner join {{ ref('fct_site_year') }} as site_year
    on beneficiaries.site_id = site_year.site_id
        and beneficiaries.year = site_year.year
where categories.grouping = 'people'
