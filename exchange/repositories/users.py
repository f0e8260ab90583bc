"""People who sign in."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.models.users import User


class UserRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, user: User) -> User:
        self.session.add(user)
        return user

    def get(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def by_email(self, email: str) -> User | None:
        stmt = select(User).where(User.email == email.strip().lower())
        return self.session.scalars(stmt).first()

    def for_partner(self, partner_id: int) -> list[User]:
        stmt = select(User).where(User.partner_id == partner_id).order_by(User.email)
        return list(self.session.scalars(stmt))
