"""`safehub-returns`: validate a return file from the command line, no server or database
needed (the validator reads only the file).

    safehub-returns validate cin FILE.xml [--year 2024-25] [--json OUT] [--csv OUT]
                                           [--html OUT] [--quiet]

Prints the report as JSON on standard output unless --quiet; writes the CSV and HTML reports
where asked. Exit status: 0 no errors (queries allowed), 1 errors found, 2 the file could
not be read at all (not XML, not a census, wrong year...)."""

import argparse
import sys
from pathlib import Path

from safehub.returns.cin.spec import YEARS
from safehub.returns.cin.validate import validate_cin


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="safehub-returns", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a return file")
    validate.add_argument("ret", choices=["cin"], help="which return (cin: the CIN census)")
    validate.add_argument("file", type=Path)
    validate.add_argument("--year", choices=list(YEARS), help="refuse a file for another year")
    validate.add_argument("--json", type=Path, help="write the JSON report here")
    validate.add_argument("--csv", type=Path, help="write the CSV report here")
    validate.add_argument("--html", type=Path, help="write the HTML report here")
    validate.add_argument("--quiet", action="store_true", help="print only the summary line")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        content = args.file.read_bytes()
    except OSError as error:
        print(f"safehub-returns: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    report = validate_cin(content, filename=args.file.name, year=args.year)
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
