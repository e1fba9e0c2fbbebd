"""Who said what: quotations, their speakers, and the source line of a news report.

The ``attribution`` pipeline step (:func:`khabar.attribution.step.attribution_step`) fills
``doc.quotes`` and ``doc.source``; docs/quotes.md gives the guidelines it follows.

    cues.py         reporting verbs and phrases (lexicon in khabar/data/cues.tsv)
    quotes.py       direct and indirect quotations and the speaker mention of each
    speakers.py     resolving mentions (titles, pronouns, surnames) to the person meant
    source_line.py  «به گزارش ... به نقل از ...»
"""

# the pronouns a speaker may be mentioned by («وی گفت»): here, apart from quotes.py, so that the archive
# can tell an unresolved one without loading the attribution step
PRONOUNS = frozenset({"وی", "او", "ایشان", "آنها", "آن‌ها", "اینها", "این‌ها"})
