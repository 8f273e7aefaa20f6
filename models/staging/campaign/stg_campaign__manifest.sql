-- Input files of every campaign loaded (all campaigns, not only the current one).
with manifest as (

    select * from {{ source('raw', 'manifest') }}

),

renamed as (

    select
        campaign_key,
        source_file,
        table_name,
        sha256,
        cast(rows_read as bigint) as rows_read,
        cast(rows_loaded as bigint) as rows_loaded,
        cast(rows_quarantined as bigint) as rows_quarantined,
        status as file_status,
        message
    from manifest

)

select * from renamed
