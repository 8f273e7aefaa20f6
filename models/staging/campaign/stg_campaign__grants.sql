{#- The start and the end of the payment period, written `start/end`. -#}
{%- set period_start = dbt.split_part('datesPeriodeVersement', "'/'", 1) -%}
{%- set period_end = dbt.split_part('datesPeriodeVersement', "'/'", 2) -%}

-- Grant decisions of the current campaign (cumulative: all years), renamed from the SCDL columns.
with grants as (

    {{ rows_of_current_campaign(source('raw', 'grants')) }}
),

renamed as (

    select
        {{ canonical_id('referenceDecision') }} as grant_ref,
        {{ canonical_id('site_id') }} as site_id,
        nomAttribuant as funder_name,
        idAttribuant as funder_id,
        cast(dateConvention as date) as convention_date,
        objet as purpose,
        cast(montant as decimal(18, 2)) as amount_eur,
        conditionsVersement as payment_terms,
        datesPeriodeVersement as payment_period,
        {{ text_to_date_or_null("nullif(" ~ period_start ~ ", '')") }} as payment_period_start,
        {{ text_to_date_or_null("nullif(" ~ period_end ~ ", '')") }} as payment_period_end,
        programme,
        campaign_key,
        source_file,
        source_row
    from grants

)

select * from renamed
