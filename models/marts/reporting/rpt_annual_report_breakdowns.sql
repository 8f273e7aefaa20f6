-- The national figures of the annual report by activity type, beneficiary category, programme year, band of State
-- grant and co-funding line (fct_indicator_breakdowns), each with the label of its code where the code belongs to
-- a code list (code_lists), in display order.
with breakdowns as (

    select *
    from {{ ref('fct_indicator_breakdowns') }}
    where scope_type = 'national'

),

code_list_of_breakdown_type as (

    select
        'activity_type' as breakdown_type,
        'activity_type' as domain
    union all
    select
        'category',
        'beneficiary_category'
    union all
    select
        'finance_line',
        'finance_line'

),

labels as (

    select
        code_list_of_breakdown_type.breakdown_type,
        code_lists.code as breakdown_code,
        code_lists.label as breakdown_label
    from {{ ref('stg_programme__code_lists') }} as code_lists
    inner join code_list_of_breakdown_type
        on code_lists.domain = code_list_of_breakdown_type.domain

)

select
    breakdowns.indicator_code,
    breakdowns.year,
    breakdowns.breakdown_type,
    breakdowns.breakdown_code,
    labels.breakdown_label,
    breakdowns.breakdown_sort_order,
    breakdowns.breakdown_lower,
    breakdowns.breakdown_upper,
    breakdowns.value,
    breakdowns.unit,
    breakdowns.numerator,
    breakdowns.denominator,
    breakdowns.empty_reason
from breakdowns
left join labels
    on breakdowns.breakdown_type = labels.breakdown_type
        and breakdowns.breakdown_code = labels.breakdown_code
order by
    breakdowns.indicator_code,
    breakdowns.year,
    breakdowns.breakdown_type,
    breakdowns.breakdown_sort_order,
    breakdowns.breakdown_code
