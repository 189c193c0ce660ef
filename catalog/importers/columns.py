"""A format's columns found by the names in a file's header, so their order does not matter.

The map is built once per file; mapping a row is one list comprehension, or
nothing when the file has the format's own columns in its own order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from catalog.importers.base import FileCounts, ImportContext, Source, read_csv_records, read_header
from catalog.importers.parsing import BadValue


class HeaderError(ValueError):
    """A header that lacks (or repeats) columns the format needs: the file is refused before any row."""


@dataclass(frozen=True)
class HeaderColumns:
    """Where each of a format's columns sits in one file; other columns in the file are ignored."""

    names: tuple[str, ...]
    width: int
    positions: tuple[int, ...]
    in_order: bool  # the format's columns and nothing else, in the format's order

    @classmethod
    def of(cls, source: Source, names: Sequence[str]) -> HeaderColumns:
        header = read_header(source)
        missing = [name for name in names if name not in header]
        if missing:
            raise HeaderError(f"{source.label}: the header lacks the column(s) {', '.join(missing)}")
        repeated = [name for name in names if header.count(name) > 1]
        if repeated:
            raise HeaderError(f"{source.label}: the header repeats the column(s) {', '.join(repeated)}")
        positions = tuple(header.index(name) for name in names)
        in_order = positions == tuple(range(len(header)))
        return cls(names=tuple(names), width=len(header), positions=positions, in_order=in_order)

    def pick(self, fields: list[str]) -> list[str]:
        """The row's values in the format's column order; BadValue when its width is not the header's."""
        if len(fields) != self.width:
            raise BadValue(f"expected {self.width} fields as in the header, found {len(fields)}")
        if self.in_order:
            return fields
        return [fields[position] for position in self.positions]


def header_records(
    source: Source, columns: HeaderColumns, counts: FileCounts, context: ImportContext
) -> Iterator[tuple[int, list[str]]]:
    """(line, the record's values in the format's column order); every record is counted as read.

    A record whose width is not the header's is rejected here.
    """
    for line, record in read_csv_records(source, counts=counts, context=context):
        counts.read += 1
        try:
            fields = columns.pick(record)
        except BadValue as error:
            context.reject(counts, line, "row", ",".join(record), str(error))
            continue
        yield line, fields
