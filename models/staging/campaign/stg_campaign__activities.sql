-- Activities per site, year and type: per (site_id, year), the rows of the latest campaign holding that site-year.
-- An incremental table, rebuilt year by year: a build re-selects only the years that a new or reloaded
-- campaign holds (macros/campaign_selection.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_years_to_rebuild(source('raw', 'activities')) }}"
) }}

with activities as (

    {{ rows_of_latest_campaign_per_site_year(source('raw', 'activities'), this if is_incremental() else none) }}
),

renamed as (

    select
        {{ canonical_id('site_id') }} as site_id,
        cast(year as integer) as year,
        activity_type,
        cast(sessions as bigint) as sessions,
        cast(hours as {{ type_double() }}) as hours,
        cast(participations as bigint) as participations,
        campaign_key,
        source_file,
        source_row,
        campaign_load_seq
    from activities

)

select * from renamed
