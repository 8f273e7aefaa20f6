-- EU cohesion policy 2021-2027 common output (RCO) and result (RCR) indicators.
select
    trim(code) as eu_indicator_code,
    trim(indicator_type) as eu_indicator_type,
    trim(name) as eu_indicator_name,
    trim(measurement_unit) as measurement_unit
from {{ source('reference', 'eu_common_indicators') }}
