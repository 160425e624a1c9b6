"""Deliver: `manifest.json` (every file with its kind, sha256 and duration; stale files of an earlier run
removed), the book's review list, and the run's summary as an artifact."""

from .manifest import ManifestEntry, RunSummary, deliver_manifest, remove_stale, write_manifest
from .review import ReviewList, write_review
from .summary import publish_summary

__all__ = ["ManifestEntry", "ReviewList", "RunSummary", "deliver_manifest", "publish_summary", "remove_stale", "write_review", "write_manifest"]
