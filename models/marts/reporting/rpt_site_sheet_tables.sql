-- What a site sheet says of each table of the site's annual report: for every sheet (rpt_site_sheets: year and
-- site) and table of the report (code list report_table), the rows of the year that count (the selection of the
-- staging models), the rows of the year's campaigns that were set aside, and what follows:
--   used              rows count, none set aside;
--   partly_set_aside  rows count, others were set aside;
--   set_aside         rows were received and all were set aside (or the site's file could not be read);
--   not_received      nothing was received.
with sheets as (

    select
        year,
        site_id
    from {{ ref('rpt_site_sheets') }}

),

report_tables as (

    select
        code as table_name,
        sort_order,
        label as table_label
    from {{ ref('stg_programme__code_lists') }}
    where domain = 'report_table'

),

rows_used as (

    {% for table_name in ['site_year', 'activities', 'beneficiaries', 'finances', 'network'] %}
        select
            site_id,
            year,
            '{{ table_name }}' as table_name,
            count(*) as rows_used
        from {{ ref('stg_campaign__' ~ table_name) }}
        group by site_id, year
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

-- rows set aside, by the campaign's year; a duplicate row is counted once, so it is not set aside
rows_set_aside as (

    select
        site_id,
        reporting_year as year,
        table_name,
        count(distinct source_file || ':' || cast(source_row as {{ dbt.type_string() }})) as rows_set_aside
    from {{ ref('fct_site_quarantined_rows') }}
    where source_row is not null
        and reason_code <> 'duplicate_row'
    group by site_id, reporting_year, table_name

),

-- whole files of the site that could not be read (of any table, or of none recognised)
files_set_aside as (

    select
        site_id,
        reporting_year as year,
        count(distinct source_file) as files_set_aside
    from {{ ref('fct_site_quarantined_rows') }}
    where source_row is null
    group by site_id, reporting_year

),

counted as (

    select
        sheets.year,
        sheets.site_id,
        report_tables.table_name,
        report_tables.sort_order,
        report_tables.table_label,
        coalesce(rows_used.rows_used, 0) as rows_used,
        coalesce(rows_set_aside.rows_set_aside, 0) as rows_set_aside,
        coalesce(files_set_aside.files_set_aside, 0) as files_set_aside
    from sheets
    cross join report_tables
    left join rows_used
        on sheets.site_id = rows_used.site_id
            and sheets.year = rows_used.year
            and report_tables.table_name = rows_used.table_name
    left join rows_set_aside
        on sheets.site_id = rows_set_aside.site_id
            and sheets.year = rows_set_aside.year
            and report_tables.table_name = rows_set_aside.table_name
    left join files_set_aside
        on sheets.site_id = files_set_aside.site_id
            and sheets.year = files_set_aside.year

)

select
    year,
    site_id,
    table_name,
    sort_order,
    table_label,
    rows_used,
    rows_set_aside,
    files_set_aside,
    case
        when rows_used > 0 and rows_set_aside = 0 then 'used'
        when rows_used > 0 then 'partly_set_aside'
        when rows_set_aside > 0 or files_set_aside > 0 then 'set_aside'
        else 'not_received'
    end as reception
from counted
order by year, site_id, sort_order
