-- The published indicator table: the 15 core indicators of the reporting pack (section 5), one row per
-- indicator, year (dim_year) and scope (national every year; region, territory_target, degurba and site
-- when the scope holds a site labelled by 31 December of the year). Each indicator is a formula over the sums,
-- per scope, of the site-year measures (fct_site_year_measures); it is given its unit (dim_indicator) and the
-- target in force for the year (macro targets_by_year). An indicator measured from the site reports has no
-- value in a year for which no site report was accepted anywhere (dim_year.has_site_reports): it is empty with
-- the reason `no_site_reports`, never 0; a ratio over a zero denominator is empty with the reason
-- `zero_denominator`. Numerators and denominators are summed over the scope first, then divided.
with measures as (

    select
        site_id,
        year,
        measure_code,
        breakdown_code,
        breakdown_group,
        value
    from {{ ref('fct_site_year_measures') }}

),

grant_bounds as (

    select
        grant_min_eur,
        grant_max_eur
    from {{ ref('int_programme_parameters_pivoted') }}

),

-- one row per site-year with a measure, each measure summed over its breakdown codes (NULL when not sent)
site_measures as (

    select
        site_id,
        year,
        sum(value) filter (where measure_code = 'labelled_sites') as labelled_sites,
        sum(value) filter (where measure_code = 'labelled_sites' and breakdown_group = 'priority_area')
            as labelled_sites_qpv,
        sum(value) filter (where measure_code = 'labelled_sites' and breakdown_group = 'rural_area')
            as labelled_sites_rural,
        sum(value) filter (where measure_code = 'site_reports') as labelled_sites_reporting,
        sum(value) filter (where measure_code = 'state_committed_eur') as state_committed_eur,
        sum(value) filter (where measure_code = 'state_paid_eur') as state_paid_eur,
        sum(value) filter (where measure_code = 'state_paid_in_year_eur') as state_paid_in_year_eur,
        sum(value) filter (where measure_code = 'people_reached') as people_reached,
        sum(value) filter (where measure_code = 'participations') as participations,
        sum(value) filter (where measure_code = 'activity_hours') as activity_hours,
        sum(value) filter (where measure_code = 'jobs_fte') as jobs_fte,
        sum(value) filter (where measure_code = 'places_supported') as places_supported,
        sum(value) filter (where measure_code = 'revenue_eur' and breakdown_group = 'own') as own_revenue_eur,
        sum(value) filter (where measure_code = 'revenue_eur') as total_revenue_eur,
        sum(value) filter (where measure_code = 'revenue_eur' and breakdown_group = 'cofunding') as cofunding_eur
    from measures
    group by site_id, year

),

-- a site counts in FT06 once it has a State grant; it is within bounds when its total lies between them
site_values as (

    select
        site_measures.*,
        case when site_measures.state_committed_eur is not null then 1 else 0 end as sites_with_state_grant,
        case
            when site_measures.state_committed_eur between grant_bounds.grant_min_eur and grant_bounds.grant_max_eur
                then 1
            else 0
        end as sites_with_state_grant_in_bounds
    from site_measures
    cross join grant_bounds

),

scope_values as (

    {{ sum_site_values_to_scopes('site_values', [
        'labelled_sites', 'labelled_sites_qpv', 'labelled_sites_rural', 'labelled_sites_reporting',
        'state_committed_eur', 'state_paid_eur', 'sites_with_state_grant', 'sites_with_state_grant_in_bounds',
        'people_reached', 'participations', 'activity_hours', 'jobs_fte', 'places_supported',
        'own_revenue_eur', 'total_revenue_eur', 'cofunding_eur', 'state_paid_in_year_eur'
    ]) }}
),

-- programme to date: the co-funding and the people reached of every year up to Y, to set beside the State payments
-- made up to Y (state_paid_eur is cumulative already)
scope_values_to_date as (

    select
        scope_values.*,
        sum(scope_values.cofunding_eur) over programme_to_date as cofunding_to_date_eur,
        sum(scope_values.people_reached) over programme_to_date as people_reached_to_date
    from scope_values
    window programme_to_date as (
        partition by scope_values.scope_type, scope_values.scope_code
        order by scope_values.year
        rows between unbounded preceding and current row
    )

),

