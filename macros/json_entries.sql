{#-
    The entries of a JSON object held as text, as a relation usable in a FROM clause (a lateral table function):
    one row per key, with the columns `key` and `value`; `json_entry_text(value)` reads an entry's value as text.
    Engine-specific SQL behind adapter.dispatch (STYLE.md): DuckDB's json_each, PostgreSQL's json_each_text.
-#}
{% macro json_entries(json_text) %}
    {{ return(adapter.dispatch('json_entries')(json_text)) }}
{% endmacro %}

{% macro default__json_entries(json_text) %}
    json_each_text(cast({{ json_text }} as json))
{% endmacro %}

{% macro duckdb__json_entries(json_text) %}
    json_each({{ json_text }})
{% endmacro %}


{% macro json_entry_text(value) %}
    {{ return(adapter.dispatch('json_entry_text')(value)) }}
{% endmacro %}

{% macro default__json_entry_text(value) %}
    {{ value }}
{% endmacro %}

{% macro duckdb__json_entry_text(value) %}
    json_extract_string({{ value }}, '$')
{% endmacro %}
