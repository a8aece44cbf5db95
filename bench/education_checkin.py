"""Check-in at the door over HTTP, served as `make run` serves it. Prints measurements; fails only
when the check-ins stored disagree with the answers given.

An event with ``BENCH_CHECKIN_REGISTRATIONS`` (2,000) registrations made through the
registration service; then ``BENCH_CHECKIN_PHONES`` (4) staff phones, each a keep-alive HTTP
connection signed in as an inspector, post ``BENCH_CHECKIN_COUNT`` (500) ticket codes between
them to the check-in page, as typing or scanning would; one scan in ten is a second scan of a
ticket already checked in, which must answer "already checked in" and change nothing. The scale
to meet: 500 check-ins within 30 minutes from four phones (0.28 a second); the figure printed is
how far above it the server is, and each scan's time to answer as a phone sees it.

`make bench PARTS=checkin` runs only this part.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import random
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

REGISTRATIONS = int(os.environ.get("BENCH_CHECKIN_REGISTRATIONS", "2000"))
PHONES = int(os.environ.get("BENCH_CHECKIN_PHONES", "4"))
CHECK_INS = int(os.environ.get("BENCH_CHECKIN_COUNT", "500"))
TARGET_PER_SECOND = 500 / (30 * 60)


def line(name: str, value: str) -> None:
    print(f"  {name:<44} {value}")


@dataclass
class Phone:
    """One staff phone: a signed-in keep-alive connection and what it saw."""

    port: int
    session: str
    codes: list[str]
    repeats: list[str]
    times: list[float] = field(default_factory=list)
    checked: int = 0
    already: int = 0
    failures: list[str] = field(default_factory=list)

    def run(self, path: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        cookies = f"sessionid={self.session}"
        connection.request("GET", path, headers={"Cookie": cookies})
        page = connection.getresponse()
        body = page.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        csrf_cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "")
        if page.status != 200 or token is None or csrf_cookie is None:
            self.failures.append(f"check-in page: {page.status}")
            return
        cookies += f"; csrftoken={csrf_cookie.group(1)}"
        headers = {
            "Cookie": cookies,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{self.port}{path}",
            "Origin": f"http://127.0.0.1:{self.port}",
        }
        scans = [(code, False) for code in self.codes]
        for i, code in enumerate(self.repeats):  # second scans, spread among the first ones
            scans.insert(min(len(scans), (i + 1) * 10), (code, True))
        for code, repeat in scans:
            form = urlencode({"csrfmiddlewaretoken": token.group(1), "code": code})
            start = time.perf_counter()
            connection.request("POST", path, body=form, headers=headers)
            answer = connection.getresponse()
            text = answer.read().decode()
            self.times.append(time.perf_counter() - start)
            if answer.status != 200:
                self.failures.append(f"{code}: {answer.status}")
            elif repeat:
                self.already += 1
            else:
                self.checked += 1
            if repeat and 'class="message warning' not in text:
                self.failures.append(f"{code}: a second scan was not answered as one")
        connection.close()


def run() -> None:
    import portal_http
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from integritas.core.models import Role, Unit, User
    from integritas.education.models import AudienceGroup, Event, Kind, Theme
    from integritas.education.services import tickets
    from integritas.education.services.events import event_publish, event_save
    from integritas.education.services.registration import Person, register

    print(
        f"check-in over HTTP: {REGISTRATIONS:,} registrations, {CHECK_INS:,} check-ins "
        f"from {PHONES} phones (gunicorn as `make run` serves it)"
    )
    inspector = User.objects.filter(role_assignments__role=Role.INSPECTOR).first()
    assert inspector is not None, "the demo has an inspector"
    starts = timezone.now()
    event = event_save(
        event=Event(),
        values={
            "kind": Kind.SOCIALIZATION,
            "title": "Bench: sosialisasi besar",
            "theme": Theme.GRATIFICATION,
            "description": "",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=4),
            "venue": "Gedung serbaguna",
            "online_url": "",
            "organiser": Unit.objects.filter(type=Unit.Type.INSPECTORATE).first(),
            "audience": list(AudienceGroup.values),
            "capacity": None,
            "speakers": "",
            "registration_open": True,
        },
        by=inspector,
    )
    event_publish(event=event, by=inspector)
    groups = list(AudienceGroup.values)
    started = time.perf_counter()
    registrations = [
        register(
            event=event,
            person=Person(
                f"Peserta {i}", f"Instansi {i % 40}", groups[i % len(groups)], f"p{i}@bench.test"
            ),
        )
        for i in range(REGISTRATIONS)
    ]
    elapsed = time.perf_counter() - started
    line(
        f"register {REGISTRATIONS:,} (service, one transaction each)",
        f"{elapsed:.1f} s = {REGISTRATIONS / elapsed:,.0f} registrations/s",
    )

    codes = [tickets.code_for(r.ticket) for r in random.Random(7).sample(registrations, CHECK_INS)]
    session = SessionStore()
    session[SESSION_KEY] = str(inspector.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = inspector.get_session_auth_hash()
    session.create()
    port = portal_http.free_port()
    server = portal_http.serve(port)
    try:
        phones = []
        for n in range(PHONES):
            own = codes[n::PHONES]
            phones.append(Phone(port, session.session_key or "", own, own[: len(own) // 10]))
        path = f"/edukasi/{event.code}/hadir/"
        threads = [threading.Thread(target=phone.run, args=(path,)) for phone in phones]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        portal_http.stop(server)
    failures = [f for phone in phones for f in phone.failures]
    times = sorted(t for phone in phones for t in phone.times)
    checked = sum(phone.checked for phone in phones)
    already = sum(phone.already for phone in phones)
    stored = event.registrations.filter(checked_in_at__isnull=False).count()
    rate = checked / elapsed if elapsed else 0.0
    line(
        f"{checked:,} check-ins + {already} second scans, {PHONES} phones",
        f"{elapsed:.1f} s = {rate:,.1f} check-ins/s "
        f"({rate / TARGET_PER_SECOND:,.0f}× the 500-in-30-minutes pace)",
    )
    if times:
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        line(
            "time to answer a scan",
            f"p50 {statistics.median(times) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms",
        )
    line("checked in, as stored", f"{stored:,} (answers: {checked:,} checked, {already} already)")
    assert not failures, failures[:5]
    assert stored == checked == CHECK_INS, (stored, checked)
