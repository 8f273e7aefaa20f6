-- A site's figures for a year beside those of its peers, for the site sheets: one row per site labelled by
-- 31 December of the year, year of dim_year and measure. A site's peers are the other sites with the same
-- territory_target and DEGURBA class labelled by 31 December of that year (a site whose commune has no DEGURBA
-- has no peers). The site's value is its site-scope indicator (fct_indicators, so that the sheet and
-- indicators.csv agree), left empty where the site sent nothing to compute it from (no report, no activity
-- rows): a missing report is not a zero. The peer median and mean are over the peers that have a value.
-- The figures compared are listed in the seed site_sheet_measures.
with sites as (

    select
        site_id,
        territory_target,
        cast(degurba as {{ dbt.type_string() }}) as degurba
    from {{ ref('dim_site') }}

),

-- the figures compared (seed site_sheet_measures): the indicator each reads, what the site must have sent
measures as (

    select
        cast(measure_code as {{ dbt.type_string() }}) as measure_code,
        cast(indicator_code as {{ dbt.type_string() }}) as indicator_code,
        cast(sort_order as integer) as sort_order,
        cast(requires as {{ dbt.type_string() }}) as requires,
        cast(is_people_count as boolean) as is_people_count
    from {{ ref('site_sheet_measures') }}

),

site_indicators as (

    select
        scope_code as site_id,
        year,
        indicator_code,
        value
    from {{ ref('fct_indicators') }}
    where scope_type = 'site'

),

indicators as (

    select
        indicator_code,
        name,
        unit
    from {{ ref('dim_indicator') }}

),

-- one row per site and year in which it is labelled (fct_site_year_measures), with what it sent for the year:
-- its annual report, activities, places supported
labelled_site_years as (

    select
        site_year_measures.site_id,
        site_year_measures.year,
        sites.territory_target,
        sites.degurba,
        count(*) filter (where site_year_measures.measure_code = 'site_reports') > 0 as has_annual_report,
        count(*) filter (where site_year_measures.measure_code = 'participations') > 0 as has_activities,
        count(*) filter (where site_year_measures.measure_code = 'places_supported') > 0 as has_network
    from {{ ref('fct_site_year_measures') }} as site_year_measures
    inner join sites
        on site_year_measures.site_id = sites.site_id
    group by site_year_measures.site_id, site_year_measures.year, sites.territory_target, sites.degurba

),

site_values as (

    select
        labelled_site_years.site_id,
        labelled_site_years.year,
        labelled_site_years.territory_target,
        labelled_site_years.degurba,
        measures.measure_code,
        measures.indicator_code,
        measures.sort_order,
        measures.is_people_count,
        case
            when measures.requires = 'site_year' and not labelled_site_years.has_annual_report then null
            when measures.requires = 'activities' and not labelled_site_years.has_activities then null
            when measures.requires = 'site_year_or_network'
                and not (labelled_site_years.has_annual_report or labelled_site_years.has_network) then null
            else site_indicators.value
        end as site_value
    from labelled_site_years
    cross join measures
    left join site_indicators
        on labelled_site_years.site_id = site_indicators.site_id
            and labelled_site_years.year = site_indicators.year
            and measures.indicator_code = site_indicators.indicator_code

),

-- A site's peers are its group (same year, measure, territory_target and DEGURBA class) without itself, so each
-- peer figure is its group's figure with the site's own value taken out: no site is paired with each of its
-- peers (such a join grows with the square of the group's size).
ranked_site_values as (

    select
        site_values.*,
        -- the site's place among its group's values in ascending order (NULL without a value)
        case when site_values.site_value is not null then row_number() over (
                    partition by
                        site_values.year,
                        site_values.measure_code,
                        site_values.territory_target,
                        site_values.degurba,
                        site_values.site_value is null
                    order by site_values.site_value
                )
        end as value_rank
    from site_values

),

-- per group: its sites, its values' count and sum, and where the three middle values start (ascending positions
-- middle_position to middle_position + 2, among which the median of the group less one value always lies)
peer_groups as (

    select
        year,
        measure_code,
        territory_target,
        degurba,
        count(*) as site_count,
        count(site_value) as value_count,
        sum(site_value) as value_sum,
        greatest({{ floor_division('count(site_value) - 1', 2) }}, 1) as middle_position
    from site_values
    where territory_target is not null and degurba is not null
    group by year, measure_code, territory_target, degurba

),

