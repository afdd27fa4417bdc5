"""`safehub-returns`: validate a return file from the command line, no server or database
needed (the validator reads only the file).

    safehub-returns validate cin FILE.xml [--year 2024-25] [--json OUT] [--csv OUT]
                                           [--html OUT] [--quiet]
    safehub-returns validate 903 FOLDER-OR-ZIP --year 2024-25 [--json OUT] [--csv OUT] ...

Prints the report as JSON on standard output unless --quiet; writes the CSV and HTML reports
where asked. Exit status: 0 no errors (queries allowed), 1 errors found, 2 the file could
not be read at all (not XML, not a census, wrong year, no 903 header or episodes file...).
A 903 is a folder of CSV files (or a zip of them), named as you like: each is recognised
by its columns. Its collection year must be given (CSV files do not say)."""

import argparse
import sys
from pathlib import Path

from safehub.returns.report import Report
from safehub.returns.ssda903.spec import YEARS as YEARS_903
from safehub.returns.ssda903.validate import validate_903_path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="safehub-returns", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a return file")
    validate.add_argument(
        "ret", choices=["cin", "903"], help="which return (cin: the CIN census; 903: SSDA903)"
    )
    validate.add_argument("file", type=Path, help="the census file; for 903 a folder or zip")
    validate.add_argument(
        "--year",
        help="cin: refuse a file for another year; 903: the collection year (required: "
        f"{', '.join(YEARS_903)})",
    )
    validate.add_argument("--json", type=Path, help="write the JSON report here")
    validate.add_argument("--csv", type=Path, help="write the CSV report here")
    validate.add_argument("--html", type=Path, help="write the HTML report here")
    validate.add_argument("--quiet", action="store_true", help="print only the summary line")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.ret == "903":
        if args.year not in YEARS_903:
            print(
                "safehub-returns: give the 903's collection year, e.g. --year 2024-25",
                file=sys.stderr,
            )
            return 2
        if not args.file.exists():
            print(
                f"safehub-returns: cannot read {args.file}: no such file or folder", file=sys.stderr
            )
            return 2
        report = validate_903_path(args.file, year=args.year)
    else:
        cin = _cin(args)
        if cin is None:
            return 2
        report = cin
    return _written(args, report)


def _cin(args: argparse.Namespace) -> Report | None:
    """The CIN census report, or None (said why on standard error) if it cannot be made."""
    # Imported here: the CIN validator loads pandas and Django's models, which a 903 check
    # does without (ADR 0059), so `validate 903` stays small.
    from safehub.returns.cin.spec import YEARS
    from safehub.returns.cin.validate import validate_cin

    if args.year is not None and args.year not in YEARS:
        print(f"safehub-returns: the CIN census years are {', '.join(YEARS)}", file=sys.stderr)
        return None
    try:
        content = args.file.read_bytes()
    except OSError as error:
        print(f"safehub-returns: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return None
    return validate_cin(content, filename=args.file.name, year=args.year)


def _written(args: argparse.Namespace, report: Report) -> int:
    for path, text in (
        (args.json, report.to_json),
        (args.csv, report.to_csv),
        (args.html, report.to_html),
    ):
        if path is not None:
            path.write_text(text(), encoding="utf-8")
    if not args.quiet:
        print(report.to_json())
    if report.unreadable:
        print(f"{args.file.name}: {report.unreadable}", file=sys.stderr)
        return 2
    print(
        f"{args.file.name}: {report.year}, {report.children} children, "
        f"{report.errors} errors, {report.queries} queries",
        file=sys.stderr,
    )
    return 1 if report.errors else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
