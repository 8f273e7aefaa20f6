{#-
    How identifiers are compared in every join of the warehouse (site_id, referenceDecision, a supported place's
    name): without surrounding spaces, in lower case, so that `MP-012` in the registry and ` mp-012` in a report
    are one site. The staging models publish identifiers in this form; the raw tables keep them as sent. The
    ingestion's parent checks apply the same rule (fabriques.contract.canonical_id).
-#}
{% macro canonical_id(column) -%}
    lower(trim({{ column }}))
{%- endmacro %}
