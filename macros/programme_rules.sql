{#-
    Rules of the programme written once and used wherever they apply.

    programme_year(year, label_year): a site's programme year, 1 in the year of its label.
    programme_year_band(programme_year): the band a programme year falls in: '1', '2', '3', or '4+' for the
    fourth year and later (the breakdowns of FT11 and the transfer evidence).
-#}
{% macro programme_year(year, label_year) -%}
    ({{ year }} - {{ label_year }} + 1)
{%- endmacro %}


{% macro programme_year_band(programme_year) -%}
    case when {{ programme_year }} >= 4 then '4+' else cast({{ programme_year }} as {{ dbt.type_string() }}) end
{%- endmacro %}
