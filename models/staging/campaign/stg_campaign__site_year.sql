-- Sites' annual reports: per (site_id, year), the row of the latest campaign holding that site-year.
-- An incremental table, rebuilt year by year: a build re-selects only the years that a new or reloaded
-- campaign holds (macros/campaign_selection.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_years_to_rebuild(source('raw', 'site_year')) }}"
) }}

with site_year as (

    {{ rows_of_latest_campaign_per_site_year(source('raw', 'site_year'), this if is_incremental() else none) }}
),

renamed as (

    select
        {{ canonical_id('site_id') }} as site_id,
        cast(year as integer) as year,
        cast(people_total as bigint) as people_total,
        cast(employees_fte as {{ type_double() }}) as employees_fte,
        cast(jobs_created as {{ type_double() }}) as jobs_created,
        cast(volunteers as bigint) as volunteers,
        cast(open_days as integer) as open_days,
        cast(expenses_eur as decimal(18, 2)) as expenses_eur,
        campaign_key,
        source_file,
        source_row,
        campaign_load_seq
    from site_year

)

select * from renamed
