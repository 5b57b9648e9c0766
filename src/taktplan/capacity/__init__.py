"""Capacity: calendar, takt, shifts, daily demand, ramp-up, bridge stock."""

from taktplan.capacity.rampup import BridgeStock as BridgeStock
from taktplan.capacity.rampup import RampUpCurve as RampUpCurve
from taktplan.capacity.rampup import bridge_stock as bridge_stock
from taktplan.capacity.rampup import ramp_up_curve as ramp_up_curve
from taktplan.capacity.takt import AvailableTime as AvailableTime
from taktplan.capacity.takt import DailyDemand as DailyDemand
from taktplan.capacity.takt import ShiftNeed as ShiftNeed
from taktplan.capacity.takt import Takt as Takt
from taktplan.capacity.takt import available_time as available_time
from taktplan.capacity.takt import daily_demand as daily_demand
from taktplan.capacity.takt import shifts_needed as shifts_needed
from taktplan.capacity.takt import takt as takt

__all__ = [
    "AvailableTime",
    "BridgeStock",
    "DailyDemand",
    "RampUpCurve",
    "ShiftNeed",
    "Takt",
    "available_time",
    "bridge_stock",
    "daily_demand",
    "ramp_up_curve",
    "shifts_needed",
    "takt",
]
