-- Places supported per site and year (one row per place and support type): per (site_id, year), the rows of the
-- latest campaign holding that site-year.
with network as (

    {{ rows_of_latest_campaign_per_site_year(source('raw', 'network')) }}

),

renamed as (

    select
        site_id,
        cast(year as integer) as year,
        place_name,
        commune_insee,
        commune_code,
        support_type,
        campaign_key,
        source_file,
        source_row
    from network

)

select * from renamed
