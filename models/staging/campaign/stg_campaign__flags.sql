-- Findings on loaded rows of every campaign loaded (all campaigns, not only the current one).
with flags as (

    select * from {{ source('raw', 'flags') }}

),

renamed as (

    select
        campaign_key,
        source_file,
        cast(source_row as integer) as source_row,
        table_name,
        column_name,
        flag_code,
        message,
        message_en
    from flags

)

select * from renamed
