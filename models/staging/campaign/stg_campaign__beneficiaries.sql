-- Beneficiary counts per site, year and category: per (site_id, year), the rows of the latest campaign holding
-- that site-year.
with beneficiaries as (

    {{ rows_of_latest_campaign_per_site_year(source('raw', 'beneficiaries')) }}

),

renamed as (

    select
        site_id,
        cast(year as integer) as year,
        category,
        cast(people as bigint) as people,
        campaign_key,
        source_file,
        source_row
    from beneficiaries

)

select * from renamed
