-- Activities per site, year and type: per (site_id, year), the rows of the latest campaign holding that site-year.
with activities as (

    {{ rows_of_latest_campaign_per_site_year(source('raw', 'activities')) }}

),

renamed as (

    select
        site_id,
        cast(year as integer) as year,
        activity_type,
        cast(sessions as bigint) as sessions,
        cast(hours as double) as hours,
        cast(participations as bigint) as participations,
        campaign_key,
        source_file,
        source_row
    from activities

)

select * from renamed
