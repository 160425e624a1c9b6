"""A running flow run's name and tags: book runs start named after the manuscript file and output folder
(all a deployment run knows when it is created) and are renamed after the book once it is read; chapter
runs carry their book's tag."""

from __future__ import annotations

from pathlib import Path

from prefect import get_client, runtime

from tasks.plan import book_run_name, book_tag


def book_run_name_from_parameters() -> str:
    """`flow_run_name` of render-book before the manuscript is read: its file name and output folder."""
    request = runtime.flow_run.parameters["request"]  # a RenderRequest, or its JSON when a deployment run starts
    fields = request if isinstance(request, dict) else request.model_dump()
    return book_run_name(Path(str(fields.get("manuscript", "book"))).name, fields.get("output_dir", "out"))


def label_book_run(title: str, output_dir: Path | str) -> None:
    """Rename the running book run after its book and add the book's tag (a no-op outside a flow run)."""
    run_id = runtime.flow_run.id
    if not run_id:
        return
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(run_id)
        tags = sorted(set(run.tags) | {book_tag(title)})
        client.update_flow_run(run_id, name=book_run_name(title, output_dir), tags=tags)


def tag_run(flow_run, tag: str) -> None:
    """Give this flow run `tag` (one request; none when it has it). Chapter runs carry their book's tag so
    the runs list filters by book; a `tags()` context would tag every task run too, and Prefect asks the
    server for a concurrency slot before each run of a tagged task."""
    if tag in flow_run.tags:
        return
    with get_client(sync_client=True) as client:
        client.update_flow_run(flow_run.id, tags=sorted({*flow_run.tags, tag}))
