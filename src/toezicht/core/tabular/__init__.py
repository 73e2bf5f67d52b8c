"""Reading, validating and writing tabular files (CSV, Excel) for imports and exports.

Pure Python, no Django: services call it and write to the database themselves.

    schema = Schema([
        Field("code", "Code", Text(20, upper=True), required=True, unique=True),
        Field("name", "Naam", Text(200), required=True, synonyms=("organisatienaam",)),
        Field("parent", "Moederorganisatie", Reference(codes, noun="organisatie", in_file_field="code")),
    ])
    result = validate_file(upload.read(), schema, upload.name, mapping, mode=ImportMode.SKIP_INVALID)
    print(result.report.as_text())
    for batch in result.batches(1000):
        ...  # bulk_create from row.values, keep row.fingerprint
"""

from .errors import ParseError, TableReadError, TabularError, UnknownReferenceError
from .mapping import ColumnMapping, ResolvedColumns, resolve_columns
from .parsers import (
    Boolean,
    Choice,
    Date,
    DateTime,
    Integer,
    Number,
    Parser,
    Percentage,
    Reference,
    ReferenceList,
    Text,
    parse_boolean,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_integer,
    parse_percentage,
)
from .reading import RawChunk, Table, read_table, table_from_rows
from .report import ImportMode, ImportReport, RowError
from .schema import Field, Schema
from .validation import (
    ImportResult,
    ValidRow,
    canonical_text,
    row_fingerprint,
    validate_file,
    validate_table,
)
from .writing import ExportColumn, write_csv, write_xlsx

__all__ = [
    "Boolean",
    "Choice",
    "ColumnMapping",
    "Date",
    "DateTime",
    "ExportColumn",
    "Field",
    "ImportMode",
    "ImportReport",
    "ImportResult",
    "Integer",
    "Number",
    "ParseError",
    "Parser",
    "Percentage",
    "RawChunk",
    "Reference",
    "ReferenceList",
    "ResolvedColumns",
    "RowError",
    "Schema",
    "Table",
    "TableReadError",
    "TabularError",
    "Text",
    "UnknownReferenceError",
    "ValidRow",
    "canonical_text",
    "parse_boolean",
    "parse_date",
    "parse_datetime",
    "parse_decimal",
    "parse_integer",
    "parse_percentage",
    "read_table",
    "resolve_columns",
    "row_fingerprint",
    "table_from_rows",
    "validate_file",
    "validate_table",
    "write_csv",
    "write_xlsx",
]
