"""People who sign in to the hub: each belongs to one partner and has roles within it."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.models.base import Base, utcnow
from exchange.models.places import Partner

ROLES = ("approver", "board", "admin")


class User(Base):
    """A partner's data officer, approver, board member or administrator; the password is an
    argon2 hash. Roles are words in a JSON list, so a new role needs no migration."""

    __tablename__ = "hub_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # always stored lowercase
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    disabled: Mapped[bool] = mapped_column(default=False)
    # Set when an administrator resets the password: the pages ask for a new one first.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    partner: Mapped[Partner] = relationship(lazy="joined")

    def has_role(self, role: str) -> bool:
        return role in (self.roles or [])

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"
