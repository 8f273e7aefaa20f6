-- One row per site, year and activity type reported.
select
    site_id,
    year,
    activity_type,
    sessions,
    hours,
    participations,
    campaign_key,
    source_file,
    source_row
from {{ ref('stg_campaign__activities') }}
