"""The `newscrawl` command: extract one page for debugging, validate exported files, list registered sites."""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from itemadapter import ItemAdapter

from newscrawl import __version__


def _read_page(source: str, timeout: float) -> tuple[bytes, str | None]:
    """The page's bytes and the URL they came from (None for a file given without --url)."""
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": f"newscrawl/{__version__}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read(), response.geturl()
    if source == "-":
        return sys.stdin.buffer.read(), None
    path = Path(source)
    data = path.read_bytes()
    if path.suffix == ".gz":
        import gzip

        data = gzip.decompress(data)
    return data, None


def _cmd_extract(args: argparse.Namespace) -> int:
    from newscrawl.extraction import extract_article

    html, fetched_url = _read_page(args.source, args.timeout)
    url = args.url or fetched_url or "http://localhost/"
    article = extract_article(html, url)
    print(json.dumps(ItemAdapter(article).asdict(), ensure_ascii=False, indent=2))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from newscrawl.schema import schema_errors

    bad = 0
    total = 0
    for name in args.files:
        with open(name, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                total += 1
                try:
                    errors = schema_errors(json.loads(line))
                except json.JSONDecodeError as error:
                    errors = [f"not JSON: {error}"]
                for message in errors:
                    print(f"{name}:{number}: {message}")
                bad += bool(errors)
    print(f"{total - bad} valid, {bad} invalid", file=sys.stderr)
    return 1 if bad else 0


def _cmd_sites(args: argparse.Namespace) -> int:
    from newscrawl.sites.registry import load_sites

    for site in load_sites().values():
        print(f"{site.id}\t{','.join(site.domains)}\t{site.base_url}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newscrawl", description=__doc__)
    parser.add_argument("--version", action="version", version=f"newscrawl {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help="print the Article of one page as JSON")
    extract.add_argument("source", help="an HTML file (.html or .html.gz), '-' for stdin, or an http(s) URL")
    extract.add_argument("--url", help="the page's URL, for a file (resolves links, decides the site)")
    extract.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a URL (default 30)")
    extract.set_defaults(run=_cmd_extract)

    validate = commands.add_parser("validate", help="check JSON Lines files against the Article schema")
    validate.add_argument("files", nargs="+")
    validate.set_defaults(run=_cmd_validate)

    sites = commands.add_parser("sites", help="list the registered sites")
    sites.set_defaults(run=_cmd_sites)

    from newscrawl.distributed.commands import add_distributed_commands

    add_distributed_commands(commands)

    args = parser.parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
