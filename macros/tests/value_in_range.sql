{#-
    Generic test: every non-NULL value of `column_name` lies in [min_value, max_value] (either bound optional).
    For a rule with a `where` or a `severity` of its own; unconditional rules go into `column_rules`.
        data_tests:
          - value_in_range:
              arguments:
                min_value: 0
                max_value: 100
              config:
                where: "unit = '%'"
    Fails with one row per offending value (and how many rows carry it).
-#}
{% test value_in_range(model, column_name, min_value=none, max_value=none) %}
    {{ rule_value_in_range(model, column_name, min_value, max_value) }}
{% endtest %}
