-- One row per grant decision of the current campaign, with its funder's type and what has been paid on it.
with grants as (

    select * from {{ ref('int_grants_flagged_as_state') }}

),

funders as (

    select
        funder_id,
        funder_type,
        is_in_catalogue
    from {{ ref('dim_funder') }}

),

payments_per_grant as (

    select * from {{ ref('int_payments_summed_per_grant') }}

)

select
    grants.grant_ref,
    grants.site_id,
    grants.funder_id,
    grants.funder_name,
    coalesce(funders.funder_type, 'unknown') as funder_type,
    coalesce(funders.is_in_catalogue, false) as is_funder_in_catalogue,
    grants.programme,
    grants.is_state_grant,
    grants.convention_date,
    cast(extract(year from grants.convention_date) as integer) as convention_year,
    grants.purpose,
    grants.amount_eur,
    grants.payment_terms,
    grants.payment_period,
    grants.payment_period_start,
    grants.payment_period_end,
    coalesce(payments_per_grant.payment_count, 0) as payment_count,
    cast(coalesce(payments_per_grant.paid_eur, 0) as decimal(18, 2)) as paid_eur,
    cast(grants.amount_eur - coalesce(payments_per_grant.paid_eur, 0) as decimal(18, 2)) as remaining_eur,
    payments_per_grant.first_payment_date,
    payments_per_grant.last_payment_date,
    grants.campaign_key,
    grants.source_file,
    grants.source_row
from grants
left join funders
    on grants.funder_id = funders.funder_id
left join payments_per_grant
    on grants.grant_ref = payments_per_grant.grant_ref
