-- One row per reporting year: from the year of the first label date in the registry to the highest year among
-- the site reports and the campaigns' reporting years (without a registry, from the first campaign year).
with label_years as (

    select min(cast(extract(year from label_date) as integer)) as first_label_year
    from {{ ref('stg_campaign__registry') }}

),

report_years as (

    select year from {{ ref('stg_campaign__site_year') }}
    union
    select year from {{ ref('stg_campaign__activities') }}
    union
    select year from {{ ref('stg_campaign__beneficiaries') }}
    union
    select year from {{ ref('stg_campaign__finances') }}
    union
    select year from {{ ref('stg_campaign__network') }}

),

campaign_years as (

    select
        reporting_year as year,
        is_current_campaign
    from {{ ref('stg_campaign__campaigns') }}

),

bounds as (

    select
        coalesce(
            (select first_label_year from label_years),
            (select min(year) from campaign_years)
        ) as first_year,
        (
            select max(year) from (
                select year from report_years
                union all
                select year from campaign_years
                union all
                select first_label_year as year from label_years
            ) as candidate_years
        ) as last_year

),

years as (

    {{ year_series('bounds.first_year', 'bounds.last_year', 'bounds') }}
)

select
    years.year,
    cast(cast(years.year as {{ dbt.type_string() }}) || '-01-01' as date) as year_start_date,
    cast(cast(years.year as {{ dbt.type_string() }}) || '-12-31' as date) as year_end_date,
    years.year in (select report_years.year from report_years) as has_site_reports,
    years.year in (select campaign_years.year from campaign_years) as is_campaign_year,
    years.year in (
        select campaign_years.year from campaign_years
        where campaign_years.is_current_campaign
    ) as is_current_reporting_year
from years
