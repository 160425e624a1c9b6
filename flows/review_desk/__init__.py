"""The producer's review desk (`barkbook review OUT/`): a local web page to hear every flagged take in context,
fix it and render again just that. An edge of the product, like the CLI: it reads what a render left in the
output folder (.state/request.json, the chapter records and masters) and in its cache (the takes' tokens), keeps a
person's decisions in OUT/review.json, and renders through the same `render_book` the CLI runs.

book.py (the book as planned now, each segment's takes and place), words.py (checks in words), audio.py
(takes decoded and mastered, context clips), pronunciations.py (lexicon entries: preview, add), jobs.py
(renders, one at a time), desk.py (the state), actions.py (what a person does), present.py (view data),
app.py (the Starlette app), templates/ and static/ (the page: no script or style from elsewhere)."""
