"""Safe cells for CSV and Excel files, and Excel files that are the same bytes in every build.

Imports nothing from the package. Data is untrusted text: a cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is read as a formula by spreadsheet programs, so it is
written with a leading apostrophe, as OWASP advises against CSV injection. The status import
reads such a cell back without the apostrophe (:func:`restore_cell`), so a round trip changes
nothing.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet program read a cell as a formula."""

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def neutralise_cell(value: Any) -> Any:
    """``value`` as a cell that cannot run as a formula; numbers and empty cells stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def restore_cell(value: Any) -> Any:
    """Undo :func:`neutralise_cell` for a cell read back from an exported file."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def stable_xlsx(data: bytes) -> bytes:
    """The same workbook with fixed times, so two builds of one commit give the same bytes.

    openpyxl stamps the save time into ``docProps/core.xml`` and into every zip entry.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_TIME.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()
