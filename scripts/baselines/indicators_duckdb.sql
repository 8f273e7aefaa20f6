-- The 15 core indicators (docs/REPORTING_PACK.md, section 5) in one hand-written DuckDB query over the raw
-- tables that ingestion writes: what the engine alone needs for this work, the benchmark's reference point.
-- It reads nothing that dbt builds (the raw and programme schemas are written by the run). Variables: reference_dir
-- (data/reference) and seeds_dir (seeds).
--
-- Rules applied, as ARCHITECTURE.md and docs/DECISIONS.md state them:
--   * the registry, grants and payments of the current campaign count (highest reporting_year, then load_seq);
--   * site reports: per table and (site_id, year), the rows of the latest campaign holding that site-year;
--   * a site counts in a year from its label date (label_date <= 31 December), in every indicator, at the
--     scopes of its commune in the current registry; a report of a site missing from it counts nowhere;
--   * the national scope is reported every year, another scope in a year where it holds a labelled site;
--     FT06 at site scope only for the sites with a State grant by then;
--   * additive figures of a scope without rows are 0, a ratio over 0 is NULL.
-- Output: indicator_code, year, scope_type, scope_code, value (double).
with

campaigns as (

    select
        campaign_key,
        reporting_year,
        row_number() over (order by reporting_year, load_seq) as campaign_order,
        count(*) over () as campaign_count
    from raw.campaigns

),

current_campaign as (

    select campaign_key from campaigns where campaign_order = campaign_count

),

programme_parameters as (

    select
        cast(max(case when parameter = 'grant_min_eur' then value end) as decimal(18, 2)) as grant_min_eur,
        cast(max(case when parameter = 'grant_max_eur' then value end) as decimal(18, 2)) as grant_max_eur
    from programme.parameters

),

-- region of today's communes (COG), and of the overseas collectivities the COG list leaves out
commune_regions as (

    select trim(COM) as commune_code, nullif(trim(REG), '') as region_code
    from read_csv(getvariable('reference_dir') || '/insee_cog2026_communes.csv', header = true, all_varchar = true)
    where trim(TYPECOM) = 'COM'

    union all

    select commune_code, collectivity_code as region_code
    from read_csv(getvariable('seeds_dir') || '/territory_collectivities.csv', header = true, all_varchar = true)
    where commune_code not in (
        select trim(COM)
        from read_csv(getvariable('reference_dir') || '/insee_cog2026_communes.csv', header = true,
                      all_varchar = true)
        where trim(TYPECOM) = 'COM'
    )

),

-- DEGURBA class of each commune from INSEE's 7-level density grid (level 1: cities; 2-4: towns; 5-7: rural)
commune_degurba as (

    select
        trim(insee_com) as commune_code,
        case trim(niveau_densite)
            when 'Grands centres urbains' then '1'
            when 'Centres urbains intermédiaires' then '2'
            when 'Petites villes' then '2'
            when 'Ceintures urbaines' then '2'
            when 'Bourgs ruraux' then '3'
            when 'Rural à habitat dispersé' then '3'
            when 'Rural à habitat très dispersé' then '3'
        end as degurba
    from read_csv(getvariable('reference_dir') || '/ot_grille_densite_7niveaux_communes.csv', header = true,
                  all_varchar = true)

),

sites as (

    select
        registry.site_id,
        registry.label_date,
        registry.territory_target,
        commune_regions.region_code,
        commune_degurba.degurba
    from raw.registry as registry
    inner join current_campaign using (campaign_key)
    left join commune_regions using (commune_code)
    left join commune_degurba using (commune_code)

),

-- report rows that count: per table and site-year, those of the latest campaign holding it
site_year as (

    select site_year.*
    from raw.site_year as site_year
    inner join campaigns using (campaign_key)
    qualify campaign_order = max(campaign_order) over (partition by site_id, year)

),

activities as (

    select activities.*
    from raw.activities as activities
    inner join campaigns using (campaign_key)
    qualify campaign_order = max(campaign_order) over (partition by site_id, year)

),

finances as (

    select finances.*
    from raw.finances as finances
    inner join campaigns using (campaign_key)
    qualify campaign_order = max(campaign_order) over (partition by site_id, year)

),

