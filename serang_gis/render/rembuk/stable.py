"""The same inputs give the same bytes, also for the Office files (XLSX, DOCX are zip packages).

openpyxl and python-docx stamp each zip entry with the clock and write the time of saving into
``docProps/core.xml``; ``stable_zip`` rewrites the package with a fixed entry time and fixed
created/modified stamps (the document's date is the meeting's, written in by hand), the entries in
their order, compressed as before.
"""

from __future__ import annotations

import io
import re
import zipfile

FIXED = (2000, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def stable_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _STAMP.sub(rb"\g<1>2000-01-01T00:00:00Z\g<3>", body)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, body)
    return out.getvalue()