-- each indicator's formula: value, and for a ratio its numerator and denominator
{%- set totals = [
    ('FT01_sites_labelled', 'labelled_sites'),
    ('FT02_sites_qpv', 'labelled_sites_qpv'),
    ('FT03_sites_rural', 'labelled_sites_rural'),
    ('FT04_state_committed_eur', 'state_committed_eur'),
    ('FT05_state_paid_eur', 'state_paid_eur'),
    ('FT07_people_reached', 'people_reached'),
    ('FT08_participations', 'participations'),
    ('FT09_activity_hours', 'activity_hours'),
    ('FT10_jobs_fte', 'jobs_fte'),
    ('FT13_places_supported', 'places_supported'),
] %}
{%- set ratios = [
    ('FT06_grant_in_bounds_pct', 'sites_with_state_grant_in_bounds', 'sites_with_state_grant', 100),
    ('FT11_own_revenue_pct', 'own_revenue_eur', 'total_revenue_eur', 100),
    ('FT12_cofunding_leverage', 'cofunding_eur', 'state_paid_in_year_eur', 1),
    ('FT14_state_eur_per_person', 'state_paid_in_year_eur', 'people_reached', 1),
    ('FT20_cofunding_leverage_to_date', 'cofunding_to_date_eur', 'state_paid_eur', 1),
    ('FT21_state_eur_per_person_to_date', 'state_paid_eur', 'people_reached_to_date', 1),
    ('FT15_reporting_pct', 'labelled_sites_reporting', 'labelled_sites', 100),
] %}
indicator_values as (
    {%- for indicator_code, measure in totals %}

        select
            '{{ indicator_code }}' as indicator_code,
            year,
            scope_type,
            scope_code,
            {{ measure }} as value,
            cast(null as {{ type_double() }}) as numerator,
            cast(null as {{ type_double() }}) as denominator
        from scope_values_to_date

        union all
    {%- endfor %}
    {%- for indicator_code, numerator, denominator, scale in ratios %}

        select
            '{{ indicator_code }}',
            year,
            scope_type,
            scope_code,
            {{ scale }}.0 * {{ numerator }} / nullif({{ denominator }}, 0),
            {{ numerator }},
            {{ denominator }}
        from scope_values_to_date
        {%- if indicator_code == 'FT06_grant_in_bounds_pct' %}
            -- at site scope only the sites with a State grant by that year have a row (100 or 0); at other scopes a row
            -- without any funded site is kept with a NULL value
            where scope_type <> 'site' or sites_with_state_grant > 0
        {%- endif %}
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

indicator_units as (

    select
        indicator_code,
        unit,
        from_site_reports
    from {{ ref('dim_indicator') }}

),

years as (

    select
        year,
        has_site_reports
    from {{ ref('dim_year') }}

),

targets_in_force as (

    select
        indicator_code,
        scope_type,
        scope_code,
        year,
        target_comparator,
        target_value
    from ({{ targets_by_year(ref('stg_programme__indicator_targets'), 'years') }}) as targets_by_year
    where is_target_in_force

),

-- the values of a year without any accepted site report are not measured, for the indicators that need them
measured_values as (

    select
        indicator_values.indicator_code,
        indicator_values.year,
        indicator_values.scope_type,
        indicator_values.scope_code,
        indicator_units.unit,
        case
            when indicator_units.from_site_reports and not coalesce(years.has_site_reports, false)
                then 'no_site_reports'
            when indicator_values.value is null and indicator_values.denominator = 0 then 'zero_denominator'
        end as empty_reason,
        indicator_values.value,
        indicator_values.numerator,
        indicator_values.denominator
    from indicator_values
    -- the catalogue decides what is published: an indicator it does not list is not
    inner join indicator_units
        on indicator_values.indicator_code = indicator_units.indicator_code
    left join years
        on indicator_values.year = years.year

)

select
    indicator_values.indicator_code,
    cast(indicator_values.year as integer) as year,
    indicator_values.scope_type,
    cast(indicator_values.scope_code as {{ dbt.type_string() }}) as scope_code,
    cast(
        case when indicator_values.empty_reason is null then indicator_values.value end as {{ type_double() }}
    ) as value,
    indicator_values.unit,
    cast(case
        when indicator_values.empty_reason = 'no_site_reports' then null else indicator_values.numerator
    end as {{ type_double() }}) as numerator,
    cast(case
        when indicator_values.empty_reason = 'no_site_reports' then null else indicator_values.denominator
    end as {{ type_double() }}) as denominator,
    targets_in_force.target_comparator,
    targets_in_force.target_value,
    indicator_values.empty_reason
from measured_values as indicator_values
left join targets_in_force
    on indicator_values.indicator_code = targets_in_force.indicator_code
        and indicator_values.year = targets_in_force.year
        and indicator_values.scope_type = targets_in_force.scope_type
        and indicator_values.scope_code = targets_in_force.scope_code
order by
    indicator_values.indicator_code,
    indicator_values.year,
    case indicator_values.scope_type
        when 'national' then 1
        when 'region' then 2
        when 'territory_target' then 3
        when 'degurba' then 4
        else 5
    end,
    indicator_values.scope_code
