"""Errors of the pipeline layer; each message names the file and the problem for a person."""


class BarkbookError(Exception):
    """Base class: printed as one line at the edge (CLI, flow), never as a traceback."""


class ManuscriptError(BarkbookError):
    """A manuscript cannot be read or makes no sense as a book."""
