"""One web worker for the shared-counter test, run as ``python -m tests.api.limiter_worker``.

It builds the hub from the environment (as a real worker does, e.g. RATELIMIT_STORAGE_URI and
TOKEN_RATE_LIMIT from EXCHANGE_*), sends ``--tries`` token requests with a wrong secret for
``--client-id`` and prints their status codes as one JSON list."""

import argparse
import json

from exchange import create_app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--tries", type=int, required=True)
    args = parser.parse_args()
    client = create_app().test_client()
    statuses = [client.post("/oauth/token", data={"grant_type": "client_credentials"},
                            auth=(args.client_id, "a wrong secret")).status_code
                for _ in range(args.tries)]
    print(json.dumps(statuses))


if __name__ == "__main__":
    main()