group_middles as (

    select
        peer_groups.year,
        peer_groups.measure_code,
        peer_groups.territory_target,
        peer_groups.degurba,
        peer_groups.site_count,
        peer_groups.value_count,
        peer_groups.value_sum,
        peer_groups.middle_position,
        max(case when middles.value_rank = peer_groups.middle_position then middles.site_value end)
            as middle_value_0,
        max(case when middles.value_rank = peer_groups.middle_position + 1 then middles.site_value end)
            as middle_value_1,
        max(case when middles.value_rank = peer_groups.middle_position + 2 then middles.site_value end)
            as middle_value_2
    from peer_groups
    left join ranked_site_values as middles
        on peer_groups.year = middles.year
            and peer_groups.measure_code = middles.measure_code
            and peer_groups.territory_target = middles.territory_target
            and peer_groups.degurba = middles.degurba
            and middles.value_rank between peer_groups.middle_position and peer_groups.middle_position + 2
    group by
        peer_groups.year,
        peer_groups.measure_code,
        peer_groups.territory_target,
        peer_groups.degurba,
        peer_groups.site_count,
        peer_groups.value_count,
        peer_groups.value_sum,
        peer_groups.middle_position

),

-- per site: its peers, and the ascending positions (among the peers' values) of the one or two values their
-- median takes (percentile_cont 0.5: the middle one, or the mean of the two middle ones)
peer_counts as (

    select
        ranked_site_values.site_id,
        ranked_site_values.year,
        ranked_site_values.measure_code,
        ranked_site_values.value_rank,
        coalesce(group_middles.site_count - 1, 0) as peer_count,
        coalesce(group_middles.value_count - case when ranked_site_values.site_value is null then 0 else 1 end, 0)
            as peer_value_count,
        group_middles.value_sum - coalesce(ranked_site_values.site_value, 0) as peer_value_sum,
        group_middles.middle_position,
        group_middles.middle_value_0,
        group_middles.middle_value_1,
        group_middles.middle_value_2
    from ranked_site_values
    left join group_middles
        on ranked_site_values.year = group_middles.year
            and ranked_site_values.measure_code = group_middles.measure_code
            and ranked_site_values.territory_target = group_middles.territory_target
            and ranked_site_values.degurba = group_middles.degurba

),

peer_median_positions as (

    select
        *,
        {{ floor_division('peer_value_count + 1', 2) }} as lower_peer_position,
        {{ floor_division('peer_value_count', 2) }} + 1 as upper_peer_position
    from peer_counts

),

-- the same positions among the group's values: from the site's own value up, one further
group_positions as (

    select
        *,
        lower_peer_position
        + case when value_rank is not null and lower_peer_position >= value_rank then 1 else 0 end
        - middle_position as lower_offset,
        upper_peer_position
        + case when value_rank is not null and upper_peer_position >= value_rank then 1 else 0 end
        - middle_position as upper_offset
    from peer_median_positions

),

peer_values as (

    select
        site_id,
        year,
        measure_code,
        peer_count,
        peer_value_count,
        case
            when peer_value_count = 0 then null
            when peer_value_count % 2 = 1
                then
                    case lower_offset
                        when 0 then middle_value_0 when 1 then middle_value_1 when 2 then middle_value_2
                    end
            else (
                case lower_offset when 0 then middle_value_0 when 1 then middle_value_1 when 2 then middle_value_2 end
                + case upper_offset when 0 then middle_value_0 when 1 then middle_value_1 when 2 then middle_value_2 end
            ) / 2
        end as peer_median,
        peer_value_sum / nullif(peer_value_count, 0) as peer_mean
    from group_positions

)

select
    site_values.site_id,
    site_values.year,
    site_values.measure_code,
    site_values.indicator_code,
    cast(site_values.sort_order as integer) as sort_order,
    indicators.name as indicator_name,
    indicators.unit,
    site_values.is_people_count,
    site_values.territory_target,
    site_values.degurba,
    cast(site_values.site_value as {{ type_double() }}) as site_value,
    cast(peer_values.peer_count as integer) as peer_count,
    cast(peer_values.peer_value_count as integer) as peer_value_count,
    cast(peer_values.peer_median as {{ type_double() }}) as peer_median,
    cast(peer_values.peer_mean as {{ type_double() }}) as peer_mean
from site_values
inner join peer_values
    on site_values.site_id = peer_values.site_id
        and site_values.year = peer_values.year
        and site_values.measure_code = peer_values.measure_code
left join indicators
    on site_values.indicator_code = indicators.indicator_code
order by site_values.site_id, site_values.year, site_values.sort_order
