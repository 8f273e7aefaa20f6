-- Revenue per site, year and line: per (site_id, year), the rows of the latest campaign holding that site-year.
with finances as (

    {{ rows_of_latest_campaign_per_site_year(source('raw', 'finances')) }}

),

renamed as (

    select
        site_id,
        cast(year as integer) as year,
        line as finance_line,
        cast(amount_eur as decimal(18, 2)) as amount_eur,
        campaign_key,
        source_file,
        source_row
    from finances

)

select * from renamed
