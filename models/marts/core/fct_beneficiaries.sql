-- One row per site, year and beneficiary category reported ("of which" counts: categories overlap, never add
-- them up across categories). `counted_unit` (code_lists grouping) says whether the count is of people or of
-- organisations.
with beneficiaries as (

    select * from {{ ref('stg_campaign__beneficiaries') }}

),

categories as (

    select
        code as category,
        grouping as counted_unit
    from {{ ref('stg_programme__code_lists') }}
    where domain = 'beneficiary_category'

)

select
    beneficiaries.site_id,
    beneficiaries.year,
    beneficiaries.category,
    categories.counted_unit,
    beneficiaries.people,
    beneficiaries.campaign_key,
    beneficiaries.source_file,
    beneficiaries.source_row
from beneficiaries
left join categories
    on beneficiaries.category = categories.category
