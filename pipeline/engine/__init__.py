"""The engine: what one document says, as records. `process(document, knowledge)` is a
pure function (no I/O, no state between calls), so the process pool and Ray Data map it
over documents anywhere. Its decisions are one module each:

    text        an analysis text (simplified, half-width), sentences, header facts
    structure   the parts a document's headings open
    numbers     the value of a written number
    figures     number + measure word + qualifier, then subject, metric and time per figure
    subject     what a figure counts and its catalog metric
    timing      a figure's year and period kind
    place       a figure's region
"""

from __future__ import annotations

from pipeline import __version__
from pipeline.engine import place, text
from pipeline.engine.figures import find_figures
from pipeline.knowledge import Knowledge
from pipeline.records import Document, DocumentRecord, Figure, figure_id


def process(document: Document, knowledge: Knowledge) -> tuple[DocumentRecord, list[Figure]]:
    """The document's record and its figures, in document order."""
    reading = text.read(knowledge, document)
    found = find_figures(knowledge, reading)
    home, places = place.place_figures(knowledge, reading, found)
    record = DocumentRecord(
        doc_id=document.doc_id, doc=document.doc, path=document.path, format=document.format,
        encoding=document.encoding, bytes=document.bytes, chars=document.chars, title=reading.title,
        source=reading.source, published=reading.published, published_how=reading.published_how,
        present_year=reading.present_year, present_year_how=reading.present_year_how,
        main_region_code=home.code, main_region_name=home.name, script=reading.script, text=document.text)
    figures = []
    for f, placed in zip(found, places, strict=True):
        c = f.candidate
        where = placed.place
        # 庆阳、酒泉经济总量突破千亿元: each one's, no region's value
        metric = None if placed.shared else f.metric
        if where.code == place.FOREIGN:
            # stored with the document's region for its place in the text, but never a
            # metric's value: no region of the gazetteer holds it
            metric, where = None, place.Place(home.code, where.name, "area")
        # a fall of a growth metric (下降3.3%) is negative growth; a figure with no metric keeps
        # its value as written, the direction in its subject
        value = -c.value if metric and f.falls else c.value
        figures.append(Figure(
            figure_id=figure_id(document.doc_id, c.start, c.end), doc_id=document.doc_id, doc=document.doc,
            start=c.start, end=c.end, text=f.text, quote=f.quote, quote_start=f.quote_start, value=value,
            unit=c.unit, qualifier=c.qualifier, metric=metric, subject=f.subject, region_code=where.code,
            region_name=where.name, region_level=where.level, year=f.year, date=f.date,
            period_kind=f.period_kind, extractor=__version__))
    return record, figures
