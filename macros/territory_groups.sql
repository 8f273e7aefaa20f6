{#-
    The rows of a CTE, each counted in three groups of territory: all sites (`all`/`all`), its DEGURBA class
    (`degurba`/its class, when known) and its territorial target (`territory_target`/`qpv` or `rural`). The CTE
    needs `degurba` and `territory_target` columns; the rows gain `group_type` and `group_code`.
-#}
{% macro territory_groups(cte) %}
    select *, 'all' as group_type, 'all' as group_code from {{ cte }}
    union all
    select *, 'degurba' as group_type, degurba as group_code from {{ cte }} where degurba is not null
    union all
    select *, 'territory_target' as group_type, territory_target as group_code from {{ cte }}
{% endmacro %}
