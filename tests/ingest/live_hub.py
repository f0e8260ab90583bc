"""The hub served in a process of its own, for tests that watch the server's memory: run as
``python -m tests.ingest.live_hub``; settings from the environment (DATABASE_URL, SECRET_KEY,
EXCHANGE_BLOB_DIR …). Prints the port it listens on, then serves until killed."""

from werkzeug.serving import make_server

from exchange import create_app


def main() -> None:
    server = make_server("127.0.0.1", 0, create_app())
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
