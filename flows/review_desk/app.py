"""The desk's web app (Starlette): the page, its audio, the segments as JSON, the render's status and the
actions. Safe by default: a state-changing request must carry the page's token in a header (a page on another
site can neither read the token nor send that header without a CORS preflight, which this app never
grants); a request naming another host is refused (DNS rebinding); files are served only from the output
folder; the page loads nothing from anywhere else (its Content-Security-Policy says so). Bad input is a
JSON `{"error": one line}`, never a traceback."""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from tasks.core import BarkbookError
from tasks.qc import MAX_TAKES

from . import actions
from .book import NotInBook
from .desk import Desk
from .jobs import Busy
from .present import book_data, segment_data

TOKEN_HEADER = "X-Desk-Token"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
HEADERS = {  # every response: nothing from elsewhere, never framed, no referrer, types as declared
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; media-src 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
}
STATUS = {NotInBook: 404, Busy: 409}
log = logging.getLogger("barkbook.review")
templates = Environment(loader=PackageLoader("flows.review_desk", "templates"), autoescape=select_autoescape())


def error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


class Guard(BaseHTTPMiddleware):
    """The token on every state-changing request, which must not come from a page of another origin; the
    security headers on every response."""

    def __init__(self, app, token: str, hosts: tuple[str, ...]):
        super().__init__(app)
        self.token, self.hosts = token, hosts

    def foreign(self, request: Request) -> bool:
        """Sent by a page of another site (browsers name it in Origin); the desk's own pages are at its host."""
        origin = request.headers.get("origin")
        return origin is not None and "*" not in self.hosts and urlsplit(origin).netloc != request.headers.get("host")

    async def dispatch(self, request: Request, call_next) -> Response:
        given = request.headers.get(TOKEN_HEADER, "")
        if request.method not in SAFE_METHODS and (self.foreign(request) or not hmac.compare_digest(given, self.token)):
            response: Response = error("this request lacks the desk's token: reload the desk's page and try again", 403)
        else:
            response = await call_next(request)
        response.headers.update(HEADERS)
        return response


async def answer(work: Callable[[], object]) -> Response:
    """`work()` in a worker thread, as JSON; our errors as one line with their status; anything else as one
    line too (the traceback goes to the desk's log, not to the page)."""
    try:
        result = await run_in_threadpool(work)
    except BarkbookError as err:
        return error(str(err), STATUS.get(type(err), 400))
    except Exception:  # noqa: BLE001
        log.exception("review desk: internal error")
        return error("internal error in the desk (its terminal shows the details)", 500)
    return result if isinstance(result, Response) else JSONResponse(result)


async def body(request: Request) -> dict:
    """The request's JSON object; anything else is one line (BarkbookError)."""
    try:
        data = await request.json()
    except ValueError:
        raise BarkbookError("the request body is not JSON") from None
    if not isinstance(data, dict):
        raise BarkbookError("the request body is not a JSON object")
    return data


def text_field(data: dict, name: str, optional: bool = False) -> str | None:
    value = data.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise BarkbookError(f"'{name}' must be text")
    return value


def int_field(data: dict, name: str, optional: bool = False) -> int | None:
    value = data.get(name)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BarkbookError(f"'{name}' must be a whole number")
    return value


Handler = Callable[[Request], Awaitable[Response]]


def reading(read: Callable[[Request], object]) -> Handler:
    """A GET handler: `read(request)` in a worker thread, answered as JSON (or as the Response it made)."""
    async def handle(request: Request) -> Response:
        return await answer(lambda: read(request))
    return handle


def posting(act: Callable[[Request, dict], object]) -> Handler:
    """A POST handler: its JSON body read, then `act(request, body)` in a worker thread, answered as JSON."""
    async def handle(request: Request) -> Response:
        try:
            data = await body(request)
        except BarkbookError as err:
            return error(str(err))
        return await answer(lambda: act(request, data))
    return handle


