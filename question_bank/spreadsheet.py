"""Cells of the .xlsx files the app writes: text stays text, so no spreadsheet program runs it as a formula.

Every workbook the app hands out (exports, error reports, password sheets, the audit log) writes its
cells through here: text that begins with =, +, - or @ (or a tab or carriage return) is stored as text
with Excel's quote prefix, which keeps it text when someone edits the cell (formula injection)."""
from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_cell(cell, value):
    """Put a value in a cell; text is always stored as text, never as a formula. Returns the cell."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def append_row(sheet, values) -> None:
    """sheet.append, with every cell written by write_cell."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        write_cell(cell, cell.value)