network as (

    select network.*
    from raw.network as network
    inner join campaigns using (campaign_key)
    qualify campaign_order = max(campaign_order) over (partition by site_id, year)

),

-- from the first label year to the last year that a report, a campaign or a label date names
years as (

    select cast(unnest(generate_series(
        coalesce((select min(year(label_date)) from sites), (select min(reporting_year) from campaigns)),
        (select max(year) from (
            select year from raw.site_year union all select year from raw.activities
            union all select year from raw.finances union all select year from raw.network
            union all select year from raw.beneficiaries union all select reporting_year from campaigns
            union all select year(label_date) from sites
        ))
    )) as integer) as year

),

state_grants as (

    select grants.referenceDecision, grants.site_id, grants.dateConvention, grants.montant
    from raw.grants as grants
    inner join current_campaign using (campaign_key)
    where grants.programme in (select programme_code from programme.grant_codes)

),

state_payments as (

    select state_grants.site_id, payments.payment_date, payments.amount_eur
    from raw.payments as payments
    inner join current_campaign using (campaign_key)
    inner join state_grants using (referenceDecision)

),

labelled_site_years as (

    select sites.*, years.year
    from sites
    inner join years on sites.label_date <= make_date(years.year, 12, 31)

),

people_and_jobs as (

    select site_id, year, sum(people_total) as people_reached, sum(employees_fte) as jobs_fte
    from site_year
    group by site_id, year

),

activity_totals as (

    select site_id, year, sum(participations) as participations, sum(hours) as activity_hours
    from activities
    group by site_id, year

),

revenue_totals as (

    select
        site_id,
        year,
        sum(amount_eur) filter (where line in ('own_sales', 'own_services', 'own_memberships'))
            as own_revenue_eur,
        sum(amount_eur) as total_revenue_eur,
        sum(amount_eur) filter (
            where line in ('public_region', 'public_department', 'public_municipal', 'public_eu', 'private_grants')
        ) as cofunding_eur
    from finances
    group by site_id, year

),

places_supported as (

    select site_id, year, count(distinct (place_name, commune_code)) as places_supported
    from network
    group by site_id, year

),

-- State grants agreed and paid by 31 December of each year, and paid during it, per site
state_committed_to_date as (

    select state_grants.site_id, years.year, sum(state_grants.montant) as state_committed_eur
    from state_grants
    inner join years on state_grants.dateConvention <= make_date(years.year, 12, 31)
    group by all

),

state_paid_to_date as (

    select state_payments.site_id, years.year, sum(state_payments.amount_eur) as state_paid_eur
    from state_payments
    inner join years on state_payments.payment_date <= make_date(years.year, 12, 31)
    group by all

),

state_paid_in_year as (

    select site_id, year(payment_date) as year, sum(amount_eur) as state_paid_in_year_eur
    from state_payments
    group by all

),

-- per labelled site and year, every measure the indicators sum
site_measures as (

    select
        labelled.site_id,
        labelled.year,
        1 as labelled_sites,
        case when labelled.territory_target = 'qpv' then 1 else 0 end as qpv_sites,
        case when labelled.territory_target = 'rural' then 1 else 0 end as rural_sites,
        people_and_jobs.site_id is not null as has_report,
        state_committed_to_date.state_committed_eur,
        state_paid_to_date.state_paid_eur,
        state_paid_in_year.state_paid_in_year_eur,
        people_and_jobs.people_reached,
        people_and_jobs.jobs_fte,
        activity_totals.participations,
        activity_totals.activity_hours,
        revenue_totals.own_revenue_eur,
        revenue_totals.total_revenue_eur,
        revenue_totals.cofunding_eur,
        places_supported.places_supported
    from labelled_site_years as labelled
    left join people_and_jobs using (site_id, year)
    left join activity_totals using (site_id, year)
    left join revenue_totals using (site_id, year)
    left join places_supported using (site_id, year)
    left join state_committed_to_date using (site_id, year)
    left join state_paid_to_date using (site_id, year)
    left join state_paid_in_year using (site_id, year)

),

