"""Every table, split by concept; importing this package registers them all on Base.metadata."""

from troth.storage.models.accounts import AccountRow
from troth.storage.models.credits import ClaimRow, MonthCloseRow
from troth.storage.models.outages import (
    AnnouncementRow,
    ComponentRow,
    MaintenanceAccountRow,
    MaintenanceRow,
    OutageAccountRow,
    OutageRow,
    OutageUpdateRow,
)
from troth.storage.models.policies import PolicyRow, PolicyVersionRow
from troth.storage.models.tickets import TargetStateRow, TicketEventRow, TicketRow
from troth.storage.models.users import Role, TokenRow, UserRow

__all__ = [
    "AccountRow",
    "AnnouncementRow",
    "ClaimRow",
    "ComponentRow",
    "MaintenanceAccountRow",
    "MaintenanceRow",
    "MonthCloseRow",
    "OutageAccountRow",
    "OutageRow",
    "OutageUpdateRow",
    "PolicyRow",
    "PolicyVersionRow",
    "Role",
    "TargetStateRow",
    "TicketEventRow",
    "TicketRow",
    "TokenRow",
    "UserRow",
]
