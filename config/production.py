"""Production: secure cookies; the secret and database must come from the environment."""

ENV = "production"
SESSION_COOKIE_SECURE = True
