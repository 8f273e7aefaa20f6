"""File names per site: a site sheet, a site's report template."""

from __future__ import annotations

import hashlib
import re


def site_file_names(site_ids: list[str]) -> dict[str, str]:
    """A file name per site id: the id when it is a safe name, else its safe characters and a short hash (so
    that two ids never share a file)."""
    names = {}
    for site_id in site_ids:
        safe = re.sub(r"[^A-Za-z0-9_-]", "_", site_id)[:80]
        if safe != site_id or not safe:
            safe = f"{safe}-{hashlib.sha256(site_id.encode()).hexdigest()[:8]}"
        names[site_id] = safe
    return names
