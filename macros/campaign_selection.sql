{#-
    Which campaign counts (ARCHITECTURE.md), written once and used by every campaign staging model.

    The order of the campaigns is computed in one model, `stg_campaign__campaigns` (`campaign_order`: 1 for the
    oldest, highest for the current campaign, ordered by (reporting_year, load_seq)). These two macros select,
    from a raw campaign table, the rows that count:

    - rows_of_current_campaign(relation): the registry, grants and payments are cumulative, so only the rows of
      the current campaign count.
    - rows_of_latest_campaign_per_site_year(relation): site reports are per year; for each (site_id, year) the
      rows of the latest campaign that holds that site-year in this table count, earlier copies are superseded
      (never summed). A site-year can thus come from an older campaign when a newer one does not repeat it.

    Both return the relation's own columns unchanged (renaming happens in the staging model).
-#}

{% macro rows_of_current_campaign(relation) %}
    select loaded.*
    from {{ relation }} as loaded
    inner join {{ ref('stg_campaign__campaigns') }} as campaigns
        on campaigns.campaign_key = loaded.campaign_key
    where campaigns.is_current_campaign
{% endmacro %}


{% macro rows_of_latest_campaign_per_site_year(relation) %}
    select loaded.*
    from {{ relation }} as loaded
    inner join {{ ref('stg_campaign__campaigns') }} as campaigns
        on campaigns.campaign_key = loaded.campaign_key
    inner join (
        select
            held.site_id,
            held.year,
            max(holding_campaigns.campaign_order) as latest_campaign_order
        from {{ relation }} as held
        inner join {{ ref('stg_campaign__campaigns') }} as holding_campaigns
            on holding_campaigns.campaign_key = held.campaign_key
        group by held.site_id, held.year
    ) as latest_per_site_year
        on latest_per_site_year.site_id = loaded.site_id
        and latest_per_site_year.year = loaded.year
        and latest_per_site_year.latest_campaign_order = campaigns.campaign_order
{% endmacro %}
