"""Calendar dates as people in Kutai Timur read them (WITA, UTC+8)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Asia/Makassar")


def local_date(moment: datetime) -> date:
    """The date in Kutai Timur at this moment (a certificate issued at 23:30 UTC is dated
    the next day there)."""
    return moment.astimezone(LOCAL_ZONE).date()
