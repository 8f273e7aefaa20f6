-- The campaigns loaded, in order, and which one is current: the one place that orders campaigns
-- (macros/campaign_selection.sql reads campaign_order and is_current_campaign from here).
with campaigns as (

    select * from {{ source('raw', 'campaigns') }}

),

ordered as (

    select
        campaign_key,
        campaign_name,
        cast(reporting_year as integer) as reporting_year,
        cast(load_seq as integer) as load_seq,
        row_number() over (
            order by reporting_year, load_seq
        ) as campaign_order,
        count(*) over () as campaign_count
    from campaigns

)

select
    campaign_key,
    campaign_name,
    reporting_year,
    load_seq,
    cast(campaign_order as integer) as campaign_order,
    campaign_order = campaign_count as is_current_campaign
from ordered
