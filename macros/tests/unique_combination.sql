{#-
    Generic test: the columns of `combination_of_columns` together identify a row of the model (no two rows share
    them). Usage, at model level:
        data_tests:
          - unique_combination:
              arguments:
                combination_of_columns: [site_id, year]
    Fails with one row per duplicated combination. NULLs are compared as values (two NULL keys are duplicates).
-#}
{% test unique_combination(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
