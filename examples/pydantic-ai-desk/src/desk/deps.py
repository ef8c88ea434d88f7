"""What every agent of the desk can reach while it answers one customer."""

from dataclasses import dataclass


class Accounts:
    """The core-banking client (a thin wrapper over its HTTP API)."""

    async def balance(self, customer_id: int, *, include_pending: bool) -> float:
        raise NotImplementedError

    async def block_card(self, customer_id: int) -> None:
        raise NotImplementedError


@dataclass
class DeskDeps:
    customer_id: int
    accounts: Accounts
