"""The pipeline, one package per stage in the order the data flows:

core (shared) → manuscript (readers → Book) → text (Book → segments) → qc (checks of one take) →
plan (BookPlan) → render (takes, cached) → master (chapter masters) → package (a platform's files) →
deliver (manifest.json, the review list, the summary).

A stage imports only the stages before it (tests/test_layers.py says so); each package's `__init__`
names what the later stages use.
"""
