-- Figures by a breakdown that the core indicators do not carry, for the annual impact report. Grain: one row per
-- indicator, year, scope, breakdown type and breakdown code.
--   FT08_participations        by activity_type     participations of the activity type (they add up to FT08)
--   FT09_activity_hours        by activity_type     hours of the activity type (they add up to FT09)
--   FT11_own_revenue_pct       by programme_year    own revenue / all revenue lines of the sites in their 1st, 2nd,
--                                                   3rd, or 4th and later programme year (year - label year + 1:
--                                                   `1`, `2`, `3`, `4+`); numerators and denominators add up to FT11's
--   FT16_beneficiaries         by category          people of the beneficiary category ("of which" counts: the
--                                                   categories overlap, never add them up; `organisations` counts
--                                                   bodies, its unit says so)
--   FT17_jobs_created_fte      total (`all`)        jobs created during the year, FTE (site_year.jobs_created)
--   FT18_sites_by_state_grant  by state_grant_band  sites with a State grant agreed by 31 December, by the total of
--                                                   their State grants: `below_min` (< grant_min_eur), `band_1`..
--                                                   `band_5` (equal bands from grant_min_eur to grant_max_eur,
--                                                   lower bound included, the last one also its upper bound),
--                                                   `above_max` (> grant_max_eur); they add up to FT06's denominator,
--                                                   the bands within the bounds to its numerator
--   FT19_cofunding_eur         by finance_line      co-funding lines the sites report (they add up to FT12's numerator)
-- The figures are sums of the site-year measures (fct_site_year_measures).
-- Scopes: national, region, territory_target and degurba, with the rule of `fct_indicators`: a figure of a scope and
-- year counts the sites of the scope labelled by 31 December (their reports, finances and grants); the national
-- scope is reported every year, another scope when it holds a labelled site. Site figures are in `indicators`
-- (the site sheets read them there), not here. Every code of a breakdown has a row in every reported scope and
-- year: 0 for an additive figure without rows, NULL for a ratio whose denominator is 0 (numerator and denominator
-- kept). `breakdown_lower` and `breakdown_upper` give the bounds of a numeric band (EUR for the grant bands,
-- programme years for FT11), NULL when open or not numeric.
{%- set grant_band_count = 5 %}
with scopes as (

    select
        year,
        site_id,
        scope_type,
        scope_code,
        is_site_labelled
    from {{ ref('fct_site_year_scopes') }}
    where scope_type <> 'site'

),

labelled_site_scopes as (

    select
        year,
        site_id,
        scope_type,
        scope_code
    from scopes
    where is_site_labelled

),

reported_scopes as (

    select distinct
        year,
        scope_type,
        scope_code
    from scopes
    where scope_type = 'national' or is_site_labelled

),

sites as (

    select
        site_id,
        label_year
    from {{ ref('dim_site') }}

),

measures as (

    select
        site_id,
        year,
        measure_code,
        breakdown_code,
        breakdown_group,
        value
    from {{ ref('fct_site_year_measures') }}

),

parameters as (

    select
        cast(grant_min_eur as {{ type_double() }}) as grant_min_eur,
        cast(grant_max_eur as {{ type_double() }}) as grant_max_eur,
        cast(grant_max_eur - grant_min_eur as {{ type_double() }}) / {{ grant_band_count }} as grant_band_width_eur
    from {{ ref('int_programme_parameters_pivoted') }}

),

code_lists as (

    select
        domain,
        code,
        sort_order,
        grouping
    from {{ ref('stg_programme__code_lists') }}

),

-- every code of every breakdown, with its unit and whether the figure is a percentage of two sums
breakdown_codes as (

    select
        'FT08_participations' as indicator_code,
        'activity_type' as breakdown_type,
        code as breakdown_code,
        sort_order as breakdown_sort_order,
        'visits' as unit,
        false as is_percentage,
        cast(null as {{ type_double() }}) as breakdown_lower,
        cast(null as {{ type_double() }}) as breakdown_upper
    from code_lists
    where domain = 'activity_type'

    union all

    select
        'FT09_activity_hours',
        'activity_type',
        code,
        sort_order,
        'hours',
        false,
        cast(null as {{ type_double() }}),
        cast(null as {{ type_double() }})
    from code_lists
    where domain = 'activity_type'

    union all

    select
        'FT11_own_revenue_pct',
        'programme_year',
        programme_year.code,
        programme_year.sort_order,
        '%',
        true,
        programme_year.lower_year,
        programme_year.upper_year
    from (
        values
        ('1', 1, 1.0, 1.0),
        ('2', 2, 2.0, 2.0),
        ('3', 3, 3.0, 3.0),
        ('4+', 4, 4.0, cast(null as {{ type_double() }}))
    ) as programme_year (code, sort_order, lower_year, upper_year)

    union all

    -- the unit of a category is `people`, or `organisations` for the category that counts bodies
    select
        'FT16_beneficiaries',
        'category',
        code,
        sort_order,
        grouping,
        false,
        cast(null as {{ type_double() }}),
        cast(null as {{ type_double() }})
    from code_lists
    where domain = 'beneficiary_category'

    union all

    select
        'FT17_jobs_created_fte',
        'total',
        'all',
        1,
        'FTE',
        false,
        cast(null as {{ type_double() }}),
        cast(null as {{ type_double() }})

    union all

    select
        'FT18_sites_by_state_grant',
        'state_grant_band',
        'below_min',
        0,
        'sites',
        false,
        cast(null as {{ type_double() }}),
        grant_min_eur
    from parameters

    {%- for band in range(1, grant_band_count + 1) %}

        union all

        select
            'FT18_sites_by_state_grant',
            'state_grant_band',
            'band_{{ band }}',
            {{ band }},
            'sites',
            false,
            grant_min_eur + {{ band - 1 }} * grant_band_width_eur,
            {% if band == grant_band_count -%}
                grant_max_eur
            {%- else -%}
                grant_min_eur + {{ band }} * grant_band_width_eur
            {%- endif %}
        from parameters
    {%- endfor %}

    union all

    select
        'FT18_sites_by_state_grant',
        'state_grant_band',
        'above_max',
        {{ grant_band_count + 1 }},
        'sites',
        false,
        grant_max_eur,
        cast(null as {{ type_double() }})
    from parameters

    union all

    select
        'FT19_cofunding_eur',
        'finance_line',
        code,
        sort_order,
        'EUR',
        false,
        cast(null as {{ type_double() }}),
        cast(null as {{ type_double() }})
    from code_lists
    where domain = 'finance_line' and grouping = 'cofunding'

),

state_grant_bands as (

    select
        committed.site_id,
        committed.year,
        case
            when committed.value < parameters.grant_min_eur then 'below_min'
            when committed.value > parameters.grant_max_eur then 'above_max'
            else 'band_' || cast(least(
                    {{ grant_band_count }},
                    cast(floor(
                        (committed.value - parameters.grant_min_eur)
                        / parameters.grant_band_width_eur
                    ) as integer) + 1
                ) as {{ dbt.type_string() }})
        end as breakdown_code
    from measures as committed
    cross join parameters
    where committed.measure_code = 'state_committed_eur'

),

revenue_by_programme_year as (

    select
        measures.site_id,
        measures.year,
        {{ programme_year_band(programme_year('measures.year', 'sites.label_year')) }} as programme_year,
        measures.breakdown_group as line_group,
        measures.value as amount_eur
    from measures
    inner join sites
        on measures.site_id = sites.site_id
    where measures.measure_code = 'revenue_eur'

),

-- per site and year, what each breakdown code adds: a numerator, and a denominator for the percentages
site_measures as (

    select
        site_id,
        year,
        'FT08_participations' as indicator_code,
        'activity_type' as breakdown_type,
        breakdown_code,
        value as numerator,
        cast(null as {{ type_double() }}) as denominator
    from measures
    where measure_code = 'participations'

    union all

    select
        site_id,
        year,
        'FT09_activity_hours',
        'activity_type',
        breakdown_code,
        value,
        null
    from measures
    where measure_code = 'activity_hours'

    union all

    select
        site_id,
        year,
        'FT11_own_revenue_pct',
        'programme_year',
        programme_year,
        case when line_group = 'own' then amount_eur else 0 end,
        amount_eur
    from revenue_by_programme_year

    union all

    select
        site_id,
        year,
        'FT16_beneficiaries',
        'category',
        breakdown_code,
        value,
        null
    from measures
    where measure_code = 'beneficiaries'

    union all

    select
        site_id,
        year,
        'FT17_jobs_created_fte',
        'total',
        'all',
        value,
        null
    from measures
    where measure_code = 'jobs_created_fte'

    union all

    select
        site_id,
        year,
        'FT18_sites_by_state_grant',
        'state_grant_band',
        breakdown_code,
        1.0,
        null
    from state_grant_bands

    union all

    select
        site_id,
        year,
        'FT19_cofunding_eur',
        'finance_line',
        breakdown_code,
        value,
        null
    from measures
    where measure_code = 'revenue_eur' and breakdown_group = 'cofunding'

),

scope_measures as (

    select
        labelled_site_scopes.year,
        labelled_site_scopes.scope_type,
        labelled_site_scopes.scope_code,
        site_measures.indicator_code,
        site_measures.breakdown_type,
        site_measures.breakdown_code,
        sum(site_measures.numerator) as numerator,
        sum(site_measures.denominator) as denominator
    from site_measures
    inner join labelled_site_scopes
        on site_measures.site_id = labelled_site_scopes.site_id
            and site_measures.year = labelled_site_scopes.year
    group by
        labelled_site_scopes.year,
        labelled_site_scopes.scope_type,
        labelled_site_scopes.scope_code,
        site_measures.indicator_code,
        site_measures.breakdown_type,
        site_measures.breakdown_code

),

grid as (

    select
        breakdown_codes.indicator_code,
        reported_scopes.year,
        reported_scopes.scope_type,
        reported_scopes.scope_code,
        breakdown_codes.breakdown_type,
        breakdown_codes.breakdown_code,
        breakdown_codes.breakdown_sort_order,
        breakdown_codes.breakdown_lower,
        breakdown_codes.breakdown_upper,
        breakdown_codes.unit,
        breakdown_codes.is_percentage,
        coalesce(scope_measures.numerator, 0) as numerator,
        coalesce(scope_measures.denominator, 0) as denominator
    from reported_scopes
    cross join breakdown_codes
    left join scope_measures
        on reported_scopes.year = scope_measures.year
            and reported_scopes.scope_type = scope_measures.scope_type
            and reported_scopes.scope_code = scope_measures.scope_code
            and breakdown_codes.indicator_code = scope_measures.indicator_code
            and breakdown_codes.breakdown_type = scope_measures.breakdown_type
            and breakdown_codes.breakdown_code = scope_measures.breakdown_code

),

-- as in fct_indicators: a breakdown measured from the site reports is empty in a year without any
measured_grid as (

    select
        grid.*,
        case
            when indicator_sources.from_site_reports and not coalesce(years.has_site_reports, false)
                then 'no_site_reports'
        end as empty_reason
    from grid
    left join {{ ref('dim_indicator') }} as indicator_sources
        on grid.indicator_code = indicator_sources.indicator_code
    left join {{ ref('dim_year') }} as years
        on grid.year = years.year

)

select
    indicator_code,
    cast(year as integer) as year,
    scope_type,
    cast(scope_code as {{ dbt.type_string() }}) as scope_code,
    breakdown_type,
    breakdown_code,
    cast(breakdown_sort_order as integer) as breakdown_sort_order,
    breakdown_lower,
    breakdown_upper,
    cast(case
        when empty_reason is not null then null
        when is_percentage then 100.0 * numerator / nullif(denominator, 0)
        else numerator
    end as {{ type_double() }}) as value,
    unit,
    cast(case when is_percentage and empty_reason is null then numerator end as {{ type_double() }}) as numerator,
    cast(case when is_percentage and empty_reason is null then denominator end as {{ type_double() }}) as denominator,
    empty_reason
from measured_grid
order by
    indicator_code,
    year,
    case scope_type
        when 'national' then 1
        when 'region' then 2
        when 'territory_target' then 3
        else 4
    end,
    scope_code,
    breakdown_type,
    breakdown_sort_order
