"""The reporting pack's tables, declared once.

Every reader, parser and check of the ingestion reads this declaration, and so do the raw schema (`raw_ddl`,
migrated additively by the ingestion), the dbt sources (a test compares them), the demo generator and the tests'
campaign builder: a new column of the contract is one line here. Allowed codes come from the code lists of the
programme in force (fabriques.programme.current().code_lists()), the same rows dbt tests against, so the two never
disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from fabriques.i18n import N_

# Value kinds understood by fabriques.ingest.parsers.
TEXT, CODE, INTEGER, DECIMAL, MONEY, DATE, YEAR, COMMUNE, SIRET = (
    "text",
    "code",
    "integer",
    "decimal",
    "money",
    "date",
    "year",
    "commune",
    "siret",
)

SQL_TYPES = {
    TEXT: "varchar",
    CODE: "varchar",
    INTEGER: "bigint",
    DECIMAL: "double",
    MONEY: "decimal(18, 2)",
    DATE: "date",
    YEAR: "integer",
    COMMUNE: "varchar",
    SIRET: "varchar",
}
"""Type of a raw column of each kind."""
RESOLVED_COMMUNE = "commune_code"
"""Raw column beside each commune column: today's commune (COG) the sent code resolves to."""
PROVENANCE_COLUMNS = (
    ("campaign_key", "varchar", True),
    ("source_file", "varchar", True),
    ("source_row", "integer", True),
)
"""The columns every raw campaign table starts with: (name, type, not null)."""

MAX_TEXT_LENGTH = 1000
"""A text longer than this is not a name or a purpose: the row is quarantined (value_too_long)."""
MAX_NUMBER_DIGITS = 15
"""A number of 10^15 or more is no figure of the programme (and would not fit the warehouse's types): the row is
quarantined (out_of_range)."""


def canonical_id(text: str) -> str:
    """How identifiers are compared, everywhere (site_id, referenceDecision, a supported place's name): without
    surrounding spaces, in lower case (`  MP-012 ` = `mp-012`). The value as sent stays in the raw row; the
    warehouse's models apply the same rule (macro `canonical_id`) before any join."""
    return text.strip().lower()


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    strictly_positive: bool = False
    domain: str | None = None
    """Code-list domain (the programme's code_lists.csv) for a `code` column."""
    flag_if_invalid: bool = False
    """Optional column whose malformed value is loaded empty and flagged instead of quarantining the row."""
    aliases: tuple[str, ...] = ()
    """Other header names senders use for this column (compared after normalisation)."""
    free_text: bool = False
    """Words a person types (a name, a purpose), not a code: e-mail addresses and phone numbers in it are masked
    when it is loaded (fabriques.privacy)."""
    sql_type: str | None = None
    """Type of the raw column when it is not the kind's (SQL_TYPES)."""
    description: str = ""
    """What a site writes in the column, in English (the catalogues translate it): a site report template's
    comment on the column's header."""

    @property
    def loaded_names(self) -> tuple[str, ...]:
        """The raw columns the column loads into: a commune also loads the code it resolves to."""
        return (self.name, RESOLVED_COMMUNE) if self.kind == COMMUNE else (self.name,)

    @property
    def raw_type(self) -> str:
        return self.sql_type or SQL_TYPES[self.kind]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    """Columns that identify a row; rows sharing a key and differing elsewhere are all quarantined."""
    site_column: str | None = "site_id"
    """Column referring to a registry site (None for the registry itself and for payments)."""
    aliases: tuple[str, ...] = ()
    """Other names of the table (file stems, sheet names) after normalisation."""
    is_site_report: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


_SITE = Column(
    "site_id",
    TEXT,
    aliases=("id_site", "id_fabt", "identifiant_site", "site"),
    description=N_("The site's identifier, as the registry gives it."),
)
_YEAR = Column("year", YEAR, aliases=("annee", "exercice"), description=N_("The reporting year."))

