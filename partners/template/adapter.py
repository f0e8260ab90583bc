"""The hub's own template: headings are the standard field names or their labels, in any order.

CSV, XLSX or JSON; case, spaces and underscores in headings do not matter ("Payment date",
"payment_date", "PAYMENT DATE"). Samples: tests/fixtures/partners/template/.
"""

from partners.profile import Profile
from partners.template.labels import LABELS

ALIASES = {
    kind: {name: (name, text) for name, text in labels.items()} for kind, labels in LABELS.items()
}

PROFILE = Profile(
    name="template",
    description="The hub's template: standard field names or their labels as headings",
    aliases=ALIASES,
    strict=True,
)
