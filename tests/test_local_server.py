"""LocalServer: the CLI's early-started temporary Prefect API, run in a clean process of its own."""

import json
import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import json, threading
    from prefect import flow, get_client
    from prefect.settings import get_current_settings
    from flows.local_server import LocalServer

    server = LocalServer.start()
    seen = {}

    @flow
    def child():
        return "child done"

    @flow
    def parent():
        thread = threading.Thread(target=lambda: seen.update(thread=get_current_settings().api.url))
        thread.start(); thread.join()
        return child()

    with server.serving():
        seen["main"] = get_current_settings().api.url
        seen["result"] = parent()
        with get_client(sync_client=True) as client:
            seen["runs"] = sorted(run.name for run in client.read_flow_runs())
    server.stop()
    print(json.dumps({**seen, "url": server.url, "exit": server.process.returncode}))
    """
)


def run_script(tmp_path, script=SCRIPT, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    clean |= {"PREFECT_HOME": str(tmp_path / "prefect"), **env}
    done = subprocess.run([sys.executable, "-c", script], env=clean, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_flows_and_context_free_threads_use_the_one_early_server_which_stops(tmp_path):
    seen = run_script(tmp_path)
    assert seen["url"].startswith("http://127.0.0.1:") and seen["url"].endswith("/api")
    assert seen["main"] == seen["thread"] == seen["url"]
    assert seen["result"] == "child done" and len(seen["runs"]) == 2
    assert seen["exit"] is not None  # the server process has exited


def test_a_port_taken_before_the_server_binds_it_is_replaced_by_another(tmp_path):
    seen = run_script(tmp_path, textwrap.dedent(
        """
        import json, socket
        import flows.local_server as local
        taken = socket.socket()
        taken.bind(("127.0.0.1", 0))
        taken.listen()  # another process got there first
        first, pick = [taken.getsockname()[1]], local.free_port
        local.free_port = lambda: first.pop() if first else pick()
        server = local.LocalServer.start()
        with server.serving():
            from prefect import get_client
            with get_client(sync_client=True) as client:
                error = client.api_healthcheck()
        server.stop()
        print(json.dumps({"taken": taken.getsockname()[1], "url": server.url, "error": repr(error)}))
        """
    ))
    assert seen["error"] == "None" and f":{seen['taken']}/" not in seen["url"]


def test_a_configured_api_is_used_and_no_server_is_started():
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.local_server import LocalServer

    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        server = LocalServer.start()
    assert server.process is None and server.url is None
    with server.serving():
        pass
    server.stop()


def test_a_server_that_cannot_start_is_one_clear_error(tmp_path):
    script = textwrap.dedent(
        """
        from flows.local_server import LocalServer, ServerError
        server = LocalServer.start()
        try:
            with server.serving():
                print("served")
        except ServerError as err:
            print("ServerError:", err)
        finally:
            server.stop()
        """
    )
    unopenable = f"sqlite+aiosqlite:///{tmp_path}/a-file/prefect.db"
    (tmp_path / "a-file").write_text("not a folder")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    clean |= {"PREFECT_HOME": str(tmp_path / "home" / "prefect"), "PREFECT_SERVER_DATABASE_CONNECTION_URL": unopenable}
    done = subprocess.run([sys.executable, "-c", script], env=clean, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    message = done.stdout.strip().splitlines()[-1]
    assert message.startswith("ServerError: the temporary Prefect server exited with code") and "database" in message
    assert (tmp_path / "home" / "prefect").is_dir()  # a fresh PREFECT_HOME is made, parents and all