TABLES: tuple[Table, ...] = (
    Table(
        "registry",
        (
            Column("site_id", TEXT, aliases=("id_site", "id_fabt", "identifiant_site")),
            Column("site_name", TEXT, aliases=("nom_site", "nom", "lib_projet", "name"), free_text=True),
            Column("commune_insee", COMMUNE, aliases=("code_commune", "insee_com", "code_insee", "commune")),
            Column("label_date", DATE, aliases=("date_labellisation", "date_label")),
            Column(
                "label_round", INTEGER, minimum=1, maximum=10, aliases=("vague", "round", "appel"), sql_type="integer"
            ),
            Column("territory_target", CODE, domain="territory_target", aliases=("cible_territoriale", "cible")),
            Column("fabrique_type", CODE, domain="fabrique_type", aliases=("type_fabrique", "type")),
            Column("legal_form", CODE, domain="legal_form", aliases=("forme_juridique",)),
            Column("siret", SIRET, required=False, flag_if_invalid=True),
            Column("status", CODE, domain="site_status", aliases=("statut",)),
        ),
        key=("site_id",),
        site_column=None,
        aliases=("registre", "sites"),
    ),
    Table(
        "grants",
        (
            Column("referenceDecision", TEXT, aliases=("reference_decision", "reference")),
            _SITE,
            Column("nomAttribuant", TEXT, aliases=("nom_attribuant", "financeur"), free_text=True),
            Column("idAttribuant", TEXT, aliases=("id_attribuant", "siret_attribuant")),
            Column("dateConvention", DATE, aliases=("date_convention",)),
            Column("objet", TEXT, required=False, free_text=True),
            Column("montant", MONEY, strictly_positive=True, aliases=("montant_eur", "amount_eur")),
            Column("conditionsVersement", CODE, domain="payment_terms", aliases=("conditions_versement",)),
            Column("datesPeriodeVersement", TEXT, required=False, aliases=("dates_periode_versement",)),
            Column("programme", CODE, aliases=("dispositif",)),
        ),
        key=("referenceDecision",),
        aliases=("subventions", "conventions", "attributions"),
    ),
    Table(
        "payments",
        (
            Column("referenceDecision", TEXT, aliases=("reference_decision", "reference")),
            Column("payment_date", DATE, aliases=("date_paiement", "date_versement", "date")),
            Column("amount_eur", MONEY, strictly_positive=True, aliases=("montant", "montant_verse", "amount")),
        ),
        key=(),
        site_column=None,
        aliases=("paiements", "versements"),
    ),
    Table(
        "site_year",
        (
            _SITE,
            _YEAR,
            Column(
                "people_total",
                INTEGER,
                minimum=0,
                aliases=("personnes", "nb_personnes", "usagers"),
                description=N_("Distinct people who used the site in the year: each person counted once."),
            ),
            Column(
                "employees_fte",
                DECIMAL,
                minimum=0,
                aliases=("etp", "salaries_etp"),
                description=N_("Paid jobs at the site, in full-time equivalents (a half-time job is 0.5)."),
            ),
            Column(
                "jobs_created",
                DECIMAL,
                minimum=0,
                aliases=("emplois_crees", "etp_crees"),
                description=N_("Full-time equivalents created during the year."),
            ),
            Column(
                "volunteers",
                INTEGER,
                minimum=0,
                aliases=("benevoles",),
                description=N_("Volunteers who took part in the site's life during the year."),
            ),
            Column(
                "open_days",
                INTEGER,
                minimum=0,
                maximum=366,
                aliases=("jours_ouverture",),
                sql_type="integer",
                description=N_("Days the site was open to the public during the year."),
            ),
            Column(
                "expenses_eur",
                MONEY,
                minimum=0,
                aliases=("charges", "depenses", "charges_eur"),
                description=N_("Total operating expenses of the year, in euros."),
            ),
        ),
        key=("site_id", "year"),
        aliases=("site_annee", "rapport", "bilan"),
        is_site_report=True,
    ),
    Table(
        "activities",
        (
            _SITE,
            _YEAR,
            Column(
                "activity_type",
                CODE,
                domain="activity_type",
                aliases=("type_activite", "activite"),
                description=N_("The type of activity (one row per type)."),
            ),
            Column(
                "sessions",
                INTEGER,
                minimum=0,
                aliases=("seances", "nb_seances"),
                description=N_("Events or opening slots of this type in the year."),
            ),
            Column(
                "hours",
                DECIMAL,
                minimum=0,
                aliases=("heures", "nb_heures"),
                description=N_("Hours of these sessions in the year."),
            ),
            Column(
                "participations",
                INTEGER,
                minimum=0,
                aliases=("nb_participations", "passages"),
                description=N_("Visits to these sessions: one person can count several times."),
            ),
        ),
        key=("site_id", "year", "activity_type"),
        aliases=("activites",),
        is_site_report=True,
    ),
    Table(
        "beneficiaries",
        (
            _SITE,
            _YEAR,
            Column(
                "category",
                CODE,
                domain="beneficiary_category",
                aliases=("categorie",),
                description=N_("The category of people reached (one row per category; categories overlap)."),
            ),
            Column(
                "people",
                INTEGER,
                minimum=0,
                aliases=("personnes", "nombre"),
                description=N_(
                    "Distinct people of this category reached in the year: at most people_total (organisations "
                    "count bodies, not people)."
                ),
            ),
        ),
        key=("site_id", "year", "category"),
        aliases=("beneficiaires", "publics"),
        is_site_report=True,
    ),
    Table(
        "finances",
        (
            _SITE,
            _YEAR,
            Column(
                "line",
                CODE,
                domain="finance_line",
                aliases=("ligne", "poste"),
                description=N_("The revenue line (one row per line)."),
            ),
            Column(
                "amount_eur",
                MONEY,
                minimum=0,
                aliases=("montant", "montant_eur", "amount"),
                description=N_("Revenue of this line in the year, in euros."),
            ),
        ),
        key=("site_id", "year", "line"),
        aliases=("produits", "ressources"),
        is_site_report=True,
    ),
    Table(
        "network",
        (
            _SITE,
            _YEAR,
            Column(
                "place_name",
                TEXT,
                aliases=("nom_lieu", "lieu"),
                free_text=True,
                description=N_("The name of a smaller place the site supported in the year (one row per place)."),
            ),
            Column(
                "commune_insee",
                COMMUNE,
                aliases=("code_commune", "insee_com", "code_insee", "commune"),
                description=N_("The code of the place's commune (for France, its 5-character INSEE code)."),
            ),
            Column(
                "support_type",
                CODE,
                domain="support_type",
                aliases=("type_soutien", "soutien"),
                description=N_("How the site supported the place."),
            ),
        ),
        key=("site_id", "year", "place_name", "commune_insee", "support_type"),
        aliases=("reseau", "essaimage", "lieux_accompagnes"),
        is_site_report=True,
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
CAMPAIGN_TABLES = ("registry", "grants", "payments")
"""Tables sent once per campaign at its root (the others are site reports under reports/)."""
SITE_REPORT_TABLES = tuple(t.name for t in TABLES if t.is_site_report)


BOOKKEEPING_TABLES: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "campaigns": (
        ("campaign_key", "varchar primary key", True),
        ("campaign_name", "varchar", True),
        ("reporting_year", "integer", True),
        ("load_seq", "integer", True),
    ),
    "manifest": (
        ("campaign_key", "varchar", True),
        ("source_file", "varchar", True),
        ("table_name", "varchar", False),
        ("sha256", "varchar", True),
        ("rows_read", "integer", True),
        ("rows_loaded", "integer", True),
        ("rows_quarantined", "integer", True),
        ("status", "varchar", True),
        ("message", "varchar", False),
    ),
    "quarantine": (
        ("campaign_key", "varchar", True),
        ("source_file", "varchar", True),
        ("source_row", "integer", False),
        ("table_name", "varchar", False),
        ("column_name", "varchar", False),
        ("reason_code", "varchar", True),
        ("message", "varchar", True),
        ("message_en", "varchar", True),
        ("original_values", "varchar", False),
        ("site_id", "varchar", False),
        ("message_arguments", "varchar", False),
    ),
    "flags": (
        ("campaign_key", "varchar", True),
        ("source_file", "varchar", True),
        ("source_row", "integer", False),
        ("table_name", "varchar", False),
        ("column_name", "varchar", False),
        ("flag_code", "varchar", True),
        ("message", "varchar", True),
        ("message_en", "varchar", True),
    ),
}
"""The raw tables the ingestion keeps about what it received: (name, type, not null) per column. A quarantined
row keeps the site id it names (`site_id`, read through the site column's header aliases), for its site sheet, and
what its message says besides its reason (`message_arguments`, JSON), so that a page writes it in its language."""


def raw_columns(table: str) -> tuple[tuple[str, str, bool], ...]:
    """The raw table's columns, in order: (name, SQL type, not null)."""
    if table in BOOKKEEPING_TABLES:
        return BOOKKEEPING_TABLES[table]
    columns = TABLES_BY_NAME[table].columns
    return PROVENANCE_COLUMNS + tuple(
        (name, column.raw_type if name == column.name else "varchar", column.required)
        for column in columns
        for name in column.loaded_names
    )


RAW_TABLES = ("campaigns", *(t.name for t in TABLES), "manifest", "quarantine", "flags")


def raw_ddl() -> str:
    """The raw schema (`create ... if not exists`): what the ingestion writes and dbt reads."""
    statements = ["create schema if not exists raw;"]
    for table in RAW_TABLES:
        columns = ",\n    ".join(
            f"{name} {sql_type}{' not null' if not_null and 'primary key' not in sql_type else ''}"
            for name, sql_type, not_null in raw_columns(table)
        )
        statements.append(f"create table if not exists raw.{table} (\n    {columns}\n);")
    return "\n\n".join(statements) + "\n"
