-- The input files of each reporting year, per table: one row per campaign reporting year and table (NULL for a
-- file whose table could not be recognised), with the files by status (raw.manifest: loaded, empty, unreadable,
-- ignored) and the rows read, loaded and quarantined (rows read = rows loaded + rows quarantined, file by file).
-- Every loaded campaign counts, superseded ones included.
with manifest as (

    select * from {{ ref('stg_campaign__manifest') }}

),

campaigns as (

    select
        campaign_key,
        reporting_year
    from {{ ref('stg_campaign__campaigns') }}

)

select
    cast(campaigns.reporting_year as integer) as reporting_year,
    manifest.table_name,
    cast(count(*) as bigint) as files,
    cast(count(*) filter (where manifest.file_status = 'loaded') as bigint) as files_loaded,
    cast(count(*) filter (where manifest.file_status = 'empty') as bigint) as files_empty,
    cast(count(*) filter (where manifest.file_status = 'unreadable') as bigint) as files_unreadable,
    cast(count(*) filter (where manifest.file_status = 'ignored') as bigint) as files_ignored,
    cast(coalesce(sum(manifest.rows_read), 0) as bigint) as rows_read,
    cast(coalesce(sum(manifest.rows_loaded), 0) as bigint) as rows_loaded,
    cast(coalesce(sum(manifest.rows_quarantined), 0) as bigint) as rows_quarantined
from manifest
inner join campaigns
    on manifest.campaign_key = campaigns.campaign_key
group by campaigns.reporting_year, manifest.table_name
order by campaigns.reporting_year, manifest.table_name nulls last
