"""Workbooks written as XML by hand, as any tool could write them: for shapes openpyxl would
never write (a row of 200,000 cells, shared strings, a cell at column ABC)."""

import io
import zipfile

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_KIND = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def inline(text: str, ref: str = "") -> str:
    """One cell holding ``text`` as an inline string."""
    at = f' r="{ref}"' if ref else ""
    return f'<c{at} t="inlineStr"><is><t>{text}</t></is></c>'


def shared(index: int) -> str:
    """One cell holding shared string number ``index``."""
    return f'<c t="s"><v>{index}</v></c>'


def workbook_xml(rows: list[str], strings: list[str] | None = None, *, numbered: bool = False,
                 raw_strings: bool = False) -> bytes:
    """An .xlsx of one sheet whose rows are these strings of cell XML, with shared strings
    (``raw_strings``: each one the XML inside its <si>); ``numbered`` rows say their number."""
    sheet_data = "".join(f'<row r="{n}">{cells}</row>' if numbered else f"<row>{cells}</row>"
                         for n, cells in enumerate(rows, 1))
    overrides = f'<Override PartName="/xl/workbook.xml" ContentType="{_KIND}.sheet.main+xml"/>' \
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_KIND}.worksheet+xml"/>'
    relations = (f'<Relationship Id="rId1" Type="{_DOC}/worksheet" '
                 'Target="worksheets/sheet1.xml"/>')
    files = {
        "_rels/.rels": f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
                       f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets><sheet '
                           'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}"><sheetData>{sheet_data}'
                                    "</sheetData></worksheet>",
    }
    if strings is not None:
        overrides += (f'<Override PartName="/xl/sharedStrings.xml" '
                      f'ContentType="{_KIND}.sharedStrings+xml"/>')
        relations += (f'<Relationship Id="rId2" Type="{_DOC}/sharedStrings" '
                      'Target="sharedStrings.xml"/>')
        items = "".join(f"<si>{text}</si>" if raw_strings else f"<si><t>{text}</t></si>"
                        for text in strings)
        files["xl/sharedStrings.xml"] = f'<sst xmlns="{_MAIN}">{items}</sst>'
    files["xl/_rels/workbook.xml.rels"] = f'<Relationships xmlns="{_RELS}">{relations}' \
        "</Relationships>"
    files["[Content_Types].xml"] = (
        f'<Types xmlns="{_TYPES}"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        f'ContentType="application/xml"/>{overrides}</Types>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + text)
    return out.getvalue()
