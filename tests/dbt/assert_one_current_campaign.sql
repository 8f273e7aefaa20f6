-- Exactly one campaign is current whenever campaigns are loaded. Returns a row when that fails.
select
    count(*) as campaigns,
    sum(case when is_current_campaign then 1 else 0 end) as current_campaigns
from {{ ref('stg_campaign__campaigns') }}
having count(*) > 0
    and sum(case when is_current_campaign then 1 else 0 end) <> 1
