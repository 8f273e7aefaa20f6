-- Every closed list of codes: the programme's (code_lists.csv of its folder) and the warehouse's own (seed
-- code_lists: quarantine reasons, scope types, indicator themes, DEGURBA classes).
with programme_lists as (

    select
        domain,
        code,
        cast(sort_order as integer) as sort_order,
        grouping,
        label,
        short_label
    from {{ source('programme', 'code_lists') }}

),

warehouse_lists as (

    select
        domain,
        code,
        sort_order,
        grouping,
        label,
        cast(null as {{ dbt.type_string() }}) as short_label
    from {{ ref('code_lists') }}

)

select * from programme_lists
union all
select * from warehouse_lists
