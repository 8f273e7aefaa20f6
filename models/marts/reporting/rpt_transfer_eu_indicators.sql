-- The programme's results in the units of the EU cohesion common indicators (seed eu_indicator_mapping): per year,
-- each mapped indicator's national value (a core indicator from marts.fct_indicators, or one breakdown code of a
-- figure by breakdown from marts.fct_indicator_breakdowns), with the EU indicator's name and unit and the fit. A
-- mapping whose fit is `none` has no EU indicator and says why.
with mapping as (

    select
        cast(programme_indicator_code as {{ dbt.type_string() }}) as programme_indicator_code,
        nullif(cast(breakdown_code as {{ dbt.type_string() }}), '') as breakdown_code,
        nullif(cast(eu_indicator_code as {{ dbt.type_string() }}), '') as eu_indicator_code,
        cast(fit as {{ dbt.type_string() }}) as fit,
        cast(sort_order as integer) as sort_order,
        cast(note as {{ dbt.type_string() }}) as note
    from {{ ref('eu_indicator_mapping') }}

),

eu_catalogue as (

    select
        eu_indicator_code,
        eu_indicator_type,
        eu_indicator_name,
        measurement_unit
    from {{ ref('stg_reference__eu_common_indicators') }}

),

national_values as (

    select
        indicator_code,
        year,
        value,
        cast(null as {{ dbt.type_string() }}) as breakdown_code
    from {{ ref('fct_indicators') }}
    where scope_type = 'national'

    union all

    select
        indicator_code,
        year,
        value,
        breakdown_code
    from {{ ref('fct_indicator_breakdowns') }}
    where scope_type = 'national'

),

years as (

    select year from {{ ref('dim_year') }}

)

select
    years.year,
    mapping.sort_order,
    mapping.programme_indicator_code,
    mapping.breakdown_code,
    mapping.eu_indicator_code,
    eu_catalogue.eu_indicator_type,
    eu_catalogue.eu_indicator_name,
    eu_catalogue.measurement_unit,
    mapping.fit,
    mapping.note,
    national_values.value
from mapping
cross join years
left join eu_catalogue
    on mapping.eu_indicator_code = eu_catalogue.eu_indicator_code
left join national_values
    on mapping.programme_indicator_code = national_values.indicator_code
        and years.year = national_values.year
        and national_values.breakdown_code is not distinct from mapping.breakdown_code
