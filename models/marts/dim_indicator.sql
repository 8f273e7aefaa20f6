-- One row per indicator of the catalogue, with its national target where there is one.

with

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

-- The national target in force: when a target is revised (a new from_year), the latest one is kept here;
-- the full history stays in the indicator_targets seed.
national_targets as (

    select *
    from {{ ref('indicator_targets') }}
    where scope_type = 'national'
    qualify row_number() over (partition by indicator_code order by from_year desc) = 1

)

select
    catalogue.indicator_code,
    catalogue.sort_order,
    catalogue.theme,
    catalogue.unit,
    catalogue.name_fr,
    catalogue.name_en,
    catalogue.definition_fr,
    catalogue.definition_en,
    catalogue.is_core,
    catalogue.from_site_reports,
    national_targets.comparator as target_comparator,
    national_targets.target_value,
    national_targets.from_year as target_from_year,
    national_targets.source as target_source
from catalogue
left join national_targets on national_targets.indicator_code = catalogue.indicator_code
