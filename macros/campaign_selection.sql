{#-
    Which campaign counts (ARCHITECTURE.md), written once and used by every campaign staging model.

    The order of the campaigns is computed in one model, `stg_campaign__campaigns` (`campaign_order`: 1 for the
    oldest, highest for the current campaign, ordered by (reporting_year, load_seq)). These two macros select,
    from a raw campaign table, the rows that count:

    - rows_of_current_campaign(relation): the registry, grants and payments are cumulative, so only the rows of
      the current campaign count.
    - rows_of_latest_campaign_per_site_year(relation, only_years_missing_from): site reports are per year; for
      each (site_id, year) the rows of the latest campaign that holds that site-year in this table count,
      earlier copies are superseded (never summed); sites are compared as identifiers are (canonical_id). A site-year can thus come from an older campaign when a
      newer one does not repeat it. With `only_years_missing_from` (a relation with a `year` column), only the
      years it does not hold are selected: what an incremental build adds.

    Both return the relation's own columns unchanged (renaming happens in the staging model); the site-year
    macro adds `campaign_load_seq`, the load of the campaign the rows come from.

    The site-report staging models are incremental tables, rebuilt year by year (see
    delete_years_to_rebuild below): adding a campaign recomputes only the years it holds.
-#}

{% macro rows_of_current_campaign(relation) %}
    select loaded.*
    from {{ relation }} as loaded
    inner join {{ ref('stg_campaign__campaigns') }} as campaigns
        on campaigns.campaign_key = loaded.campaign_key
    where campaigns.is_current_campaign
{% endmacro %}


{% macro rows_of_latest_campaign_per_site_year(relation, only_years_missing_from=none) %}
    select loaded.*, campaigns.load_seq as campaign_load_seq
    from {{ relation }} as loaded
    inner join {{ ref('stg_campaign__campaigns') }} as campaigns
        on campaigns.campaign_key = loaded.campaign_key
    inner join (
        select
            {{ canonical_id('held.site_id') }} as site_key,
            held.year,
            max(holding_campaigns.campaign_order) as latest_campaign_order
        from {{ relation }} as held
        inner join {{ ref('stg_campaign__campaigns') }} as holding_campaigns
            on holding_campaigns.campaign_key = held.campaign_key
        {%- if only_years_missing_from is not none %}
        where held.year not in (select year from {{ only_years_missing_from }})
        {%- endif %}
        group by {{ canonical_id('held.site_id') }}, held.year
    ) as latest_per_site_year
        on latest_per_site_year.site_key = {{ canonical_id('loaded.site_id') }}
        and latest_per_site_year.year = loaded.year
        and latest_per_site_year.latest_campaign_order = campaigns.campaign_order
{% endmacro %}


{#-
    Pre-hook of an incremental site-report staging model (rows keyed by year, with `campaign_load_seq`): deletes
    the years whose rows may no longer be those that count, so that the build re-selects them in full:
      * a year holding rows of a load (a campaign, as loaded) that the table has no row of for that year: a new
        campaign, a reloaded one (reloading gives a new load_seq), or one superseded there (re-selected each time,
        harmless);
      * a year holding rows of a load that no longer exists (the campaign was reloaded since).
    Every other year keeps exactly the rows it had: the campaigns holding it and their order are unchanged.
    Loads never change once written (ingestion replaces a campaign as a new load), and the whole project is
    rebuilt from scratch when its code changes (fabriques.dbt_build passes --full-refresh then).
-#}
{% macro delete_years_to_rebuild(relation) %}
    {%- if is_incremental() %}
    delete from {{ this }}
    where year in (
        with loads_per_year as (
            select distinct loaded.year, campaigns.load_seq
            from {{ relation }} as loaded
            inner join {{ source('raw', 'campaigns') }} as campaigns
                on campaigns.campaign_key = loaded.campaign_key
        ),
        built_loads_per_year as (
            select distinct year, campaign_load_seq as load_seq from {{ this }}
        )
        select year from (
            select year, load_seq from loads_per_year
            except
            select year, load_seq from built_loads_per_year
        ) as loads_not_built
        union
        select year from built_loads_per_year
        where load_seq not in (select load_seq from {{ source('raw', 'campaigns') }})
    )
    {%- endif %}
{% endmacro %}
