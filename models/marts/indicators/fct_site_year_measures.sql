-- What each site measured in each year it was labelled, in one long table: one row per site, year (dim_year,
-- from the year of the site's label date), measure and breakdown code. Every measure of the warehouse is defined
-- here once; the indicators, their breakdowns, the site sheets and the transfer guide add them up.
--   labelled_sites          1, by territory_target (the site's declared target); breakdown_group is the target's
--                           group (priority_area, rural_area: the programme's code list territory_target)
--   site_reports            1 when the site's annual report (site_year) for the year was accepted
--   people_reached          people_total of the annual report
--   jobs_fte                employees_fte of the annual report
--   jobs_created_fte        jobs_created of the annual report
--   operating_expenses_eur  expenses_eur of the annual report: what running the site cost in the year
--   participations          participations, by activity_type
--   activity_hours          hours, by activity_type
--   places_supported        places the site supported (fct_network: one row per distinct place)
--   revenue_eur             the finance lines, by finance_line; breakdown_group is the line's group (own,
--                           cofunding, state, other)
--   beneficiaries           people (or organisations) per beneficiary category, by category
--   state_committed_eur     State grants agreed from the start to 31 December (a row only once one is agreed)
--   grants_committed_eur    grants of every funder agreed from the start to 31 December, by funder (breakdown
--                           code funder_id); breakdown_group is the funder's type
--   state_paid_eur          paid on State grants from the start to 31 December (a row only once one is paid)
--   state_paid_in_year_eur  paid on State grants during the year
-- A row says the site sent (or was granted) what it measures; its value may still be empty when a cell was
-- empty. A measure a site did not send has no row: it is missing, not 0.
with years as (

    select
        year,
        year_end_date
    from {{ ref('dim_year') }}

),

sites as (

    select
        site_id,
        territory_target,
        label_date
    from {{ ref('dim_site') }}

),

territory_target_groups as (

    select
        code as territory_target,
        grouping as target_group
    from {{ ref('stg_programme__code_lists') }}
    where domain = 'territory_target'

),

labelled_site_years as (

    select
        sites.site_id,
        years.year,
        years.year_end_date,
        sites.territory_target,
        territory_target_groups.target_group
    from sites
    inner join years
        on sites.label_date <= years.year_end_date
    left join territory_target_groups
        on sites.territory_target = territory_target_groups.territory_target

),

annual_reports as (

    select
        site_id,
        year,
        people_total,
        employees_fte,
        jobs_created,
        expenses_eur
    from {{ ref('fct_site_year') }}

),

activities as (

    select
        site_id,
        year,
        activity_type,
        participations,
        hours
    from {{ ref('fct_activities') }}

),

places as (

    select
        site_id,
        year
    from {{ ref('fct_network') }}

),

finances as (

    select
        site_id,
        year,
        finance_line,
        line_group,
        amount_eur
    from {{ ref('fct_finances') }}

),

beneficiaries as (

    select
        site_id,
        year,
        category,
        people
    from {{ ref('fct_beneficiaries') }}

),

grants as (

    select
        site_id,
        funder_id,
        funder_type,
        is_state_grant,
        convention_date,
        amount_eur
    from {{ ref('fct_grants') }}

),

state_grants as (

    select
        site_id,
        convention_date,
        amount_eur
    from grants
    where is_state_grant

),

state_payments as (

    select
        site_id,
        payment_date,
        payment_year,
        amount_eur
    from {{ ref('fct_payments') }}
    where is_state_grant

),

-- per site and year, each source's measures; `breakdown_type` `total` with code `all` when not broken down
measured as (

    select
        site_id,
        year,
        'labelled_sites' as measure_code,
        'territory_target' as breakdown_type,
        coalesce(territory_target, 'unknown') as breakdown_code,
        target_group as breakdown_group,
        1.0 as value
    from labelled_site_years

    union all

    select
        site_id,
        year,
        'site_reports',
        'total',
        'all',
        null,
        1.0
    from annual_reports

    union all

    select
        site_id,
        year,
        'people_reached',
        'total',
        'all',
        null,
        people_total
    from annual_reports

    union all

    select
        site_id,
        year,
        'jobs_fte',
        'total',
        'all',
        null,
        employees_fte
    from annual_reports

    union all

    select
        site_id,
        year,
        'jobs_created_fte',
        'total',
        'all',
        null,
        jobs_created
    from annual_reports

    union all

    select
        site_id,
        year,
        'operating_expenses_eur',
        'total',
        'all',
        null,
        expenses_eur
    from annual_reports

    union all

    select
        site_id,
        year,
        'participations',
        'activity_type',
        activity_type,
        null,
        sum(participations)
    from activities
    group by site_id, year, activity_type

    union all

    select
        site_id,
        year,
        'activity_hours',
        'activity_type',
        activity_type,
        null,
        sum(hours)
    from activities
    group by site_id, year, activity_type

    union all

    select
        site_id,
        year,
        'places_supported',
        'total',
        'all',
        null,
        count(*)
    from places
    group by site_id, year

    union all

    select
        site_id,
        year,
        'revenue_eur',
        'finance_line',
        finance_line,
        line_group,
        sum(amount_eur)
    from finances
    group by site_id, year, finance_line, line_group

    union all

    select
        site_id,
        year,
        'beneficiaries',
        'category',
        category,
        null,
        sum(people)
    from beneficiaries
    group by site_id, year, category

    union all

    {#- (measure, source, date column, breakdown type, breakdown code, breakdown group) #}
    {%- set cumulated = [
        ('state_committed_eur', 'state_grants', 'convention_date', "'total'", "'all'", 'null'),
        ('state_paid_eur', 'state_payments', 'payment_date', "'total'", "'all'", 'null'),
        ('grants_committed_eur', 'grants', 'convention_date', "'funder'", 'grants.funder_id', 'grants.funder_type'),
    ] %}
    {%- for measure_code, amounts, dated_on, breakdown_type, breakdown_code, breakdown_group in cumulated %}
        -- {{ measure_code }}: the amounts dated on or before 31 December of the year
        select
            labelled_site_years.site_id,
            labelled_site_years.year,
            '{{ measure_code }}',
            {{ breakdown_type }},
            {{ breakdown_code }},
            {{ breakdown_group }},
            sum({{ amounts }}.amount_eur)
        from labelled_site_years
        inner join {{ amounts }}
            on labelled_site_years.site_id = {{ amounts }}.site_id
                and labelled_site_years.year_end_date >= {{ amounts }}.{{ dated_on }}
        group by
            labelled_site_years.site_id,
            labelled_site_years.year
            {%- if breakdown_group != 'null' %}, {{ breakdown_code }}, {{ breakdown_group }}{% endif %}
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

    union all

    select
        site_id,
        payment_year,
        'state_paid_in_year_eur',
        'total',
        'all',
        null,
        sum(amount_eur)
    from state_payments
    group by site_id, payment_year

)

-- only the years in which the site is labelled
select
    measured.site_id,
    cast(measured.year as integer) as year,
    measured.measure_code,
    measured.breakdown_type,
    cast(measured.breakdown_code as {{ dbt.type_string() }}) as breakdown_code,
    measured.breakdown_group,
    cast(measured.value as {{ type_double() }}) as value
from measured
inner join labelled_site_years
    on measured.site_id = labelled_site_years.site_id
        and measured.year = labelled_site_years.year
