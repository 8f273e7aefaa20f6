-- One row per site, year and revenue line reported, with the line's group from code_lists
-- (own / state / cofunding / other).
with finances as (

    select * from {{ ref('stg_campaign__finances') }}

),

finance_lines as (

    select
        code as finance_line,
        grouping as line_group
    from {{ ref('stg_programme__code_lists') }}
    where domain = 'finance_line'

)

select
    finances.site_id,
    finances.year,
    finances.finance_line,
    finance_lines.line_group,
    finances.amount_eur,
    finances.campaign_key,
    finances.source_file,
    finances.source_row
from finances
left join finance_lines
    on finances.finance_line = finance_lines.finance_line
