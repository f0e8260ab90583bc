"""Spend files for checking that the columnar path reads what the row-by-row path reads:
the real councils' CSVs, a generated one as messy as the benchmark's, and small files made to
reach every rule of `partners.rows.RowReader` and the validator."""

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REAL_SPEND = (REPO / ".." / "shared" / "data" / "real" / "spend").resolve()
HEAD = ("Payment Date,Amount,Supplier Name,Supplier ID,Supplier Postcode,Company Number,"
        "Expense Type\r\n")

CRAFTED = {
    "blank rows inside and after": HEAD + (
        "01/10/2021,10.00,Acme Ltd,A1,S60 2UD,1234567,Fees\r\n"
        "\r\n,,,,,,\r\n"
        "02/10/2021,20.00,Beta Ltd,B1,S1 2HH,,Fees\r\n"
        "\r\n\r\n"),
    "a total line, the headings again and a row with no key field": HEAD + (
        "01/10/2021,10.00,Acme Ltd,A1,S60 2UD,1234567,Fees\r\n"
        + HEAD +
        ",,,,S60 2UD,,Fees\r\n"
        "Total,30.00,,,,,\r\n"
        "02/10/2021,20.00,Beta Ltd,B1,,,Fees\r\n"),
    "rows with errors and warnings": HEAD + (
        "01/10/2021,,Acme Ltd,A1,S60 2UD,1234567,Fees\r\n"
        "31/02/2021,12.00,Beta Ltd,B1,NOT A POSTCODE,12,=HYPERLINK(\"x\")\r\n"
        "01/07/2021,0,N/A,,S1 2HH,,+44 fee\r\n"
        "44470,1.234,Gamma Ltd,G1,,ABC,Fees\r\n"),
    "every spelling of an amount": HEAD + "".join(
        f"0{day}/10/2021,{amount},Acme Ltd,A1,,,Fees\r\n" for day, amount in enumerate([
            '"1,234.56"', "-1.00", "(2.50)", "£3", "-£4.10", "£-5", '"(£6.00)"', "7.5", "007",
            "1e3", "12,34", "£1,000,000,000,000.00", "NIL", "8-", " 9 "], start=1)),
    "tabs, backslashes, quotes and line breaks in cells": HEAD + (
        '01/10/2021,1.00,"Tab\tand C:\\Back\\slash Ltd",T1,,,"Two\nlines"\r\n'
        '02/10/2021,2.00,"Quote ""Me"" Ltd",Q1,,,"cr\r\nlf"\r\n'
        '03/10/2021,3.00,Plain Ltd,P1,,,\\N\r\n'),
    "a short last row": HEAD + (
        "01/10/2021,10.00,Acme Ltd,A1,S60 2UD,1234567,Fees\r\n"
        "02/10/2021,20.00,Beta Ltd"),
    "semicolons and Windows-1252": (
        HEAD.replace(",", ";") + "01/10/2021;10,00;Café Ltd;C1;;;Fees\r\n").encode("cp1252"),
    "Windows-1252 with a byte it does not define": (
        HEAD + "01/10/2021,10.00,Café Ltd,C1,,,Fees\r\n").encode("cp1252")
        + b"02/10/2021,11.00,Odd \x81 Ltd,C2,,,Fees\r\n",
    "a stray byte in one UTF-8 line": HEAD.encode() + (
        "01/10/2021,10.00,Café Ltd,C1,,,Fees\r\n").encode() + (
        "02/10/2021,11.00,Caf\xe9 Ltd,C2,,,Fees\r\n").encode("cp1252"),
    "a summary table below the payments": HEAD + (
        "01/10/2021,10.00,Acme Ltd,A1,S60 2UD,1234567,Fees\r\n\r\n"
        "Supplier Name,Amount\r\nAcme Ltd,10.00\r\n"),
    "a lone carriage return": HEAD + "01/10/2021,10.00,Acme\rLtd,A1,,,Fees\r\n",
    "a quotation mark inside a cell": HEAD + '01/10/2021,10.00,Acme "Best" Ltd,A1,,,Fees\r\n',
    "a quote left open": HEAD + '01/10/2021,10.00,"Acme Ltd,A1,,,Fees\r\n',
    "names left blank or withheld, and supplier ids saying Redacted": HEAD + (
        "01/10/2021,10.00,,,,,Care\r\n"
        "02/10/2021,20.00,*****,Redacted,,,Care\r\n"
        "03/10/2021,30.00,N/A,,S60 2UD,,Care\r\n"
        "04/10/2021,40.00,Personal data,,,,Care\r\n"
        "05/10/2021,50.00,Acme Ltd,Redacted,,1234567,Fees\r\n"
        "06/10/2021,60.00,Redactive Publishing Ltd,R9,,,Fees\r\n"
        ",70.00,,,,,Care\r\n"),
    "withheld names met again further down": HEAD + (
        "01/10/2021,10.00,Personal data,,,,Care\r\n"
        "02/10/2021,20.00,REDACTED,,,,Care\r\n"
        "03/10/2021,30.00,Acme Ltd,A1,,,Fees\r\n"
        "04/10/2021,40.00,Redactive Publishing Ltd,R9,,,Fees\r\n"
        "05/10/2021,50.00,Acme Ltd,A1,,,Fees\r\n"
        "06/10/2021,60.00,REDACTED,,,,Care\r\n"
        "07/10/2021,70.00,Personal data,,,,Care\r\n"
        "08/10/2021,80.00,,,,,Care\r\n"
        "09/10/2021,90.00,,,,,Care\r\n"),
    "totals, subtotals and report text where publishers put them": HEAD + (
        "01/10/2021,100.00,Acme Ltd,A1,,,Fees\r\n"
        "02/10/2021,250.50,Total Gas & Power Ltd,T1,,,Gas\r\n"
        "03/10/2021,49.50,,,,,Care\r\n"
        ",400.00,,,,,October total\r\n"
        "01/11/2021,-20.00,Acme Ltd,A1,,,Credit\r\n"
        "\r\n"
        "02/11/2021,70.00,Beta Ltd,B1,,,Fees\r\n"
        ",70.00,,,,,\r\n"
        ",50.00,,,,,\r\n"
        "30/11/2021,50.00,TOTAL,,,,\r\n"
        "Sub-total,450.00,,,,,\r\n"
        ",Total,,,,,450.00\r\n"
        ",450.00,,,,,\r\n"
        "Source: Agresso,,,,,,\r\n"
        "© Crown copyright,,,,,,\r\n"
        "Page 1 of 1,,,,,,\r\n"
        "*** End of report ***,,,,,,\r\n"),
    "a figure with no date or supplier that totals nothing": HEAD + (
        "01/10/2021,100.00,Acme Ltd,A1,,,Fees\r\n"
        ",12.00,,,,,\r\n"),
    "a redacted name and a private individual": HEAD + (
        "01/10/2021,10.00,REDACTED PERSONAL DATA,,,,Care\r\n"
        "02/10/2021,20.00,Private Individual,,S60 2UD,,Care\r\n"),
    "charity and VAT numbers, and names the name rules work on": (
        "Payment Date,Amount,Supplier Name,Supplier ID,Charity Number,VAT Number,Company Number,"
        "Supplier Postcode\r\n"
        "01/10/2021,10.00,The P H S Group Plc,P1,,GB 123 4567 89,,S60 2UD\r\n"
        "02/10/2021,20.00,P.H.S. GROUP PLC,P2,,123456789,,\r\n"
        "03/10/2021,30.00,Rotherham Hospice Trust,H1,1146304-1,,,\r\n"
        "04/10/2021,40.00,Scottish Friends,H2,SC012345,,,\r\n"
        "05/10/2021,50.00,Ulster Aid,H3,NIC100002,,,\r\n"
        "06/10/2021,60.00,CAFÉ NERO LIMITED,C9,,,1234567,\r\n"
        "07/10/2021,70.00,The Ltd,T9,,,,\r\n"
        "08/10/2021,80.00,& Co,A8,1146304,,SC123456,\r\n"
        "09/10/2021,90.00,O'Brien + Sons (UK) Ltd.,O1,,GD123,,\r\n"
        "10/10/2021,5.00,Personal data - withheld,,,,,S60 2UD\r\n"),
    "identifiers written plainly and otherwise, as the row path reads them": (
        "Payment Date,Amount,Supplier Name,Supplier ID,Company Number,VAT Number,"
        "Charity Number\r\n"
        "01/10/2021,1.00,Supplier 0,S0,,GB123456789,\r\n"
        "02/10/2021,2.00,Supplier 1,S1,,XI123456789,\r\n"
        "03/10/2021,3.00,Supplier 2,S2,,123456789012,\r\n"
        "04/10/2021,4.00,Supplier 3,S3,,GB000000000,\r\n"
        "05/10/2021,5.00,Supplier 4,S4,,gb123456789,\r\n"
        "06/10/2021,6.00,Supplier 5,S5,,GB 123456789,\r\n"
        "07/10/2021,7.00,Supplier 6,S6,,1234567890,\r\n"
        "08/10/2021,8.00,Supplier 7,S7,,GB12345678,\r\n"
        "09/10/2021,9.00,Supplier 8,S8,,GBGB123456789,\r\n"
        "10/10/2021,10.00,Supplier 9,S9,,HA123,\r\n"
        "11/10/2021,11.00,Supplier 10,S10,,N/A,\r\n"
        "12/10/2021,12.00,Supplier 11,S11,,0,\r\n"
        "13/10/2021,13.00,Supplier 12,S12,01234567,,\r\n"
        "14/10/2021,14.00,Supplier 13,S13,1234567,,\r\n"
        "15/10/2021,15.00,Supplier 14,S14,1,,\r\n"
        "16/10/2021,16.00,Supplier 15,S15,0,,\r\n"
        "17/10/2021,17.00,Supplier 16,S16,00000000,,\r\n"
        "18/10/2021,18.00,Supplier 17,S17,00,,\r\n"
        "19/10/2021,19.00,Supplier 18,S18,123456789,,\r\n"
        "20/10/2021,20.00,Supplier 19,S19,000000001,,\r\n"
        "21/10/2021,21.00,Supplier 20,S20,SC123456,,\r\n"
        "22/10/2021,22.00,Supplier 21,S21,sc123456,,\r\n"
        "23/10/2021,23.00,Supplier 22,S22,SC1234,,\r\n"
        "24/10/2021,24.00,Supplier 23,S23,OC12345678,,\r\n"
        "25/10/2021,25.00,Supplier 24,S24,XX123456,,\r\n"
        "26/10/2021,26.00,Supplier 25,S25,R1234,,\r\n"
        "27/10/2021,27.00,Supplier 26,S26,IP12345R,,\r\n"
        "28/10/2021,28.00,Supplier 27,S27,0000000012,,\r\n"
        "01/10/2021,29.00,Supplier 28,S28,,,123456\r\n"
        "02/10/2021,30.00,Supplier 29,S29,,,1234567\r\n"
        "03/10/2021,31.00,Supplier 30,S30,,,000000\r\n"
        "04/10/2021,32.00,Supplier 31,S31,,,12345\r\n"
        "05/10/2021,33.00,Supplier 32,S32,,,12345678\r\n"
        "06/10/2021,34.00,Supplier 33,S33,,,1146304-0\r\n"
        "07/10/2021,35.00,Supplier 34,S34,,,SC12345\r\n"
        "08/10/2021,36.00,Supplier 35,S35,,,NI123456\r\n"
        "09/10/2021,37.00,Supplier 36,S36,,,Exempt\r\n"),
    "postcodes spelled every way, in and out of the area, and none": (
        "Payment Date,Amount,Supplier Name,Supplier ID,Supplier Postcode\r\n"
        + "".join(f"0{day % 9 + 1}/10/2021,{day}.00,Supplier {day},P{day},{typed}\r\n"
                  for day, typed in enumerate([
                      "S60 2UD", "s602ud", " S60  2UD ", "s60 2UD", "S 6 0 2 U D", "DN1 1AA",
                      "dn11aa", "S99 9ZZ", "LS1 4AP", "ls14ap", "GIR 0AA", "S60", "S60 2U",
                      "NOT KNOWN", "N/A", "n/a", "-", "12345", "DN99 9999", "QS1 1AA",
                      '"S60\u00a02UD"', "S60 2UD", "S60 2UDX", "S1 2HH", "s1  2hh"]))),
}


def crafted() -> dict[str, bytes]:
    made = {name: text if isinstance(text, bytes) else text.encode("utf-8-sig")
            for name, text in CRAFTED.items()}
    calderdale = REAL_SPEND / "calderdale" / "calderdale_clean_2022-08.csv"
    if calderdale.is_file():
        made["a real council file with a bare total row and a footer below it"] = (
            calderdale.read_bytes().rstrip(b"\n") + b"\n" + b"," * 5 + b"15901508.75"
            + b"," * 17 + b"\n" + b"Contains public sector information" + b"," * 22 + b"\n")
    return made


def real_csvs() -> list[Path]:
    """Every real CSV spend file checked out beside the repository."""
    return sorted(REAL_SPEND.glob("*/*.csv")) if REAL_SPEND.is_dir() else []


def spendfile():
    """The benchmark's generator of messy transparency-code files."""
    spec = importlib.util.spec_from_file_location("spendfile", REPO / "bench" / "spendfile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
