-- The current campaign's payments summed per grant (grants without payments have no row here).
with payments as (

    select * from {{ ref('stg_campaign__payments') }}

)

select
    grant_ref,
    cast(count(*) as integer) as payment_count,
    cast(sum(amount_eur) as decimal(18, 2)) as paid_eur,
    min(payment_date) as first_payment_date,
    max(payment_date) as last_payment_date
from payments
group by grant_ref
