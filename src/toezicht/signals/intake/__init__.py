"""Intake helpers for signals, free of Django (see docs/adr/0007-pure-computational-cores.md).

* :mod:`.deadlines`: handling deadlines in calendar days or Dutch working days, scalar and vectorised.
* :mod:`.dedup`: possible duplicate signals (same organisation, close dates, similar text).
* :mod:`.triage`: suggested organisations, themes and area for a signal's text; never applied silently.
"""
