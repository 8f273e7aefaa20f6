{#-
    Generic test: every non-NULL value of `column_name` lies in [min_value, max_value] (either bound optional).
    Usage:
        data_tests:
          - value_in_range:
              arguments:
                min_value: 0
                max_value: 100
              config:
                where: "unit = '%'"
    Fails with one row per offending row.
-#}
{% test value_in_range(model, column_name, min_value=none, max_value=none) %}

select *
from {{ model }}
where {{ column_name }} is not null
  and (
      false
      {%- if min_value is not none %} or {{ column_name }} < {{ min_value }}{% endif %}
      {%- if max_value is not none %} or {{ column_name }} > {{ max_value }}{% endif %}
  )

{% endtest %}
