"""Lines of a spend file that are not payments, told by their words: totals and subtotals, and
the text finance systems print around a report (a source, a copyright line, "End of report",
page numbers).

Publishers put a total's label wherever there is room: the supplier column ("TOTAL"), the first
column ("Grand Total"), the description ("October total", "Total for Adults"), even the amount
column with the figure beside it. A supplier genuinely named "Total Gas & Power Ltd" is no label:
a label is the word total alone, with a qualifier (grand, sub-), or with what it totals.
"""

import re

# "Total", "Grand Total", "Sub-total", "SUBTOTAL", "Totals:", "Total (£)", "Total for October",
# "Total of Adults", "Total - Children", "Total spend", "Total payments", "October 2017 Total",
# "Directorate total", "Running total".
_TOTAL = re.compile(
    r"(?:(?:grand|sub|overall|report|page|month(?:ly)?|running|final|net|gross)[\s-]*)?totals?"
    r"(?:\s*(?:[:=(£\-–]|\bfor\b|\bof\b|\bto\b|\bby\b).*"
    r"|\s+(?:spend|spent|payments?|paid|amounts?|values?|expenditure|net|gross|gbp|£)\b.*)?"
    r"|[^\n]{0,80}?\b(?:grand\s+|sub[\s-]*)?totals?\s*:?"
    r"|sub[\s-]*totals?\b.*",
    re.IGNORECASE,
)
# The labels most often written alone in a supplier column, in their usual casings: checked for
# every row (a set look-up, not a pattern), so a dated "TOTAL" row is not taken for a payment.
_LABELS = ("total", "totals", "total:", "grand total", "grand total:", "sub-total", "sub total",
           "subtotal", "sub-totals", "subtotals", "overall total", "total spend",
           "total payments", "report total")
TOTAL_NAMES = frozenset(case for label in _LABELS for case in (
    label, label.upper(), label.title(), label.capitalize()))

# What reports print above, below or between the data.
_FOOTER = re.compile(
    r"(?:sources?|notes?)\s*[:\-–].*"
    r"|(?:prepared\s+by|produced\s+by|compiled\s+by|published\s+by"
    r"|(?:report\s+)?(?:run|printed|generated|produced|created|extracted)\s+(?:on|at|by|date)"
    r"|data\s+(?:as\s+at|correct|extracted)|correct\s+(?:as\s+)?at|date\s+(?:run|printed))\b.*"
    r"|\s*(?:©|\(c\)\s).*|.*\bcrown\s+copyright\b.*|.*\ball\s+rights\s+reserved\b.*"
    r"|copyright\s*(?:©|\(c\)|\d{4}|of\b|by\b|:).*"
    r"|.*\bopen\s+government\s+licen[cs]e\b.*|contains\s+public\s+sector\s+information.*"
    r"|[*\s]*(?:end\s+of\s+(?:the\s+)?(?:report|file|data|list(?:ing)?|document|extract))\b.*"
    r"|page\s+\d+(?:\s*(?:of|/)\s*\d+)?"
    r"|(?:total\s+)?(?:number\s+of\s+)?(?:records|rows|lines|transactions)\s*[:=]?\s*[\d,]+"
    r"|[*=_~#\-\s]{3,}",
    re.IGNORECASE,
)


def total_label(texts: list[str]) -> str | None:
    """The cell that labels a row as a total or subtotal, if one does."""
    return next((text for text in texts if text and _TOTAL.fullmatch(text)), None)


def footer_text(texts: list[str]) -> str | None:
    """The cell that marks a row as report text around the data (a source, a copyright line,
    "End of report", a page number), if one does."""
    return next((text for text in texts if text and _FOOTER.fullmatch(text)), None)
