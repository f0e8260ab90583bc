"""The validation issue: one finding about one cell, row or file of a return."""

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """1-based number of a spreadsheet letter: A -> 1, Z -> 26, AA -> 27."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


@dataclass(frozen=True, slots=True)
class Issue:
    """What is wrong, where the partner will find it in their own file, and how bad it is.

    ``row`` is the row number the partner sees in their spreadsheet (the header is usually row 1);
    ``column`` the header as written in their file and ``column_letter`` its spreadsheet letter.
    ``code`` is stable (``amount.invalid``) so partners can automate; ``message`` is for people.
    """

    severity: str
    code: str
    message: str
    row: int | None = None
    column: str | None = None
    column_letter: str | None = None
    value: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def to_dict(self) -> dict:
        return asdict(self)
