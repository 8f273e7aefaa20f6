{#-
    Use the configured schema name as it is (staging, marts, ...) instead of prefixing it with the target schema.
    A run on a shared server builds into the same names with the suffix `schema_suffix` (`marts__next`), then
    renames them in one transaction (fabriques.engines.postgres), so that readers see the last good warehouse.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
    {{- var('schema_suffix', '') -}}
{%- endmacro %}
