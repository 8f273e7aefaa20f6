-- The sites that get a sheet, per year: one row per year of dim_year and site labelled by 31 December of that
-- year, with what the sheet says of the site (registry, territory) and the labels of its codes (code_lists, in
-- English; the catalogues translate them); and, in every year, each site whose registry row was set aside (it is
-- in no figure until the row is corrected), with the row as sent.
with years as (

    select
        year,
        year_end_date
    from {{ ref('dim_year') }}

),

sites as (

    select
        site_id,
        site_name,
        commune_code,
        commune_name,
        department_code,
        department_name,
        region_code,
        region_name,
        territory_target,
        cast(degurba as {{ dbt.type_string() }}) as degurba,
        label_date,
        label_round,
        fabrique_type,
        site_status
    from {{ ref('dim_site') }}

),

-- site ids named by a quarantined registry row that the registry does not hold: the latest such row of each
registry_rows_set_aside_ranked as (

    select
        quarantined.site_id,
        quarantined.original_values,
        row_number() over (
            partition by quarantined.site_id
            order by quarantined.reporting_year desc, quarantined.campaign_key desc, quarantined.source_row desc
        ) as latest_first
    from {{ ref('fct_site_quarantined_rows') }} as quarantined
    left join sites
        on quarantined.site_id = sites.site_id
    where quarantined.table_name = 'registry'
        and sites.site_id is null

),

registry_rows_set_aside as (

    select
        site_id,
        original_values
    from registry_rows_set_aside_ranked
    where latest_first = 1

),

labels as (

    select
        domain,
        code,
        label
    from {{ ref('stg_programme__code_lists') }}
    where domain in ('territory_target', 'degurba', 'fabrique_type', 'site_status')

),

labelled_sheets as (

    select
        years.year,
        sites.site_id,
        sites.site_name,
        sites.commune_code,
        sites.commune_name,
        sites.department_code,
        sites.department_name,
        sites.region_code,
        sites.region_name,
        sites.territory_target,
        territory_targets.label as territory_target_label,
        sites.degurba,
        degurba_classes.label as degurba_label,
        sites.label_date,
        sites.label_round,
        sites.fabrique_type,
        fabrique_types.label as fabrique_type_label,
        sites.site_status,
        site_statuses.label as site_status_label,
        'labelled' as registry_status,
        cast(null as {{ dbt.type_string() }}) as registry_original_values
    from sites
    inner join years
        on sites.label_date <= years.year_end_date
    left join labels as territory_targets
        on territory_targets.domain = 'territory_target'
            and sites.territory_target = territory_targets.code
    left join labels as degurba_classes
        on degurba_classes.domain = 'degurba'
            and sites.degurba = degurba_classes.code
    left join labels as fabrique_types
        on fabrique_types.domain = 'fabrique_type'
            and sites.fabrique_type = fabrique_types.code
    left join labels as site_statuses
        on site_statuses.domain = 'site_status'
            and sites.site_status = site_statuses.code

),

set_aside_sheets as (

    select
        years.year,
        registry_rows_set_aside.site_id,
        cast(null as {{ dbt.type_string() }}) as site_name,
        cast(null as {{ dbt.type_string() }}) as commune_code,
        cast(null as {{ dbt.type_string() }}) as commune_name,
        cast(null as {{ dbt.type_string() }}) as department_code,
        cast(null as {{ dbt.type_string() }}) as department_name,
        cast(null as {{ dbt.type_string() }}) as region_code,
        cast(null as {{ dbt.type_string() }}) as region_name,
        cast(null as {{ dbt.type_string() }}) as territory_target,
        cast(null as {{ dbt.type_string() }}) as territory_target_label,
        cast(null as {{ dbt.type_string() }}) as degurba,
        cast(null as {{ dbt.type_string() }}) as degurba_label,
        cast(null as date) as label_date,
        cast(null as integer) as label_round,
        cast(null as {{ dbt.type_string() }}) as fabrique_type,
        cast(null as {{ dbt.type_string() }}) as fabrique_type_label,
        cast(null as {{ dbt.type_string() }}) as site_status,
        cast(null as {{ dbt.type_string() }}) as site_status_label,
        'registry_row_set_aside' as registry_status,
        registry_rows_set_aside.original_values as registry_original_values
    from registry_rows_set_aside
    cross join years

)

select * from labelled_sheets
union all
select * from set_aside_sheets
order by year, site_id
