"""``python -m exchange.scheduler``: the scheduler as its own process, the same as `hub scheduler`
(settings from the environment, like every `hub` command)."""

import logging

from exchange import create_app
from exchange.scheduling import process
from exchange.scheduling.app import runner_for, scheduler_for


def main() -> None:
    app = create_app()
    with app.app_context():
        runner = runner_for(app)
        logging.getLogger(__name__).info("scheduler %s/%s", runner.host, runner.pid)
        process.serve(scheduler_for(app, runner), runner)


if __name__ == "__main__":
    main()
