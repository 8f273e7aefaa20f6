-- Payments of the current campaign (cumulative: all years). A payment has no reference of its own: it is
-- numbered within its grant (payment_seq, by date, amount, then position in the file), which gives a stable key.
with payments as (

    {{ rows_of_current_campaign(source('raw', 'payments')) }}
),

renamed as (

    select
        {{ canonical_id('referenceDecision') }} as grant_ref,
        cast(payment_date as date) as payment_date,
        cast(amount_eur as decimal(18, 2)) as amount_eur,
        campaign_key,
        source_file,
        source_row
    from payments

),

numbered as (

    select
        grant_ref,
        cast(row_number() over (
            partition by grant_ref
            order by payment_date, amount_eur, source_file, source_row
        ) as integer) as payment_seq,
        payment_date,
        amount_eur,
        campaign_key,
        source_file,
        source_row
    from renamed

)

select
    grant_ref || '#' || cast(payment_seq as {{ dbt.type_string() }}) as payment_id,
    *
from numbered
