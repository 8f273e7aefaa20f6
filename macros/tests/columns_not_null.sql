{#-
    Generic test: none of the columns of `column_names` holds a NULL. One test per model rather than one per
    column (each dbt test costs its own start-up, and a model checks its columns in one scan). Usage, at model
    level:
        data_tests:
          - columns_not_null:
              arguments:
                column_names: [site_id, year]
    Fails with one row per column holding NULLs, and how many.
-#}
{% test columns_not_null(model, column_names) %}

with null_counts as (

    select
        {%- for column in column_names %}
        sum(case when {{ column }} is null then 1 else 0 end) as {{ adapter.quote("nulls_" ~ loop.index) }}
        {{- "," if not loop.last }}
        {%- endfor %}
    from {{ model }}

)

{% for column in column_names %}
select '{{ column }}' as column_name, {{ adapter.quote("nulls_" ~ loop.index) }} as null_rows
from null_counts
where {{ adapter.quote("nulls_" ~ loop.index) }} > 0
{% if not loop.last %}union all{% endif %}
{% endfor %}

{% endtest %}
