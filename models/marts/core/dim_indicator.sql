-- One row per indicator of the catalogue, with its national target where there is one.

with

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

national_targets as (

    select * from {{ ref('stg_programme__indicator_targets') }}
    where scope_type = 'national'

),

-- the national target once every revision applies (its latest from_year); the full history stays in the
-- indicator_targets seed, the target in force in a given year is in fct_indicators
latest_year as (

    select max(from_year) as year from national_targets

),

latest_national_targets as (

    {{ targets_by_year('national_targets', 'latest_year') }}
)

select
    catalogue.indicator_code,
    catalogue.sort_order,
    catalogue.theme,
    catalogue.unit,
    catalogue.name,
    catalogue.definition,
    catalogue.is_core,
    catalogue.from_site_reports,
    latest_national_targets.target_comparator,
    latest_national_targets.target_value,
    latest_national_targets.target_from_year,
    latest_national_targets.target_source
from catalogue
left join latest_national_targets on catalogue.indicator_code = latest_national_targets.indicator_code
