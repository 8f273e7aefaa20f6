-- One row per payment of the current campaign, with the grant it pays (site, funder, State or not).
with payments as (

    select * from {{ ref('stg_campaign__payments') }}

),

grants as (

    select
        grant_ref,
        site_id,
        funder_id,
        is_state_grant
    from {{ ref('int_grants_flagged_as_state') }}

)

select
    payments.payment_id,
    payments.grant_ref,
    payments.payment_seq,
    grants.site_id,
    grants.funder_id,
    grants.is_state_grant,
    payments.payment_date,
    cast(extract(year from payments.payment_date) as integer) as payment_year,
    payments.amount_eur,
    payments.campaign_key,
    payments.source_file,
    payments.source_row
from payments
left join grants
    on payments.grant_ref = grants.grant_ref
