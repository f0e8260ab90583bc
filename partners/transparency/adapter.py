"""Local Government Transparency Code "payments over £500" files, as councils actually publish them.

Every council names the columns its own way, and changes them between quarters ("Net Amount",
"NetAmount", "Invoiced Value"; "Date Paid", "GL Date"; "Beneficiary Name", "Supplier(Beneficiary)
Name"), with typos ("Organisatonal Unit", "Expenditure Catergory"). Names are listed most preferred
first, in partners/headings.toml: where a file has two candidates (net and gross, category and
detailed type) the first wins and the other is left unmapped. Gross amounts are deliberately absent:
the standard wants the amount excluding VAT. Samples: ../shared/data/real/spend/ (Leeds, Oxford,
Sheffield, Wakefield, ...).
"""

from partners.headings import headings
from partners.profile import Profile

PROFILE = Profile(
    name="transparency",
    description="Local Government Transparency Code spend files, with their header variants",
    # partners/headings.toml: a file with both "Amount" and "Net Amount" means net.
    aliases=headings(),
)
