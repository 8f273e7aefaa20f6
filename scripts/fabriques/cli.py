"""Command line: `fabriques run` (the main job), `fabriques ingest`, and for the sites `fabriques template` and
`fabriques check`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

RUN_DESCRIPTION = """\
Build the warehouse from one or more reporting campaigns and publish the indicators.

A campaign is a folder with registry.* (required), grants.*, payments.* and reports/ (the sites' workbooks
or CSV files), as the reporting pack describes. The run:
  1. ingests every file: each row is loaded or quarantined with its file, row, column and reason;
  2. builds the warehouse with dbt (models and their tests);
  3. validates it with the Great Expectations suites of expectations/: a failed `error` check stops the run,
     a `warning` is a finding published with the data;
  4. writes OUT_DIR/indicators.csv (the 15 core indicators, every year and scope), OUT_DIR/quarantine.csv,
     OUT_DIR/data_quality.csv (every check of this run) and OUT_DIR/data_docs/ (GX Data Docs);
  5. renders OUT_DIR/reports/ (open reports/index.html): annual impact report, ministry scorecard and site
     sheets, in French and English, HTML and PDF; the data-quality page (OUT_DIR/data_docs/index.html) and
     OUT_DIR/datapackage.json (the schema of every published CSV).
  6. publishes them all in one step: OUT_DIR's names are links into OUT_DIR/current, the release of the
     last good run (OUT_DIR/.releases/<run id>/).
