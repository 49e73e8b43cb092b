"""List the registered sites (`python -m newscrawl.sites [DIRECTORY]`): id, domains, start points."""

from __future__ import annotations

import sys
from pathlib import Path

from newscrawl.sites.registry import SiteSpecError, load_sites


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        sites = load_sites(Path(args[0]) if args else None)
    except SiteSpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for spec in sites.values():
        print(f"{spec.id}  domains: {', '.join(spec.domains)}")
        for label, points in (
            ("homepage", spec.homepages),
            ("section", spec.sections),
            ("sitemap", spec.sitemaps),
            ("feed", spec.feeds),
        ):
            for point in points:
                print(f"  {label:<9}{point}")
        if spec.use_robots_sitemaps:
            print("  + sitemaps listed in robots.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
