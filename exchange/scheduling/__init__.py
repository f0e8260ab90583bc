"""The scheduler: which jobs run when (registry), running one occurrence exactly once and
recording it (runner), and APScheduler 3 with its jobs persisted in the database (process).

The jobs themselves are in exchange/jobs.py. `hub scheduler` (or ``python -m exchange.scheduler``)
runs the scheduler as its own process; any number of them may run against one database."""
