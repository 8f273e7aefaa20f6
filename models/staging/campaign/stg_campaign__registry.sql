-- The programme registry of the current campaign: one row per site.
with registry as (

    {{ rows_of_current_campaign(source('raw', 'registry')) }}
),

renamed as (

    select
        {{ canonical_id('site_id') }} as site_id,
        site_name,
        commune_insee,
        commune_code,
        cast(label_date as date) as label_date,
        cast(label_round as integer) as label_round,
        territory_target,
        fabrique_type,
        legal_form,
        siret,
        status as site_status,
        campaign_key,
        source_file,
        source_row
    from registry

)

select * from renamed
