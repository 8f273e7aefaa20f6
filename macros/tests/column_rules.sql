{#-
    Generic test: the rules on a model's columns, checked in one query. Each dbt test is a node with its own
    cost (about 25 ms on the demo, much more than the scan of a small table), so a model's unconditional rules
    are one test rather than one per rule and column. Usage, at model level:
        data_tests:
          - column_rules:
              arguments:
                not_null: [site_id, year]
                unique: [site_id]
                unique_combinations: [[site_id, year]]
                accepted_values: {status: [active, paused]}
                in_code_list: {funder_type: funder_type}
                value_in_range: {share_pct: {min_value: 0, max_value: 100}}
    Fails with one row per broken rule and value: the rule, the column(s), the offending value and how many rows
    carry it. A rule with a `where` or a `severity` stays a test of its own (the single-rule tests below use the
    same rule macros).
-#}
{% test column_rules(model, not_null=[], unique=[], unique_combinations=[], accepted_values={},
                     in_code_list={}, value_in_range={}) %}
    {%- set checks = [] -%}
    {%- for column in not_null %}{% do checks.append(rule_not_null(model, column)) %}{% endfor -%}
    {%- for column in unique %}{% do checks.append(rule_unique(model, [column])) %}{% endfor -%}
    {%- for columns in unique_combinations %}{% do checks.append(rule_unique(model, columns)) %}{% endfor -%}
    {%- for column, values in accepted_values.items() %}
        {%- do checks.append(rule_accepted_values(model, column, values)) %}
    {%- endfor -%}
    {%- for column, domain in in_code_list.items() %}
        {%- do checks.append(rule_in_code_list(model, column, domain)) %}
    {%- endfor -%}
    {%- for column, bounds in value_in_range.items() %}
        {%- do checks.append(rule_value_in_range(model, column, bounds.get('min_value'), bounds.get('max_value'))) %}
    {%- endfor %}
    {{ checks | join('\nunion all\n') }}
{% endtest %}


{#- Each rule: the failing values of one column (or combination), as (rule, column_name, value, n_rows). -#}
{% macro rule_not_null(model, column) %}
    select 'not_null' as rule, '{{ column }}' as column_name, cast(null as {{ dbt.type_string() }}) as value, count(*) as n_rows
    from {{ model }}
    where {{ column }} is null
    having count(*) > 0
{% endmacro %}


{#- NULLs are compared as values in a combination (two NULL keys are duplicates), ignored for one column. -#}
{% macro rule_unique(model, columns) %}
    select
        'unique' as rule,
        '{{ columns | join(", ") }}' as column_name,
        concat_ws('|', {% for column in columns %}cast({{ column }} as {{ dbt.type_string() }}){{ ", " if not loop.last }}{% endfor %})
            as value,
        count(*) as n_rows
    from {{ model }}
    {%- if columns | length == 1 %}
    where {{ columns[0] }} is not null
    {%- endif %}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endmacro %}


{% macro rule_accepted_values(model, column, values) %}
    select 'accepted_values' as rule, '{{ column }}' as column_name, cast({{ column }} as {{ dbt.type_string() }}) as value,
        count(*) as n_rows
    from {{ model }}
    where {{ column }} is not null
        and cast({{ column }} as {{ dbt.type_string() }}) not in (
            {%- for value in values %}'{{ value }}'{{ ", " if not loop.last }}{% endfor %})
    group by {{ column }}
{% endmacro %}


{#- A domain missing from the seed makes every non-NULL value fail, so a misspelt domain cannot pass silently. -#}
{% macro rule_in_code_list(model, column, domain) %}
    select 'in_code_list' as rule, '{{ column }}' as column_name, cast({{ column }} as {{ dbt.type_string() }}) as value,
        count(*) as n_rows
    from {{ model }}
    where {{ column }} is not null
        and cast({{ column }} as {{ dbt.type_string() }}) not in (
            select code from {{ ref('stg_programme__code_lists') }} where domain = '{{ domain }}'
        )
    group by {{ column }}
{% endmacro %}


{% macro rule_value_in_range(model, column, min_value=none, max_value=none) %}
    select 'value_in_range' as rule, '{{ column }}' as column_name, cast({{ column }} as {{ dbt.type_string() }}) as value,
        count(*) as n_rows
    from {{ model }}
    where {{ column }} is not null
        and (
            false
            {%- if min_value is not none %} or {{ column }} < {{ min_value }}{% endif %}
            {%- if max_value is not none %} or {{ column }} > {{ max_value }}{% endif %}
        )
    group by {{ column }}
{% endmacro %}
