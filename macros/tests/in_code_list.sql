{#-
    Generic test: every non-NULL value of `column_name` is a code of `domain` in stg_programme__code_lists (the programme's code lists and the warehouse's own). For a rule
    with a `where` or a `severity` of its own; unconditional rules go into `column_rules` (same rule macro).
        data_tests:
          - in_code_list:
              arguments:
                domain: funder_type
    Fails with one row per offending value (and how many rows carry it).
-#}
{% test in_code_list(model, column_name, domain) %}
    {{ rule_in_code_list(model, column_name, domain) }}
{% endtest %}
