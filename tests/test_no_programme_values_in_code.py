"""Nothing of the bundled programme is written in the code: its grant codes, code-list codes, country, names,
bounds, envelope, start year, targets and site identifiers live in its folder (programmes/fabriques-de-territoire/)
only. The test reads those values from the folder and looks for them, as values, in the package's Python (string
and number constants, docstrings aside), in the SQL of the models, macros and dbt tests (string and number
literals, comments aside) and in the expressions of the report templates.

A search cannot tell a value of the programme from the same word in the warehouse's own vocabulary (WAREHOUSE_WORDS:
the project's name `fabriques`, which is also the bundled grant code, a language code `fr`, the scope type `region`,
which is also a funder type, …): those words are left out of the search, and test_programme.py runs a second
programme whose grant code, country, bounds and targets differ, which fails if the code relies on them."""

import ast
import csv
import itertools
import os
import re
import tomllib

from fabriques.i18n import LANGUAGES
from fabriques.programme import BUNDLED_PROGRAMME_DIR, GROUPINGS
from fabriques.settings import PROJECT_DIR, REFERENCE_DIR, SEEDS_DIR

PACKAGE = PROJECT_DIR / "scripts" / "fabriques"
SQL_FOLDERS = ("models", "macros", os.path.join("tests", "dbt"))
TEMPLATES = PROJECT_DIR / "reports" / "templates"


WORDS_OF_THE_WAREHOUSE = {
    "fabriques": "the project's name (dbt_project.yml, the command, the package)",
    "unknown": "the code the warehouse gives a funder missing from the catalogue, or a site without a target",
    "department": "the level between a commune and its region (dim_territory), also a funder type",
    "unique": "a dbt test (`unique`), also a payment term",
    "rural": "the name of DEGURBA class 3 in the transfer scenario (`--mix … rural=…`)",
}
"""Words the warehouse uses in its own meaning that are also codes of the bundled programme."""


def warehouse_words() -> set[str]:
    """WORDS_OF_THE_WAREHOUSE, the language codes, the groupings and the warehouse's own code lists."""
    own_lists = read_csv(SEEDS_DIR / "code_lists.csv")
    return {
        *WORDS_OF_THE_WAREHOUSE,
        *LANGUAGES,
        *GROUPINGS,
        *(row["code"] for row in own_lists),
        *(row["domain"] for row in own_lists),
    }


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def bundled_values() -> tuple[set[str], set[float], str]:
    """The bundled programme's texts (lower case) and numbers, and the prefix of its site identifiers."""
    settings = tomllib.loads((BUNDLED_PROGRAMME_DIR / "programme.toml").read_text(encoding="utf-8"))
    programme, grants, publication = settings["programme"], settings["grants"], settings["publication"]
    texts = {
        *grants["programme_codes"],
        programme["country"],
        programme["country_name"],
        *programme["name"].values(),
        publication["evaluator_name"],
        publication["evaluator_contact"],
        publication["resubmission_deadline"],
        *(row["code"] for row in read_csv(BUNDLED_PROGRAMME_DIR / "code_lists.csv")),
        *(row["funder_id"] for row in read_csv(BUNDLED_PROGRAMME_DIR / "funders.csv")),
    }
    numbers = {grants["min_eur"], grants["max_eur"], grants["envelope_eur"], programme["start_year"]}
    numbers |= {float(row["target_value"]) for row in read_csv(BUNDLED_PROGRAMME_DIR / "indicator_targets.csv")}
    numbers = {float(n) for n in numbers if float(n) > 100}  # 100 (a percentage) and small counts are not its own
    site_ids = [row["id_fabt"] for row in read_csv(REFERENCE_DIR / "anct_fabriques_territoire_2024-01.csv")]
    prefix = os.path.commonprefix(site_ids)  # noqa: RUF071 (a text prefix, `fabt-`, not a path)
    return {t.lower() for t in texts} - warehouse_words(), numbers, prefix


def python_constants(path):
    """(line, value) of every string and number constant of a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    # a string after an assignment documents it (attribute docstrings)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for before, after in itertools.pairwise(body):
                if isinstance(before, ast.Assign | ast.AnnAssign) and isinstance(after, ast.Expr):
                    docstrings.add(id(after.value))
    for node in ast.walk(tree):
        is_value = isinstance(node, ast.Constant) and isinstance(node.value, str | int | float)
        if is_value and id(node) not in docstrings and not isinstance(node.value, bool):
            yield node.lineno, node.value


SQL_COMMENT = re.compile(r"--[^\n]*|\{#.*?#\}|/\*.*?\*/", re.S)
SQL_STRING = re.compile(r"'((?:[^']|'')*)'")
SQL_NUMBER = re.compile(r"(?<![\w.'])(\d+(?:\.\d+)?)(?![\w.'])")


def sql_literals(path):
    """(line, value) of every string and number literal of a SQL file, comments left out."""
    text = SQL_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), path.read_text(encoding="utf-8"))
    for number, line in enumerate(text.splitlines(), start=1):
        for match in SQL_STRING.finditer(line):
            yield number, match.group(1)
        for match in SQL_NUMBER.finditer(SQL_STRING.sub("''", line)):
            yield number, float(match.group(1))


TEMPLATE_EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
TEMPLATE_STRING = re.compile(r"\"([^\"]*)\"|'([^']*)'")


def template_literals(path):
    text = path.read_text(encoding="utf-8")
    for expression in TEMPLATE_EXPRESSION.finditer(text):
        line = text.count("\n", 0, expression.start()) + 1
        for match in TEMPLATE_STRING.finditer(expression.group(0)):
            yield line, match.group(1) if match.group(1) is not None else match.group(2)


def literals():
    for path in sorted(PACKAGE.rglob("*.py")):
        for line, value in python_constants(path):
            yield path, line, value
    for folder in SQL_FOLDERS:
        for path in sorted((PROJECT_DIR / folder).rglob("*.sql")):
            for line, value in sql_literals(path):
                yield path, line, value
    for path in sorted(TEMPLATES.rglob("*.html")):
        for line, value in template_literals(path):
            yield path, line, value


def test_the_bundled_programme_values_are_only_in_its_folder():
    texts, numbers, site_prefix = bundled_values()
    assert texts and numbers and len(site_prefix) >= 3  # the values searched for were found
    found = []
    for path, line, value in literals():
        where = f"{path.relative_to(PROJECT_DIR)}:{line}: {value!r}"
        if isinstance(value, str):
            if value.strip().lower() in texts or site_prefix in value:
                found.append(where)
        elif float(value) in numbers:
            found.append(where)
    assert not found, "values of the bundled programme written outside its folder:\n" + "\n".join(found)


def test_the_search_finds_a_planted_value(tmp_path):
    """The search itself works: a value of the programme planted in Python and in SQL is found."""
    texts, numbers, _prefix = bundled_values()
    module = tmp_path / "planted.py"
    module.write_text('"""Docstring: qpv."""\nCODE = "fabriques"\nLIMIT = 150000\n', encoding="utf-8")
    model = tmp_path / "planted.sql"
    model.write_text("-- 'qpv' in a comment\nselect * from t where target = 'qpv' and amount > 75000\n", "utf-8")
    assert [v for _l, v in python_constants(module)] == ["fabriques", 150000]
    assert [v for _l, v in sql_literals(model)] == ["qpv", 75000.0]
    assert "qpv" in texts and {150000.0, 75000.0} <= numbers
    assert [v for _l, v in python_constants(module) if isinstance(v, str) and v in texts] == []  # the project name
