from __future__ import annotations

from dataclasses import dataclass

from application.identity.common import AuthResult, IdentityPolicy, username_for_email
from application.identity.throttling import Guard
from application.ports.persistence import TransactionManager, UserRepository
from application.ports.system import Clock, PasswordHasher, TokenService
from domain.errors import DomainError, InvalidInput
from domain.identity.user import User, check_username, normalise_email, password_problems
from domain.ids import new_id

EMAIL_TAKEN = "A user with this email already exists."
USERNAME_TAKEN = "A user with that username already exists."


class RegistrationRejected(InvalidInput):
    """Every field that failed, each with its messages (Django REST framework reports them all at once).
    ``message``/``field`` name the first, for the contracts that show a single message."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        field, messages = next(iter(errors.items()))
        super().__init__(messages[0], field=field)
        self.errors = errors


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterCommand:
    email: str
    password: str
    display_name: str | None = None
    username: str | None = None
    password2: str | None = None  # checked when sent
    client: str | None = None  # the caller's address, for throttling


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterUser:
    users: UserRepository
    hasher: PasswordHasher
    tokens: TokenService
    tx: TransactionManager
    clock: Clock
    policy: IdentityPolicy
    guard: Guard

    async def __call__(self, cmd: RegisterCommand) -> AuthResult:
        await self.guard.before_register(cmd.client, self.clock.now().timestamp())
        errors: dict[str, list[str]] = {}
        email = username = None
        if cmd.username is not None:
            try:
                username = check_username(cmd.username)
            except DomainError as exc:
                errors["username"] = [exc.message]
            else:
                if await self.users.by_username(username) is not None:
                    errors["username"] = [USERNAME_TAKEN]
        try:
            email = normalise_email(cmd.email)
        except DomainError as exc:
            errors["email"] = [exc.message]
        else:
            if await self.users.by_email(email) is not None:
                errors["email"] = [EMAIL_TAKEN]
            elif await self.users.lookalike_of(email) is not None:
                # A full-width or Cyrillic twin of someone's address would let its owner pass for them.
                errors["email"] = ["This email looks the same as an existing account's."]
        problems = password_problems(cmd.password)
        if cmd.password2 is not None and cmd.password2 != cmd.password:
            problems.insert(0, "Password fields didn't match.")
        if problems:
            errors["password"] = problems
        if errors:
            raise RegistrationRejected(errors)
        assert email is not None
        if username is None:
            username = await username_for_email(self.users, email)
        now = self.clock.now()
        display = (cmd.display_name or "").strip() or username
        user = User(
            id=new_id(now.timestamp()),
            email=email,
            username=username,
            display_name=display[:80],
            password_hash=await self.hasher.hash(cmd.password),
            role=self.policy.role_for(email),
            created_at=now,
            updated_at=now,
        )
        await self.users.add(user)  # unique constraints catch a racing duplicate
        await self.tx.commit()
        return AuthResult(user=user, tokens=self.tokens.issue(user.id, user.role.value))
