{#-
    Generic test: every non-NULL value of `column_name` is a code of `domain` in the code_lists seed.
    Usage in a properties file:
        data_tests:
          - in_code_list:
              arguments:
                domain: funder_type
    Fails with one row per offending value (and how many rows carry it). A domain missing from the seed makes
    every non-NULL value fail, so a misspelt domain cannot pass silently.
-#}
{% test in_code_list(model, column_name, domain) %}

with code_list as (

    select code
    from {{ ref('code_lists') }}
    where domain = '{{ domain }}'

)

select
    cast({{ column_name }} as varchar) as value_not_in_code_list,
    count(*) as n_rows
from {{ model }}
where {{ column_name }} is not null
  and not exists (
      select 1
      from code_list
      where code_list.code = cast({{ column_name }} as varchar)
  )
group by 1

{% endtest %}
