-- Quarantined rows and files of every campaign loaded (all campaigns, not only the current one).
with quarantine as (

    select * from {{ source('raw', 'quarantine') }}

),

renamed as (

    select
        campaign_key,
        source_file,
        cast(source_row as integer) as source_row,
        table_name,
        column_name,
        reason_code,
        message,
        message_en,
        original_values as original_values_json,
        {{ canonical_id('site_id') }} as site_id,
        message_arguments,
        source_row is null as is_whole_file
    from quarantine

)

select * from renamed
