-- Grant decisions of the current campaign (cumulative: all years), renamed from the SCDL columns.
with grants as (

    {{ rows_of_current_campaign(source('raw', 'grants')) }}
),

renamed as (

    select
        {{ canonical_id('"referenceDecision"') }} as grant_ref,
        {{ canonical_id('site_id') }} as site_id,
        nomAttribuant as funder_name,
        idAttribuant as funder_id,
        cast(dateConvention as date) as convention_date,
        objet as purpose,
        cast(montant as decimal(18, 2)) as amount_eur,
        conditionsVersement as payment_terms,
        datesPeriodeVersement as payment_period,
        {{ text_to_date_or_null("nullif(split_part(\"datesPeriodeVersement\", '/', 1), '')") }} as payment_period_start,
        {{ text_to_date_or_null("nullif(split_part(\"datesPeriodeVersement\", '/', 2), '')") }} as payment_period_end,
        programme,
        campaign_key,
        source_file,
        source_row
    from grants

)

select * from renamed
