"""Plain text → chapters: headings by the form the book repeats, notes, the title page."""