Several campaigns accumulate years; the registry, grants and payments of the latest campaign count.
The warehouse is OUT_DIR/warehouse.duckdb unless --warehouse names another file. A failed or killed run leaves
the previous warehouse and outputs untouched; the next run cleans up after it."""

RUN_EPILOG = """\
example:
  fabriques run data/campaign-2023 data/campaign-2024 --year 2024 --out build/output"""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    return args.handler(args)


def version_text() -> str:
    """`fabriques 0.1.0 (dbt-core 1.11.16, dbt-duckdb 1.11.1, duckdb 2.0.1)`: the package and the engines it runs."""
    from fabriques.history import package_versions

    versions = package_versions()
    engines = ", ".join(f"{name} {versions[name]}" for name in ("dbt-core", "dbt-duckdb", "duckdb"))
    return f"fabriques {versions['fabriques']} ({engines})"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fabriques",
        description="Impact-monitoring warehouse of the Fabriques de Territoire programme.",
    )
    parser.add_argument("--version", action="version", version=version_text())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run_parser = commands.add_parser(
        "run",
        help="ingest campaigns, build the warehouse, publish the outputs",
        description=RUN_DESCRIPTION,
        epilog=RUN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run_parser.add_argument(
        "campaigns", nargs="+", type=Path, metavar="CAMPAIGN_DIR", help="campaign folder(s), loaded in the order given"
    )
    run_parser.add_argument(
        "--year",
        type=int,
        required=True,
        help="reporting year of the reports (used for a campaign whose reports carry no year)",
    )
    run_parser.add_argument(
        "--out", type=Path, required=True, metavar="OUT_DIR", help="folder of the published outputs (created if needed)"
    )
    run_parser.add_argument(
        "--warehouse", type=Path, metavar="FILE", help="DuckDB warehouse file (default: OUT_DIR/warehouse.duckdb)"
    )
    run_parser.add_argument(
        "--engine",
        choices=("duckdb", "postgres"),
        default="duckdb",
        help="the engine that builds the warehouse: duckdb (default, the warehouse file) or postgres (a server named "
        "by the FABRIQUES_PG_* variables, DEPLOYMENT.md; its tables are also copied into the warehouse file)",
    )
    _add_programme_option(run_parser)
    run_parser.add_argument(
        "--disclosure-threshold",
        type=int,
        metavar="N",
        help="counts of people below N are shown as '< N' on site-level outputs (default: the programme's "
        "[publication] disclosure_threshold, 5 for the bundled programme)",
    )
    run_parser.add_argument(
        "--commentary",
        type=Path,
        metavar="DIR",
        help="the evaluator's commentary of the annual report: DIR/<year>/<lang>.md (Markdown; raw HTML is shown as "
        "text), placed in the report's HTML and PDF",
    )
    run_parser.add_argument(
        "--wait",
        type=float,
        default=0,
        metavar="SECONDS",
        help="if another run holds the warehouse, wait up to SECONDS for it (default: exit)",
    )
    run_parser.set_defaults(handler=command_run)

    ingest_parser = commands.add_parser(
        "ingest",
        help="only check and load campaigns into the raw schema",
        description="Check campaign folders and load them into the raw schema "
        "of a warehouse file, without building models.",
    )
    ingest_parser.add_argument("campaigns", nargs="+", type=Path, metavar="CAMPAIGN_DIR")
    ingest_parser.add_argument("--year", type=int, help="reporting year for a campaign without reports")
    ingest_parser.add_argument("--warehouse", type=Path, required=True, metavar="FILE")
    _add_programme_option(ingest_parser)
    ingest_parser.set_defaults(handler=command_ingest)

    programme_parser = commands.add_parser(
        "programme",
        help="write the bundled programme's settings as editable files",
        description="A programme folder holds the settings, targets, funders, code lists and validation bounds "
        "of a programme; `fabriques run … --programme DIR` reads it.",
    )
    programme_commands = programme_parser.add_subparsers(dest="programme_command", metavar="COMMAND", required=True)
    init_parser = programme_commands.add_parser(
        "init",
        help="write the bundled programme (Fabriques de Territoire) into DIR, to edit",
        description="Write the bundled programme (Fabriques de Territoire) as editable files in DIR, with a "
        "README.md that describes every setting. DIR must not exist or be empty.",
    )
    init_parser.add_argument("folder", type=Path, metavar="DIR")
    init_parser.set_defaults(handler=command_programme_init)
    check_parser = programme_commands.add_parser(
        "check",
        help="check a programme folder and print its settings",
        description="Read and check a programme folder as a run would; exits with 2 and lists every problem "
        "(file, row, column) when it cannot be used.",
    )
    check_parser.add_argument("folder", type=Path, metavar="DIR")
    check_parser.set_defaults(handler=command_programme_check)

    check_parser = commands.add_parser(
        "check",
        help="check a site's report (or a campaign) before it is sent: what would be set aside, and what to write",
        description=CHECK_DESCRIPTION,
        epilog=CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check_parser.add_argument("path", type=Path, metavar="PATH", help="a file, a site's workbook or a campaign folder")
    references = check_parser.add_mutually_exclusive_group()
    references.add_argument("--registry", type=Path, metavar="FILE", help="the registry to check site ids against")
    references.add_argument(
        "--campaign",
        type=Path,
        metavar="DIR",
        help="a campaign whose registry, grants and payments the file is checked against",
    )
    check_parser.add_argument("--lang", choices=("fr", "en"), help="language of the report (default: the programme's)")
    check_parser.add_argument("--json", metavar="FILE", help="write the findings as JSON to FILE (- : to the screen)")
    check_parser.add_argument(
        "--summary", action="store_true", help="list every site of the registry with its status (a campaign folder)"
    )
    check_parser.add_argument("--csv", type=Path, metavar="FILE", help="with --summary: write the list as CSV to FILE")
    _add_programme_option(check_parser)
    check_parser.set_defaults(handler=command_check)

    template_parser = commands.add_parser(
        "template",
        help="write a report workbook for each site of a campaign's registry, for the next year",
        description=TEMPLATE_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    template_parser.add_argument("--campaign", type=Path, required=True, metavar="CAMPAIGN_DIR")
    template_parser.add_argument("--year", type=int, required=True, help="the reporting year of the templates")
    template_parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    template_parser.add_argument(
        "--lang", choices=("fr", "en"), help="language of the labels and comments (default: the programme's)"
    )
    _add_programme_option(template_parser)
    template_parser.set_defaults(handler=command_template)

    validate_parser = commands.add_parser(
        "validate",
        help="run the data-quality suites on a built warehouse",
        description="Run the Great Expectations suites of expectations/ on a built warehouse: the results are "
        "kept in the warehouse (validation.results) and written to OUT_DIR/data_quality.csv and "
        "OUT_DIR/data_docs/. Exits with 1 when an `error` check fails.",
    )
    validate_parser.add_argument("--warehouse", type=Path, required=True, metavar="FILE")
    validate_parser.add_argument("--out", type=Path, required=True, metavar="OUT_DIR")
    validate_parser.set_defaults(handler=command_validate)

    history_parser = commands.add_parser(
        "history",
        help="list the runs of an output folder",
        description="List every run recorded in OUT_DIR/run_history.jsonl: when, outcome, the hash of its "
        "input files, the code version and the hash of the indicators it published. The same "
        "inputs and code give the same indicators hash.",
    )
    history_parser.add_argument("--out", type=Path, required=True, metavar="OUT_DIR")
    history_parser.set_defaults(handler=command_history)

    transfer_parser = commands.add_parser(
        "transfer",
        help="transfer to other territories: the scenario calculator",
        description="Tools for partners who consider replicating the programme.",
    )
    transfer_commands = transfer_parser.add_subparsers(dest="transfer_command", metavar="COMMAND", required=True)
    scenario_parser = transfer_commands.add_parser(
        "scenario",
        help="size a partner's version of the programme from the observed sites",
        description=SCENARIO_DESCRIPTION,
        epilog=SCENARIO_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scenario_parser.add_argument("--hubs", type=int, required=True, metavar="N", help="number of hubs to fund")
    scenario_parser.add_argument(
        "--grant-per-hub",
        type=float,
        required=True,
        metavar="EUR",
        help="grant per hub over the grant period, in euros",
    )
    scenario_parser.add_argument(
        "--mix",
        required=True,
        metavar="SHARES",
        help="hubs by degree of urbanisation, e.g. rural=0.5,towns=0.3,cities=0.2 (adding up to 1)",
    )
    scenario_parser.add_argument(
        "--price-level",
        type=float,
        default=1.0,
        metavar="FACTOR",
        help="the partner country's price level relative to France (default 1; none is bundled: "
        "take it from Eurostat's price level indices, France = 1)",
    )
    scenario_parser.add_argument("--lang", default="en", help="language of the table: en, ro or fr (default en)")
    scenario_parser.add_argument(
        "--warehouse",
        type=Path,
        default=Path("build/output/warehouse.duckdb"),
        metavar="FILE",
        help="published warehouse to draw from (default build/output/warehouse.duckdb)",
    )
    scenario_parser.add_argument(
        "--json",
        type=Path,
        default=Path("scenario.json"),
        metavar="FILE",
        help="where to write the scenario as JSON (default scenario.json)",
    )
    scenario_parser.set_defaults(handler=command_transfer_scenario)
    return parser


CHECK_DESCRIPTION = """\
Apply the ingestion's rules to a file, a site's workbook or a whole campaign folder, without a warehouse, and
print what would be set aside: by file, sheet and row, the cell (activities!C7), the value as typed, the reason and
what to write instead. Given a registry (--registry FILE, or --campaign DIR for its registry, grants and payments),
the rules across files apply too (unknown site, unknown grant, a payment above its grant). Nothing is written
into the checked folder.
Exit status: 0 when every row would load, 1 when a row is to fix, 2 when PATH cannot be read."""

CHECK_EPILOG = """\
examples:
  fabriques check reports/SITE_ID.xlsx --campaign data/campaign-2024
  fabriques check data/campaign-2025 --summary --csv sites.csv"""

TEMPLATE_DESCRIPTION = """\
Write DIR/<site_id>.xlsx for each site of the campaign's registry: the five report sheets with the contract's
headers, the site and the year filled in, one row per code where a table is keyed by a code, drop-down lists and
number bounds as the ingestion checks them, a comment on each column, the values the campaign loaded for the
year before beside each cell (for reference, never loaded), instructions, and every cell locked but those to
fill. A site fills it, runs `fabriques check` on it and sends it."""

SCENARIO_DESCRIPTION = """\
Estimate what a partner's version of the programme could give after the grant period (the programme's grant
duration, 3 years), from the outcomes of the programme's own sites of the same degree of urbanisation: the budget,
the people reached, the participations, the paid jobs and the co-funding, each with an uncertainty interval
(bootstrap over the sites, seeded). A hub's outcomes scale with its grant relative to the observed site's State
grant in French prices, up to what was observed. Prints a table and writes the scenario as JSON."""

SCENARIO_EPILOG = """\
example:
  fabriques transfer scenario --hubs 50 --grant-per-hub 100000 --mix rural=0.5,towns=0.3,cities=0.2 --lang ro"""


def _add_programme_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--programme",
        type=Path,
        metavar="DIR",
        help="programme folder (`fabriques programme init DIR` writes one; default: the bundled Fabriques de "
        "Territoire)",
    )


def _load_programme(args: argparse.Namespace):
    """The programme the command reads, or None after printing why its folder cannot be used."""
    from fabriques import programme

    try:
        return programme.load(args.programme)
    except programme.ProgrammeError as error:
        print(f"error: {error}", file=sys.stderr)
        return None


def command_programme_init(args: argparse.Namespace) -> int:
    from fabriques import programme

    try:
        folder = programme.init(args.folder)
    except programme.ProgrammeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"the programme Fabriques de Territoire is in {folder}: edit its files (README.md lists every setting),")
    print(f"then run: fabriques run CAMPAIGN_DIR --year YEAR --out OUT_DIR --programme {folder}")
    return 0


def command_programme_check(args: argparse.Namespace) -> int:
    programme = _load_programme(argparse.Namespace(programme=args.folder))
    if programme is None:
        return 2
    print(f"{programme.folder}: {programme.name('en')}, usable (sha256 {programme.sha256})")
    for parameter, value in programme.parameters():
        print(f"  {parameter} = {value}")
    if programme.territories is None:
        print("  territories: the bundled French geography (INSEE COG 2026, QPV 2024, NUTS 2024)")
    else:
        regions = {row["region_code"] for row in programme.territories}
        print(f"  territories: {len(programme.territories)} local units in {len(regions)} regions")
    return 0


def command_run(args: argparse.Namespace) -> int:
    from fabriques import programme
    from fabriques.engines.postgres_run import ServerBusy
    from fabriques.locking import WarehouseBusy
    from fabriques.run import RunFailed, run

    missing = [str(c) for c in args.campaigns if not c.is_dir()]
    if missing:
        print(f"error: not a campaign folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.commentary is not None and not args.commentary.is_dir():
        print(f"error: --commentary {args.commentary}: not a folder (it holds <year>/<lang>.md files)", file=sys.stderr)
        return 2
    in_force = _load_programme(args)
    if in_force is None:
        return 2
    started = time.perf_counter()
    try:
        with programme.in_force(in_force):
            result = run(
                args.campaigns,
                args.year,
                args.out,
                args.warehouse,
                progress=_progress,
                disclosure_threshold=args.disclosure_threshold or in_force.disclosure_threshold,
                wait_seconds=args.wait,
                commentary_dir=args.commentary.resolve() if args.commentary else None,
                engine=args.engine,
            )
    except (WarehouseBusy, ServerBusy) as busy:
        print(f"error: {busy}", file=sys.stderr)
        return 3
    except RunFailed as failure:
        print(f"error: {failure}\nThe previous warehouse and outputs in {args.out} are unchanged.", file=sys.stderr)
        return 1
    except Exception as error:  # a clear line rather than a traceback, then the traceback for a bug report
        print(
            f"error: {type(error).__name__}: {error}\nThe previous warehouse and outputs in {args.out} are unchanged.",
            file=sys.stderr,
        )
        raise
    for campaign in result.campaigns:
        _print_campaign(campaign)
    if result.build:
        counts = ", ".join(f"{n} {s}" for s, n in sorted(result.build.counts.items()))
        print(f"dbt build: {counts}")
        for warning in result.build.warnings:
            print(f"  warn {warning}")
    if result.validation:
        _print_validation(result.validation)
    print(f"published in {result.out_dir} ({time.perf_counter() - started:.1f} s):")
    for name, rows in result.outputs.items():
        print(f"  {result.out_dir / name}  ({rows} rows)")
    if result.pages:
        print(
            f"  {result.out_dir / 'reports' / 'index.html'}  ({len(result.pages)} pages, "
            f"{sum(1 for p in result.pages if p.pdf)} PDF)"
        )
        print(f"  {result.out_dir / 'data_docs' / 'index.html'}  (data-quality checks of the runs)")
    print(f"  {result.out_dir / 'datapackage.json'}  (the schema of every published CSV)")
    print(f"  warehouse: {result.warehouse}")
    return 0


def command_ingest(args: argparse.Namespace) -> int:
    import duckdb

    from fabriques import programme
    from fabriques.failed_run import write_failed_run
    from fabriques.ingest import MissingRegistry, MissingYear, UnusableCampaign, ingest

    in_force = _load_programme(args)
    if in_force is None:
        return 2
    args.warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(args.warehouse)) as con, programme.in_force(in_force):
        programme.store(con, in_force)
        for campaign_dir in args.campaigns:
            try:
                _print_campaign(ingest(con, campaign_dir, args.year))
            except (MissingYear, MissingRegistry) as error:
                print(f"error: {error}", file=sys.stderr)
                return 2
            except UnusableCampaign as refusal:
                folder = write_failed_run(args.warehouse.parent, refusal)
                print(
                    f"error: {refusal}\nnot loaded; every row of it, and why, in {folder / 'quarantine.csv'} "
                    f"and {folder / 'manifest.csv'}",
                    file=sys.stderr,
                )
                return 2
    return 0


def command_check(args: argparse.Namespace) -> int:
    from fabriques import programme
    from fabriques.submission.check import CannotCheck, check_path, site_summary
    from fabriques.submission.check_report import json_report, summary_csv, summary_table, text_report

    in_force = _load_programme(args)
    if in_force is None:
        return 2
    if args.csv and not args.summary:
        print("error: --csv writes the list of sites: give --summary with it", file=sys.stderr)
        return 2
    outputs = [Path(args.json)] if args.json and args.json != "-" else []
    outputs += [args.csv] if args.csv else []
    inside = [out for out in outputs if _is_within(out, args.path)]
    if inside:
        print(
            f"error: {inside[0]}: inside the checked folder; the check writes nothing there, name another file",
            file=sys.stderr,
        )
        return 2
    lang = args.lang or in_force.settings["programme"]["report_languages"][0]
    with programme.in_force(in_force):
        try:
            result = check_path(args.path, args.registry, args.campaign, lang)
            sites = site_summary(result) if args.summary else None
        except CannotCheck as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        if args.json != "-":
            print(summary_table(sites, lang) if sites is not None else text_report(result), end="")
        if args.json:
            report = json_report(result, sites)
            if args.json == "-":
                print(report, end="")
            else:
                Path(args.json).write_text(report, encoding="utf-8")
        if args.csv and sites is not None:
            args.csv.write_bytes(summary_csv(sites, lang))
    return 0 if result.loads_whole else 1


def _is_within(path: Path, folder: Path) -> bool:
    """Whether writing `path` would write into `folder` (or over the file checked)."""
    target, folder = path.resolve(), folder.resolve()
    return target == folder or (folder.is_dir() and target.is_relative_to(folder))


def command_template(args: argparse.Namespace) -> int:
    from fabriques import programme
    from fabriques.submission.template import TemplateProblem, write_templates

    in_force = _load_programme(args)
    if in_force is None:
        return 2
    lang = args.lang or in_force.settings["programme"]["report_languages"][0]
    with programme.in_force(in_force):
        try:
            written = write_templates(args.campaign, args.year, args.out, lang)
        except TemplateProblem as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    print(f"{len(written)} site report templates for {args.year} in {args.out}")
    print(
        f"a site fills its own and checks it with: fabriques check {args.out / '<site_id>.xlsx'} "
        f"--campaign {args.campaign}"
    )
    return 0


def command_validate(args: argparse.Namespace) -> int:
    from fabriques.run import describe_failure, validate

    if not args.warehouse.is_file():
        print(f"error: no warehouse file {args.warehouse}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    report = validate(args.warehouse, args.out)
    _print_validation(report)
    for failure in report.errors:
        print(f"error: {describe_failure(failure)}", file=sys.stderr)
    print(f"results: {args.out / 'data_quality.csv'}, {args.out / 'data_docs' / 'index.html'}")
    return 1 if report.errors else 0


def command_history(args: argparse.Namespace) -> int:
    from fabriques.history import read_records

    records = read_records(args.out)
    if not records:
        print(f"no run recorded in {args.out}")
        return 0
    print(f"{'run id':<28} {'finished (UTC)':<26} {'outcome':<12} {'inputs':<14} {'indicators':<14} code")
    for r in records:
        print(
            f"{r.run_id:<28} {r.finished_at:<26} {r.outcome:<12} {r.inputs_hash[:12]:<14} "
            f"{r.indicators_sha256[:12]:<14} {r.code_version}"
        )
    return 0


def command_transfer_scenario(args: argparse.Namespace) -> int:
    import json

    import duckdb

    from fabriques.i18n import available_languages
    from fabriques.transfer.present import scenario_text
    from fabriques.transfer.scenario import ScenarioError, ScenarioInputs, parse_mix, scenario_from_warehouse

    if args.lang not in available_languages():
        print(f"error: --lang {args.lang}: choose one of {', '.join(available_languages())}", file=sys.stderr)
        return 2
    if not args.warehouse.is_file():
        print(
            f"error: no warehouse file {args.warehouse}: run `fabriques run` first, or pass --warehouse FILE",
            file=sys.stderr,
        )
        return 2
    try:
        inputs = ScenarioInputs(args.hubs, args.grant_per_hub, parse_mix(args.mix), args.price_level)
        with duckdb.connect(str(args.warehouse), read_only=True) as con:
            result = scenario_from_warehouse(con, inputs)
    except ScenarioError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(scenario_text(result, args.lang))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n{args.json}")
    return 0


def _print_validation(report) -> None:
    passed = sum(1 for r in report.results if r.status == "passed")
    print(
        f"validation: {len(report.results)} checks, {passed} passed, {len(report.warnings)} warnings, "
        f"{len(report.errors)} errors"
    )
    for warning in report.warnings:
        print(f"  warning [{warning.suite}.{warning.rule}] {warning.unexpected_count} rows: {warning.description_en}")


def _print_campaign(campaign) -> None:
    print(
        f"{campaign.name} (year {campaign.reporting_year}): {campaign.files} files, {campaign.rows_read} rows read, "
        f"{campaign.rows_loaded} loaded, {campaign.rows_quarantined} quarantined"
        + (f", {campaign.files_unreadable} files quarantined whole" if campaign.files_unreadable else "")
        + (f", {campaign.flags} values flagged" if campaign.flags else "")
    )
    if campaign.empty_tables:
        print(f"  no rows for: {', '.join(campaign.empty_tables)}")


def _progress(message: str) -> None:
    print(f"· {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
