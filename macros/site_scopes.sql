{#-
    The scopes a site counts in, one row per (site_id, scope_type, scope_code):
      national          the programme's country code ([programme] country; every site)
      region            INSEE region code of the site's commune (dim_territory.region_code)
      territory_target  'qpv' or 'rural', as declared at selection
      degurba           '1', '2' or '3' as text (a site whose commune has no DEGURBA is in no degurba scope)
      site              the site_id itself
    `sites` names a relation or CTE with the columns site_id, region_code, territory_target, degurba
    (dim_site has them). A NULL attribute puts the site in no scope of that type.
-#}
{% macro site_scopes(sites) %}
    select sites.site_id, 'national' as scope_type, parameters.country as scope_code
    from {{ sites }} as sites
    cross join {{ ref('int_programme_parameters_pivoted') }} as parameters

    union all

    select site_id, 'region' as scope_type, cast(region_code as {{ dbt.type_string() }}) as scope_code
    from {{ sites }}
    where region_code is not null

    union all

    select site_id, 'territory_target' as scope_type, cast(territory_target as {{ dbt.type_string() }}) as scope_code
    from {{ sites }}
    where territory_target is not null

    union all

    select site_id, 'degurba' as scope_type, cast(degurba as {{ dbt.type_string() }}) as scope_code
    from {{ sites }}
    where degurba is not null

    union all

    select site_id, 'site' as scope_type, site_id as scope_code
    from {{ sites }}
{% endmacro %}


{#-
    Sums per-site measures up to every scope of every year, over the scopes of
    fct_site_year_scopes (one row per year, site and scope).

    `site_values` names a relation or CTE keyed by (site_id, year) holding the `measures` (a list of column
    names). Only the sites labelled on or before 31 December of the year count (a site counts from its label
    date, in every indicator); a labelled site-year without values counts 0, so an additive figure is 0 (not
    missing) for a scope with no rows. The result has one row per (year, scope_type, scope_code) that is
    reported that year: the national scope every year, any other scope only when it holds at least one
    labelled site. Sums are cast to double (DuckDB sums integers as HUGEINT).
-#}
{% macro sum_site_values_to_scopes(site_values, measures) %}
    select
        scopes.year,
        scopes.scope_type,
        scopes.scope_code,
        {%- for measure in measures %}
        cast(coalesce(sum({{ site_values }}.{{ measure }}), 0) as {{ type_double() }}) as {{ measure }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ ref('fct_site_year_scopes') }} as scopes
    left join {{ site_values }}
        on {{ site_values }}.site_id = scopes.site_id
        and {{ site_values }}.year = scopes.year
        and scopes.is_site_labelled
    group by scopes.year, scopes.scope_type, scopes.scope_code
    having scopes.scope_type = 'national'
        or max(case when scopes.is_site_labelled then 1 else 0 end) = 1
{% endmacro %}
