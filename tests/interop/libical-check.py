"""
Read iCalendar files with libical (the C library of Evolution and many servers, through its
GObject bindings: Debian's gir1.2-ical-3.0 and python3-gi) and report, as JSON on stdout:
parse errors libical marks with X-LIC-ERROR, whether RFC 5546's restriction check passes, and
the local days each event falls on between two days, with EXDATE and RECURRENCE-ID applied.

    python3 libical-check.py FROM TO FILE...   (FROM and TO as YYYY-MM-DD)
"""
import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib as ical  # noqa: E402


def errors_of(component):
    found = []
    prop = component.get_first_property(ical.PropertyKind.XLICERROR_PROPERTY)
    while prop is not None:
        found.append(prop.get_xlicerror())
        prop = component.get_next_property(ical.PropertyKind.XLICERROR_PROPERTY)
    child = component.get_first_component(ical.ComponentKind.ANY_COMPONENT)
    while child is not None:
        found.extend(errors_of(child))
        child = component.get_next_component(ical.ComponentKind.ANY_COMPONENT)
    return found


def day_of(t):
    return "%04d-%02d-%02d" % (t.get_year(), t.get_month(), t.get_day())


def check(path, start, end):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    root = ical.Parser.parse_string(text)
    if root is None:
        return {"errors": ["not parsed"], "restrictionsOk": False, "days": {}}
    parse_errors = errors_of(root)
    restrictions_ok = bool(ical.restriction_check(root))
    restriction_errors = [e for e in errors_of(root) if e not in parse_errors]
    days = {}
    events = []
    child = root.get_first_component(ical.ComponentKind.VEVENT_COMPONENT)
    while child is not None:
        events.append(child)
        child = root.get_next_component(ical.ComponentKind.VEVENT_COMPONENT)
    # Overrides (RECURRENCE-ID) replace their instance of the series with the same UID.
    overrides = {}
    for e in events:
        rid = e.get_recurrenceid()
        if rid is not None and not rid.is_null_time():
            overrides.setdefault(e.get_uid(), {})[day_of(rid)] = e
    for e in events:
        rid = e.get_recurrenceid()
        if rid is not None and not rid.is_null_time():
            continue
        uid = e.get_uid()
        found = days.setdefault(uid, [])
        replaced = overrides.get(uid, {})

        def collect(component, span, _data=None):
            t = ical.Time.new_from_timet_with_zone(span.get_start(), 0, ical.Timezone.get_builtin_timezone("Asia/Tokyo"))
            day = day_of(t)
            if day in replaced:
                moved = replaced[day]
                if moved.get_status() != ical.PropertyStatus.CANCELLED:
                    found.append(day_of(moved.get_dtstart()))
            else:
                found.append(day)

        e.foreach_recurrence(start, end, collect, None)
    return {"errors": parse_errors + restriction_errors, "restrictionsOk": restrictions_ok, "days": days}


def main():
    first, last, *paths = sys.argv[1:]
    start = ical.Time.new_from_string(first.replace("-", ""))
    end = ical.Time.new_from_string(last.replace("-", ""))
    print(json.dumps({p: check(p, start, end) for p in paths}, ensure_ascii=False))


main()
