"""The same inputs give the same bytes, also for Office files written by openpyxl or python-docx (zip packages).

openpyxl and python-docx stamp each zip entry with the clock and write the time of saving into
``docProps/core.xml``; ``stable_zip`` rewrites the package with a fixed entry time and fixed
created/modified stamps (the build's ``as_of`` date where the config gives one, else 2000-01-01; the
document's own date is the meeting's, written in by hand), the entries in their order, compressed as before.
"""

from __future__ import annotations

import io
import re
import datetime as dt
import zipfile

FIXED = (2000, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def stable_zip(data: bytes, when: dt.date | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = (when.isoformat() if when else "2000-01-01").encode() + b"T00:00:00Z"
                body = _STAMP.sub(rb"\g<1>" + stamp + rb"\g<3>", body)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, body)
    return out.getvalue()