class Pages:
    """What the desk serves besides its actions: the page, audio, files of the output folder."""

    def __init__(self, desk: Desk, token: str):
        self.desk, self.token = desk, token

    def page(self, request: Request) -> Response:
        try:
            book = book_data(self.desk.book())
        except BarkbookError as err:
            return HTMLResponse(templates.get_template("problem.html").render(message=str(err)), status_code=500)
        status = self.desk.jobs.status()
        return HTMLResponse(templates.get_template("index.html").render(
            book=book, token=self.token, token_header=TOKEN_HEADER, status=status, max_takes=MAX_TAKES,
            undelivered=self.desk.decided_since_render() and status["state"] != "running"))

    def segment(self, request: Request):
        return self.desk.book().segment(request.path_params["segment"])

    def take_audio(self, request: Request) -> Response:
        take = self.segment(request).take(request.path_params["seed"])
        return FileResponse(self.desk.audio.take_file(take), media_type="audio/wav")

    def context_audio(self, request: Request) -> Response:
        segment = self.segment(request)
        chapter = next(c for c in self.desk.book().chapters if c.plan.slug == segment.chapter.slug)
        return FileResponse(self.desk.audio.context_file(segment, chapter), media_type="audio/wav")

    def out_file(self, request: Request) -> Response:
        """A file inside the output folder (resolved: `..` and links out of it are not)."""
        path = (self.desk.output_dir / request.path_params["path"]).resolve()
        if not path.is_relative_to(self.desk.output_dir) or not path.is_file():
            raise NotInBook(f"no file {request.path_params['path']!r} in this book's folder")
        return FileResponse(path)


def action_routes(desk: Desk) -> list[Route]:
    """The POST routes, each one of `actions` (the segment's id from the path, the rest from the JSON body)."""
    def on_segment(path: str, act: Callable[[str, dict], str]) -> Route:
        return Route(f"/api/segments/{{segment}}/{path}", posting(
            lambda request, data: {"message": act(request.path_params["segment"], data)}), methods=["POST"])

    def changes(data: dict) -> dict:
        found = actions.preview_pronunciation(desk, text_field(data, "written"), text_field(data, "spoken"))
        return {"changes": [vars(change) for change in found]}

    return [
        on_segment("approve", lambda s, d: actions.approve(desk, s)),
        on_segment("unapprove", lambda s, d: actions.unapprove(desk, s)),
        on_segment("keep", lambda s, d: actions.keep_take(desk, s, int_field(d, "seed"))),
        on_segment("retake", lambda s, d: actions.retake(desk, s, int_field(d, "takes", optional=True))),
        on_segment("spoken", lambda s, d: actions.speak(desk, s, text_field(d, "spoken", optional=True))),
        Route("/api/lexicon/preview", posting(lambda r, d: changes(d)), methods=["POST"]),
        Route("/api/lexicon", posting(lambda r, d: {"message": actions.add_pronunciation(
            desk, text_field(d, "written"), text_field(d, "spoken"))}), methods=["POST"]),
        Route("/api/render", posting(lambda r, d: {"message": actions.render_again(desk)}), methods=["POST"]),
    ]


def create_app(desk: Desk, token: str | None = None, hosts: tuple[str, ...] = LOOPBACK_HOSTS) -> Starlette:
    """The desk's app over `desk`; `token` (default: a new random one) guards its actions; `hosts`: the host
    names it answers to (`*`: any, when it listens beyond this machine)."""
    token = token or secrets.token_urlsafe(32)
    pages = Pages(desk, token)
    routes = [
        Route("/", reading(pages.page)),
        Route("/api/segments", reading(lambda r: book_data(desk.book()))),
        Route("/api/segments/{segment}", reading(lambda r: segment_data(pages.segment(r)))),
        Route("/api/status", reading(lambda r: desk.jobs.status())),
        Route("/audio/take/{segment}/{seed:int}.wav", reading(pages.take_audio)),
        Route("/audio/context/{segment}.wav", reading(pages.context_audio)),
        Route("/out/{path:path}", reading(pages.out_file)),
        *action_routes(desk),
        Mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static"),
    ]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts)),
                  Middleware(Guard, token=token, hosts=hosts)]
    return Starlette(routes=routes, middleware=middleware)