site_scopes as (

    select site_id, year, 'national' as scope_type, 'FR' as scope_code from labelled_site_years
    union all
    select site_id, year, 'region', region_code from labelled_site_years where region_code is not null
    union all
    select site_id, year, 'territory_target', territory_target from labelled_site_years
    where territory_target is not null
    union all
    select site_id, year, 'degurba', degurba from labelled_site_years where degurba is not null
    union all
    select site_id, year, 'site', site_id from labelled_site_years

),

-- every reported scope and year; the national scope also in a year without labelled sites
scope_sums as (

    select
        site_scopes.year,
        site_scopes.scope_type,
        site_scopes.scope_code,
        sum(labelled_sites) as labelled_sites,
        sum(qpv_sites) as qpv_sites,
        sum(rural_sites) as rural_sites,
        count(*) filter (where has_report) as reporting_sites,
        count(state_committed_eur) as funded_sites,
        count(*) filter (where state_committed_eur between (select grant_min_eur from programme_parameters)
                                                      and (select grant_max_eur from programme_parameters))
            as funded_sites_in_bounds,
        cast(coalesce(sum(state_committed_eur), 0) as double) as state_committed_eur,
        cast(coalesce(sum(state_paid_eur), 0) as double) as state_paid_eur,
        cast(coalesce(sum(state_paid_in_year_eur), 0) as double) as state_paid_in_year_eur,
        cast(coalesce(sum(people_reached), 0) as double) as people_reached,
        cast(coalesce(sum(participations), 0) as double) as participations,
        cast(coalesce(sum(activity_hours), 0) as double) as activity_hours,
        cast(coalesce(sum(jobs_fte), 0) as double) as jobs_fte,
        cast(coalesce(sum(own_revenue_eur), 0) as double) as own_revenue_eur,
        cast(coalesce(sum(total_revenue_eur), 0) as double) as total_revenue_eur,
        cast(coalesce(sum(cofunding_eur), 0) as double) as cofunding_eur,
        cast(coalesce(sum(places_supported), 0) as double) as places_supported
    from site_scopes
    inner join site_measures using (site_id, year)
    group by all

    union all

    select
        year, 'national', 'FR', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    from years
    where year not in (select year from labelled_site_years)

),

scope_values as (

    select
        year, scope_type, scope_code, funded_sites,
        cast(labelled_sites as double) as FT01_sites_labelled,
        cast(qpv_sites as double) as FT02_sites_qpv,
        cast(rural_sites as double) as FT03_sites_rural,
        state_committed_eur as FT04_state_committed_eur,
        state_paid_eur as FT05_state_paid_eur,
        100.0 * funded_sites_in_bounds / nullif(funded_sites, 0) as FT06_grant_in_bounds_pct,
        people_reached as FT07_people_reached,
        participations as FT08_participations,
        activity_hours as FT09_activity_hours,
        jobs_fte as FT10_jobs_fte,
        100.0 * own_revenue_eur / nullif(total_revenue_eur, 0) as FT11_own_revenue_pct,
        cofunding_eur / nullif(state_paid_in_year_eur, 0) as FT12_cofunding_leverage,
        places_supported as FT13_places_supported,
        state_paid_in_year_eur / nullif(people_reached, 0) as FT14_state_eur_per_person,
        100.0 * reporting_sites / nullif(labelled_sites, 0) as FT15_reporting_pct
    from scope_sums

),

indicator_values as (

    select *
    from scope_values
    unpivot include nulls (value for indicator_code in (
        FT01_sites_labelled, FT02_sites_qpv, FT03_sites_rural, FT04_state_committed_eur, FT05_state_paid_eur,
        FT06_grant_in_bounds_pct, FT07_people_reached, FT08_participations, FT09_activity_hours, FT10_jobs_fte,
        FT11_own_revenue_pct, FT12_cofunding_leverage, FT13_places_supported, FT14_state_eur_per_person,
        FT15_reporting_pct
    ))

)

select
    indicator_code,
    cast(year as integer) as year,
    scope_type,
    cast(scope_code as varchar) as scope_code,
    cast(value as double) as value
from indicator_values
-- FT06 at site scope: only the sites with a State grant by then
where not (indicator_code = 'FT06_grant_in_bounds_pct' and scope_type = 'site' and funded_sites = 0)
order by indicator_code, year, scope_type, scope_code
