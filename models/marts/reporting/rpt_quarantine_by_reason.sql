-- What was set aside, and why, per reporting year: one row per campaign reporting year and reason code, with the
-- number of quarantined rows and of files quarantined whole, the tables they were meant for, and what the reason
-- means in French and English (code_lists, domain `quarantine_reason`; the message of each row, with its values,
-- is in raw.quarantine and quarantine.csv). Every loaded campaign counts, superseded ones included: a campaign's
-- quarantine is what its senders have to correct, whichever campaign now counts.
with quarantine as (

    select
        campaign_key,
        table_name,
        reason_code,
        is_whole_file
    from {{ ref('stg_campaign__quarantine') }}

),

campaigns as (

    select
        campaign_key,
        reporting_year
    from {{ ref('stg_campaign__campaigns') }}

),

reasons as (

    select
        code as reason_code,
        sort_order,
        label
    from {{ ref('stg_programme__code_lists') }}
    where domain = 'quarantine_reason'

),

counted as (

    select
        campaigns.reporting_year,
        quarantine.reason_code,
        count(*) filter (where not quarantine.is_whole_file) as rows_quarantined,
        count(*) filter (where quarantine.is_whole_file) as files_quarantined,
        {{ distinct_values_joined('quarantine.table_name', "', '") }} as table_names
    from quarantine
    inner join campaigns
        on quarantine.campaign_key = campaigns.campaign_key
    group by campaigns.reporting_year, quarantine.reason_code

)

select
    cast(counted.reporting_year as integer) as reporting_year,
    counted.reason_code,
    cast(reasons.sort_order as integer) as reason_sort_order,
    reasons.label,
    cast(counted.rows_quarantined as bigint) as rows_quarantined,
    cast(counted.files_quarantined as bigint) as files_quarantined,
    counted.table_names
from counted
left join reasons
    on counted.reason_code = reasons.reason_code
order by counted.reporting_year, reasons.sort_order, counted.reason_code
