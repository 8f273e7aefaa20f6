-- The raw schema: what ingestion writes and dbt reads (ARCHITECTURE.md, "raw tables").
-- Every campaign table starts with campaign_key, source_file, source_row.
create schema if not exists raw;

create table if not exists raw.campaigns (
    campaign_key varchar primary key,
    campaign_name varchar not null,
    reporting_year integer not null,
    load_seq integer not null
);

create table if not exists raw.registry (
    campaign_key varchar not null, source_file varchar not null, source_row integer not null,
    site_id varchar not null, site_name varchar not null, commune_insee varchar not null,
    commune_code varchar not null, label_date date not null, label_round integer not null,
    territory_target varchar not null, fabrique_type varchar not null, legal_form varchar not null,
    siret varchar, status varchar not null
);

create table if not exists raw.grants (
    campaign_key varchar not null, source_file varchar not null, source_row integer not null,
    referenceDecision varchar not null, site_id varchar not null, nomAttribuant varchar not null,
    idAttribuant varchar not null, dateConvention date not null, objet varchar,
    montant decimal(18, 2) not null, conditionsVersement varchar not null, datesPeriodeVersement varchar,
    programme varchar not null
);

create table if not exists raw.payments (
    campaign_key varchar not null, source_file varchar not null, source_row integer not null,
    referenceDecision varchar not null, payment_date date not null, amount_eur decimal(18, 2) not null
);

create table if not exists raw.site_year (
    campaign_key varchar not null, source_file varchar not null, source_row integer not null,
    site_id varchar not null, year integer not null, people_total bigint not null,
    employees_fte double not null, jobs_created double not null, volunteers bigint not null,
    open_days integer not null, expenses_eur decimal(18, 2) not null
);

create table if not exists raw.activities (
    campaign_key varchar not null, source_file varchar not null, source_row integer not null,
    site_id varchar not null, year integer not null, activity_type varchar not null,
    sessions bigint not null, hours double not null, participations bigint not null
);

create table if not exists raw.beneficiaries (
    campaign_key varchar not null, source_file varchar not null, source_row integer not null,
    site_id varchar not null, year integer not null, category varchar not null, people bigint not null
);

create table if not exists raw.finances (
    campaign_key varchar not null, source_file varchar not null, source_row integer not null,
    site_id varchar not null, year integer not null, line varchar not null, amount_eur decimal(18, 2) not null
);

create table if not exists raw.network (
    campaign_key varchar not null, source_file varchar not null, source_row integer not null,
    site_id varchar not null, year integer not null, place_name varchar not null,
    commune_insee varchar not null, commune_code varchar not null, support_type varchar not null
);

create table if not exists raw.manifest (
    campaign_key varchar not null, source_file varchar not null, table_name varchar,
    sha256 varchar not null, rows_read integer not null, rows_loaded integer not null,
    rows_quarantined integer not null, status varchar not null, message varchar
);

create table if not exists raw.quarantine (
    campaign_key varchar not null, source_file varchar not null, source_row integer,
    table_name varchar, column_name varchar, reason_code varchar not null,
    message varchar not null, message_en varchar not null, original_values varchar
);

create table if not exists raw.flags (
    campaign_key varchar not null, source_file varchar not null, source_row integer,
    table_name varchar, column_name varchar, flag_code varchar not null,
    message varchar not null, message_en varchar not null
);
