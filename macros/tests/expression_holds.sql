{#-
    Generic test: a boolean SQL expression over a row's columns holds on every row of the model. Usage, at model
    level:
        data_tests:
          - expression_holds:
              arguments:
                expression: "(fit = 'none') = (eu_indicator_code is null)"
    Fails with the rows where the expression is false or NULL.
-#}
{% test expression_holds(model, expression) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
