{#-
    targets_by_year(targets, years): for every target series (indicator_code, scope_type, scope_code) of
    `targets` (stg_programme__indicator_targets or a selection of it) and every year of `years` (a relation with a
    `year` column), the one target that applies: the target in force (the latest from_year on or before the
    year) or, when none is in force yet, the next one (the earliest from_year after the year), flagged by
    `is_target_in_force`. This is the only place that decides which target is in force.
-#}
{% macro targets_by_year(targets, years) %}
    select
        indicator_code,
        scope_type,
        scope_code,
        year,
        target_comparator,
        target_value,
        target_from_year,
        target_source,
        is_target_in_force
    from (
        select
            targets.indicator_code,
            targets.scope_type,
            targets.scope_code,
            years.year,
            targets.comparator as target_comparator,
            targets.target_value,
            targets.from_year as target_from_year,
            targets.source as target_source,
            targets.from_year <= years.year as is_target_in_force,
            row_number() over (
                partition by targets.indicator_code, targets.scope_type, targets.scope_code, years.year
                order by
                    case when targets.from_year <= years.year then 0 else 1 end,
                    case when targets.from_year <= years.year then -targets.from_year else targets.from_year end
            ) as preference
        from {{ targets }} as targets
        cross join {{ years }} as years
    ) as ranked_targets
    where preference = 1
{% endmacro %}
