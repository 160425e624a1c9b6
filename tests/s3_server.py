"""An S3 server on 127.0.0.1 for the s3:// segment cache: moto's, in threads of the calling process."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from prefect_service import free_port


@contextlib.contextmanager
def s3_server(bucket: str) -> Iterator[dict[str, str]]:
    """Serve S3 with `bucket` made; yields the environment that points botocore (so s3fs, so fsspec) at it,
    as a worker on another machine is pointed at a real bucket. The caller puts it in its own environment
    and in its children's."""
    import fsspec
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        env = {"AWS_ENDPOINT_URL": f"http://{host}:{port}", "AWS_ACCESS_KEY_ID": "local",
               "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "us-east-1"}
        s3 = fsspec.filesystem("s3", skip_instance_cache=True, endpoint_url=env["AWS_ENDPOINT_URL"],
                               key="local", secret="local")
        s3.mkdir(bucket)
        yield env
    finally:
        server.stop()
