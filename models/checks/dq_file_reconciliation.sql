-- One row per ingested file or sheet: what the manifest says was read, and what the warehouse really holds
-- (rows in the raw tables and in quarantine). Nothing is lost when rows_read = rows_in_raw + rows_in_quarantine.
with manifest as (

    select
        campaign_key,
        source_file,
        table_name,
        rows_read,
        rows_loaded,
        rows_quarantined
    from {{ source('raw', 'manifest') }}

),

raw_rows as (

    {%- set campaign_tables = ['registry', 'grants', 'payments', 'site_year', 'activities', 'beneficiaries',
                               'finances', 'network'] %}
    {% for table in campaign_tables %}
        select
            campaign_key,
            source_file,
            count(*) as row_count
        from {{ source('raw', table) }}
        group by campaign_key, source_file
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

quarantined_rows as (

    select
        campaign_key,
        source_file,
        count(*) as row_count
    from {{ source('raw', 'quarantine') }}
    where source_row is not null
    group by campaign_key, source_file

)

select
    manifest.campaign_key,
    manifest.source_file,
    manifest.table_name,
    manifest.rows_read,
    manifest.rows_loaded,
    manifest.rows_quarantined,
    coalesce(raw_rows.row_count, 0) as rows_in_raw,
    coalesce(quarantined_rows.row_count, 0) as rows_in_quarantine,
    coalesce(raw_rows.row_count, 0) + coalesce(quarantined_rows.row_count, 0) as rows_accounted
from manifest
left join raw_rows
    on manifest.campaign_key = raw_rows.campaign_key
        and manifest.source_file = raw_rows.source_file
left join quarantined_rows
    on manifest.campaign_key = quarantined_rows.campaign_key
        and manifest.source_file = quarantined_rows.source_file
