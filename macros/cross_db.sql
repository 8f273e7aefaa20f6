{#-
    Engine-specific SQL behind adapter.dispatch, so the models stay portable (STYLE.md).
-#}

{#- A date parsed from text, NULL when the text is not a date (instead of failing the query). -#}
{% macro text_to_date_or_null(expression) %}
    {{ return(adapter.dispatch('text_to_date_or_null')(expression)) }}
{% endmacro %}

{% macro default__text_to_date_or_null(expression) %}
    cast({{ expression }} as date)
{% endmacro %}

{% macro duckdb__text_to_date_or_null(expression) %}
    try_cast({{ expression }} as date)
{% endmacro %}

{#- One row per integer `year` from `first_expression` to `last_expression`, read from `relation` (one row). -#}
{% macro year_series(first_expression, last_expression, relation) %}
    {{ return(adapter.dispatch('year_series')(first_expression, last_expression, relation)) }}
{% endmacro %}

{% macro default__year_series(first_expression, last_expression, relation) %}
    select year from (
        with recursive series (year, last_year) as (
            select {{ first_expression }}, {{ last_expression }} from {{ relation }}
            union all
            select year + 1, last_year from series where year < last_year
        )
        select cast(year as integer) as year from series
    ) as year_series
{% endmacro %}

{% macro duckdb__year_series(first_expression, last_expression, relation) %}
    select cast(unnest(generate_series({{ first_expression }}, {{ last_expression }})) as integer) as year
    from {{ relation }}
{% endmacro %}
