-- The quarantined rows (and whole files) of a site's own submission, for its site sheet: one row per
-- quarantined row or file and registry site it belongs to (a site of dim_site, or a site whose registry row was
-- set aside and so is not in dim_site). A quarantined row belongs to a site when
--   * it names the site's id under a site-id column (stg_campaign__quarantine.site_id, read by the ingestion
--     through the contract's header aliases), or
--   * it comes from the site's workbook `<site_id>.xlsx` (or .xls, .ods; in any folder or archive; any sheet, or
--     the whole file).
-- Every campaign is kept, with its reporting year: a site sheet shows the rows of its year's campaign(s).
with quarantine as (

    select * from {{ ref('stg_campaign__quarantine') }}

),

campaigns as (

    select
        campaign_key,
        campaign_name,
        reporting_year
    from {{ ref('stg_campaign__campaigns') }}

),

-- the sites of the registry, and those whose registry row was set aside
sites as (

    select site_id from {{ ref('dim_site') }}

    union

    select site_id from quarantine
    where table_name = 'registry' and site_id is not null

),

numbered as (

    select
        quarantine.*,
        row_number() over (
            order by
                quarantine.campaign_key,
                quarantine.source_file,
                quarantine.source_row,
                quarantine.column_name,
                quarantine.reason_code
        ) as quarantine_seq
    from quarantine

),

-- the file a row comes from, without its `#sheet`, lower case
row_files as (

    select
        quarantine_seq,
        lower(case
            when {{ dbt.position("'#'", 'source_file') }} > 0
                then substr(source_file, 1, {{ dbt.position("'#'", 'source_file') }} - 1)
            else source_file
        end) as file_key
    from numbered

),

matches as (

    select
        numbered.quarantine_seq,
        sites.site_id,
        'site_id' as matched_by
    from numbered
    inner join sites
        on numbered.site_id = sites.site_id

    union all

    select
        row_files.quarantine_seq,
        sites.site_id,
        'workbook' as matched_by
    from row_files
    inner join sites
        on {{ regexp_capture('row_files.file_key', "'([^/]+)\\.(xlsx|xlsm|xlsb|xls|ods)$'") }} = sites.site_id

),

matched as (

    select
        quarantine_seq,
        site_id,
        case when count(distinct matched_by) > 1 then 'both' else max(matched_by) end as matched_by
    from matches
    group by quarantine_seq, site_id

)

select
    matched.site_id,
    numbered.campaign_key,
    campaigns.campaign_name,
    campaigns.reporting_year,
    numbered.source_file,
    numbered.source_row,
    numbered.table_name,
    numbered.column_name,
    numbered.reason_code,
    numbered.message,
    numbered.message_en,
    numbered.is_whole_file,
    matched.matched_by,
    numbered.message_arguments,
    numbered.original_values_json as original_values
from matched
inner join numbered
    on matched.quarantine_seq = numbered.quarantine_seq
left join campaigns
    on numbered.campaign_key = campaigns.campaign_key
order by
    matched.site_id,
    campaigns.reporting_year,
    numbered.source_file,
    numbered.source_row nulls first,
    numbered.column_name
