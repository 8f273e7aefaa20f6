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

{#- PostgreSQL has no try_cast: an ISO date (YYYY-MM-DD) whose day exists in its month, else NULL. -#}
{% macro postgres__text_to_date_or_null(expression) %}
    case when {{ expression }} ~ '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$' then
        case when cast(substr({{ expression }}, 9, 2) as integer) <= extract(day from (
                make_date(
                    cast(substr({{ expression }}, 1, 4) as integer), cast(substr({{ expression }}, 6, 2) as integer), 1
                ) + interval '1 month' - interval '1 day'
            )) then cast({{ expression }} as date)
        end
    end
{% endmacro %}

{% macro spark__text_to_date_or_null(expression) %}
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

{#- The type of a floating-point number of double precision (`double` is DuckDB's and Spark's name alone). -#}
{% macro type_double() %}
    {{- return(adapter.dispatch('type_double')()) -}}
{% endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{#- The continuous percentile `fraction` (0 to 1) of `expression` over a group, by linear interpolation. -#}
{% macro percentile_cont(expression, fraction) %}
    {{ return(adapter.dispatch('percentile_cont')(expression, fraction)) }}
{% endmacro %}

{% macro default__percentile_cont(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro spark__percentile_cont(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}

{#- The distinct values of `expression` in a group, in order, as one text joined by `delimiter` (a literal). -#}
{% macro distinct_values_joined(expression, delimiter) %}
    {{ return(adapter.dispatch('distinct_values_joined')(expression, delimiter)) }}
{% endmacro %}

{% macro default__distinct_values_joined(expression, delimiter) -%}
    string_agg(distinct {{ expression }}, {{ delimiter }} order by {{ expression }})
{%- endmacro %}

{% macro spark__distinct_values_joined(expression, delimiter) -%}
    nullif(array_join(array_sort(collect_set({{ expression }})), {{ delimiter }}), '')
{%- endmacro %}

{#- The first group that `pattern` captures in `expression` (NULL when it does not match). -#}
{% macro regexp_capture(expression, pattern) %}
    {{ return(adapter.dispatch('regexp_capture')(expression, pattern)) }}
{% endmacro %}

{% macro default__regexp_capture(expression, pattern) -%}
    regexp_extract({{ expression }}, {{ pattern }}, 1)
{%- endmacro %}

{% macro postgres__regexp_capture(expression, pattern) -%}
    substring({{ expression }} from {{ pattern }})
{%- endmacro %}

{#- `expression` rounded to `digits` decimals, as a double (PostgreSQL rounds only numerics to a scale). -#}
{% macro round_to(expression, digits) %}
    {{ return(adapter.dispatch('round_to')(expression, digits)) }}
{% endmacro %}

{% macro default__round_to(expression, digits) -%}
    round({{ expression }}, {{ digits }})
{%- endmacro %}

{% macro postgres__round_to(expression, digits) -%}
    cast(round(cast({{ expression }} as numeric), {{ digits }}) as double precision)
{%- endmacro %}

{#- The whole quotient of two whole numbers, rounded down (DuckDB's `//`). -#}
{% macro floor_division(dividend, divisor) -%}
    cast(floor(cast({{ dividend }} as {{ type_double() }}) / ({{ divisor }})) as {{ dbt.type_bigint() }})
{%- endmacro %}
