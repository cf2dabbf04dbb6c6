#!/usr/bin/env python3
"""Generate the raw engineering event exports of the fictional Northwind sample.

Writes, next to okrs.csv (the parent folder of this script), or into the
folder given with --out:

    people.csv, prs.csv, deployments.csv, incidents.csv, ai_usage.csv

Python 3 standard library only, fixed seed: running it twice gives the same
bytes. This script is the one way to make these files; tests/sample_data.rs
checks that it still writes the committed ones. The built-in stories are
described in sample-data/README.md ("Engineering events"). Run:

    python3 sample-data/tools/make_events.py [--out DIR]
"""

import argparse
import csv
import datetime as dt
import math
import os
import random

SEED = 20260930
SAMPLE_DATA = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args():
    parser = argparse.ArgumentParser(description="Write the Northwind sample's engineering event exports.")
    parser.add_argument(
        "--out", metavar="DIR", default=SAMPLE_DATA, help="folder to write into (default: the sample-data folder)"
    )
    return parser.parse_args()


# Parsed before the generation below, so --help and a bad argument answer at once.
OUT = parse_args().out

UTC = dt.timezone.utc
CEST = dt.timezone(dt.timedelta(hours=2))

WINDOW_START = dt.date(2026, 6, 1)  # events start here (a month of run-up)
WINDOW_END = dt.date(2026, 9, 30)
Q_START = dt.date(2026, 7, 1)
Q_END = dt.date(2026, 9, 30)
# The export was taken on the evening of 2026-09-30: nothing happens later.
EXPORT_AT = dt.datetime(2026, 9, 30, 20, 0, 0, tzinfo=UTC)

TEAMS = ["payments", "platform", "mobile", "growth", "data"]

# person, team, role, location, tenure, ai behaviour (super / regular / passive).
# The behaviour only drives the generator; people.csv has no ai_cohort column
# (the tool derives it from ai_usage.csv).
PEOPLE = [
    ("ana.silva", "payments", "senior engineer", "Lisbon", "3y+", "regular"),
    ("ben.okafor", "payments", "staff engineer", "Berlin", "3y+", "super"),
    ("chloe.martin", "payments", "engineering manager", "Berlin", "3y+", "passive"),
    ("diego.ramos", "payments", "senior engineer", "Lisbon", "1-3y", "regular"),
    ("farah.haddad", "payments", "product manager", "Berlin", "1-3y", "passive"),
    ("emil.larsen", "payments", "engineer", "Remote-EU", "<1y", "super"),
    ("ines.moreira", "payments", "engineer", "Lisbon", "1-3y", "regular"),
    ("yusuf.demir", "payments", "engineer", "Berlin", "<1y", "passive"),
    ("gabriel.nunes", "platform", "senior engineer", "Lisbon", "3y+", "super"),
    ("hana.kim", "platform", "senior engineer", "Berlin", "1-3y", "regular"),
    ("ivan.petrov", "platform", "engineer", "Remote-EU", "1-3y", "passive"),
    ("julia.becker", "platform", "staff engineer", "Berlin", "3y+", "regular"),
    ("kofi.mensah", "platform", "engineering manager", "Berlin", "3y+", "passive"),
    ("lena.fischer", "platform", "senior engineer", "Berlin", "1-3y", "super"),
    ("marco.bianchi", "platform", "engineer", "Remote-EU", "<1y", "regular"),
    ("priya.shah", "platform", "engineer", "Remote-APAC", "1-3y", "regular"),
    ("maya.cohen", "mobile", "engineering manager", "Berlin", "3y+", "regular"),
    ("nikhil.rao", "mobile", "senior engineer", "Remote-EU", "1-3y", "super"),
    ("olivia.grant", "mobile", "product manager", "Lisbon", "1-3y", "passive"),
    ("pedro.alves", "mobile", "senior engineer", "Lisbon", "3y+", "regular"),
    ("aiko.tanaka", "mobile", "engineer", "Remote-APAC", "<1y", "super"),
    ("lucas.ferreira", "mobile", "engineer", "Lisbon", "1-3y", "passive"),
    ("sara.jensen", "mobile", "engineer", "Berlin", "1-3y", "regular"),
    ("theo.laurent", "mobile", "engineer", "Remote-EU", "<1y", "passive"),
    ("quinn.adeyemi", "growth", "product manager", "Berlin", "1-3y", "passive"),
    ("rafael.costa", "growth", "senior engineer", "Lisbon", "1-3y", "super"),
    ("sofia.lindqvist", "growth", "senior engineer", "Remote-EU", "3y+", "regular"),
    ("tomas.novak", "growth", "engineering manager", "Berlin", "3y+", "regular"),
    ("amelia.wright", "growth", "engineer", "Berlin", "<1y", "super"),
    ("daniel.kowalski", "growth", "engineer", "Remote-EU", "1-3y", "passive"),
    ("elena.popescu", "growth", "engineer", "Lisbon", "<1y", "regular"),
    ("noah.schmidt", "growth", "engineer", "Berlin", "1-3y", "regular"),
    ("uma.patel", "data", "senior engineer", "Remote-EU", "3y+", "regular"),
    ("victor.huang", "data", "engineering manager", "Berlin", "3y+", "passive"),
    ("wendy.zhao", "data", "staff engineer", "Berlin", "3y+", "super"),
    ("xavier.dubois", "data", "senior engineer", "Lisbon", "1-3y", "regular"),
    ("bruno.santos", "data", "engineer", "Lisbon", "<1y", "super"),
    ("clara.meyer", "data", "engineer", "Berlin", "1-3y", "regular"),
    ("jonas.weber", "data", "engineer", "Berlin", "<1y", "passive"),
    ("mei.lin", "data", "engineer", "Remote-APAC", "1-3y", "regular"),
]

# Median PR cycle time (days) before the cohort factor and the business-hours
# nudge. Platform's falls over the quarter (see team_cycle_median).
TEAM_CYCLE_DAYS = {"payments": 1.6, "platform": 3.0, "mobile": 1.9, "growth": 1.15, "data": 1.4}
COHORT_CYCLE_FACTOR = {"super": 0.70, "regular": 0.88, "passive": 1.0}
COHORT_AI_ASSISTED = {"super": 0.62, "regular": 0.30, "passive": 0.07}
TEAM_REWORK = {"payments": 0.10, "platform": 0.08, "mobile": 0.25, "growth": 0.12, "data": 0.09}

SERVICES = {
    "payments": [("checkout-service", 0.85), ("payouts-service", 0.10), ("ledger-service", 0.05)],
    "platform": [("api-gateway", 0.3), ("k8s-platform", 0.3), ("ci-runners", 0.2), ("observability", 0.2)],
    "mobile": [("sync-api", 0.6), ("mobile-bff", 0.4)],
    "growth": [("web-app", 0.5), ("pricing-page", 0.25), ("onboarding-service", 0.25)],
    "data": [("ingestion", 0.4), ("dbt-models", 0.4), ("semantic-layer", 0.2)],
}

rng = random.Random(SEED)


# ---------------------------------------------------------------- helpers


def days(start, end):
    d = start
    while d <= end:
        yield d
        d += dt.timedelta(days=1)


def poisson(lam):
    # Knuth; lam is small here
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def weighted(pairs):
    x, acc = rng.random(), 0.0
    for value, w in pairs:
        acc += w
        if x < acc:
            return value
    return pairs[-1][0]


def z(t):
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def cest(t):
    return t.astimezone(CEST).strftime("%Y-%m-%dT%H:%M:%S+02:00")


def utc_hours(location):
    """Working hours in UTC for a location (Berlin/Lisbon summer time)."""
    if location == "Remote-APAC":
        return 0.5, 9.5
    return 7.0, 16.5


def at(day, hour_float):
    secs = int(hour_float * 3600) + rng.randint(0, 59)
    return dt.datetime(day.year, day.month, day.day, tzinfo=UTC) + dt.timedelta(seconds=secs)


def work_time(day, location):
    lo, hi = utc_hours(location)
    # busier late morning and early afternoon
    h = lo + (hi - lo) * (rng.random() + rng.random()) / 2
    return at(day, h)


def nudge_to_hours(t, location, p_weekend=0.85, p_night=0.6):
    """Most merges and reviews happen in working hours; move most that don't."""
    lo, hi = utc_hours(location)
    h = t.hour + t.minute / 60
    if t.weekday() >= 5:
        if rng.random() < p_weekend:
            monday = t.date() + dt.timedelta(days=7 - t.weekday())
            return at(monday, lo + rng.random() * 3)
        return t
    if h < lo or h > hi:
        if rng.random() < p_night:
            nxt = t.date() if h < lo else t.date() + dt.timedelta(days=1)
            while nxt.weekday() >= 5:
                nxt += dt.timedelta(days=1)
            return at(nxt, lo + rng.random() * 3)
    return t


def write_csv(name, header, rows):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    print(f"{name}: {len(rows)} rows")


def b(x):
    return "true" if x else "false"


person_team = {p[0]: p[1] for p in PEOPLE}
person_loc = {p[0]: p[3] for p in PEOPLE}
person_role = {p[0]: p[2] for p in PEOPLE}
person_cohort = {p[0]: p[5] for p in PEOPLE}

# ---------------------------------------------------------------- PRs

# Each part draws from its own stream, so tuning one part leaves the others be.
rng = random.Random(SEED + 1)


def frac_of_quarter(day):
    return min(1.0, max(0.0, (day - Q_START).days / (Q_END - Q_START).days))


def team_cycle_median(team, opened_day):
    base = TEAM_CYCLE_DAYS[team]
    if team == "platform":
        # remote build cache, sharded CI and the paved road: cycle time halves
        return base * (1.0 - 0.65 * frac_of_quarter(opened_day))
    return base


def person_rate(name):
    """PRs opened per working day."""
    role = person_role[name]
    if role == "product manager":
        return 0.0
    if role == "engineering manager":
        return 0.22
    return 1.05 * (0.75 + 0.5 * rng.random())


def team_rate_factor(team, day):
    if team == "payments":
        # checkout moves to its own pipeline: throughput rises through the quarter
        t = max(0.0, min(1.0, (day - WINDOW_START).days / (WINDOW_END - WINDOW_START).days))
        return 0.7 + 0.8 * t
    if team == "mobile" and day.month == 8:
        return 0.65  # half the team on leave in August
    return 1.0


raw_prs = []  # dicts, ids assigned after sorting by opened_at


def make_pr(author, team, opened, cohort, cycle_median, ai_p, rework_p, no_review_p, abandon_p, small=False, into=None):
    dur = None
    while dur is None or dur > 12.0 or dur < 0.03:
        dur = cycle_median * math.exp(rng.gauss(0.0, 0.75))
    loc = person_loc.get(author, "Berlin")
    merged = nudge_to_hours(opened + dt.timedelta(days=dur), loc, p_night=0.35)
    abandoned = rng.random() < abandon_p
    review = None
    if not abandoned:
        if rng.random() >= no_review_p:
            delay = (merged - opened) * (0.08 + 0.45 * rng.random())
            delay = max(delay, dt.timedelta(minutes=6))
            r = nudge_to_hours(opened + delay, loc, p_weekend=0.7, p_night=0.5)
            review = r if opened < r < merged else opened + delay
            if review >= merged:
                review = opened + (merged - opened) / 2
    else:
        merged = None
        if rng.random() < 0.85:
            review = nudge_to_hours(opened + dt.timedelta(hours=6 * math.exp(rng.gauss(0, 1.0))), loc)
    if merged is not None and merged > EXPORT_AT:
        merged = None  # still open at export time
    if review is not None and review > EXPORT_AT:
        review = None
    if small:
        adds = max(1, int(math.exp(rng.gauss(math.log(12), 0.8))))
        dels = max(1, int(math.exp(rng.gauss(math.log(8), 0.8))))
    else:
        adds = max(1, int(math.exp(rng.gauss(math.log(85), 1.1))))
        dels = max(0, int(math.exp(rng.gauss(math.log(30), 1.2))) - 1)
    (raw_prs if into is None else into).append(
        dict(
            team=team,
            author=author,
            opened=opened,
            review=review,
            merged=merged,
            adds=adds,
            dels=dels,
            ai=rng.random() < ai_p,
            rework=(merged is not None and rng.random() < rework_p),
        )
    )


def people_prs(start, end, into=None):
    """Every person's pull requests opened from start to end (days)."""
    for name, team, role, loc, tenure, cohort in PEOPLE:
        rate = person_rate(name)
        if rate == 0:
            continue
        for day in days(start, end):
            lam = rate * team_rate_factor(team, day) if day.weekday() < 5 else 0.012
            for _ in range(poisson(lam)):
                opened = work_time(day, loc) if day.weekday() < 5 else at(day, 8 + 10 * rng.random())
                if opened > EXPORT_AT:
                    continue
                med = team_cycle_median(team, day) * COHORT_CYCLE_FACTOR[cohort]
                make_pr(
                    name,
                    team,
                    opened,
                    cohort,
                    med,
                    COHORT_AI_ASSISTED[cohort],
                    TEAM_REWORK[team],
                    no_review_p=0.012,
                    abandon_p=0.045,
                    into=into,
                )


def dependabot_prs(day, into=None):
    """Dependabot opens its pull requests early on Mondays."""
    if day.weekday() != 0:
        return
    for team in TEAMS:
        if rng.random() < 0.45:
            opened = at(day, 4 + rng.random())
            make_pr("dependabot", team, opened, "passive", 0.5, 0.0, 0.0, no_review_p=0.4, abandon_p=0.12, small=True, into=into)


people_prs(WINDOW_START, WINDOW_END)

# Authors that are not in people.csv: dependency bot and a contractor.
for day in days(WINDOW_START, WINDOW_END):
    dependabot_prs(day)
    if day.weekday() < 5 and dt.date(2026, 7, 6) <= day <= dt.date(2026, 9, 18) and rng.random() < 0.5:
        make_pr(
            "ext.contractor",
            "growth",
            work_time(day, "Remote-EU"),
            "regular",
            2.2,
            0.2,
            0.15,
            no_review_p=0.02,
            abandon_p=0.06,
        )

raw_prs.sort(key=lambda p: (p["opened"], p["author"]))
for i, p in enumerate(raw_prs):
    p["id"] = f"PR-{1001 + i}"


def pick_pr(pred):
    cands = [p for p in raw_prs if pred(p)]
    return cands[len(cands) // 2]


# Week-boundary cases: one PR merged exactly at Monday 00:00:00Z and one at
# Sunday 23:59:59Z (ISO weeks 32/33 of 2026).
mon = dt.datetime(2026, 8, 10, 0, 0, 0, tzinfo=UTC)
sun = dt.datetime(2026, 8, 9, 23, 59, 59, tzinfo=UTC)
for when, team in ((mon, "payments"), (sun, "platform")):
    p = pick_pr(
        lambda p: p["team"] == team
        and p["author"] in person_team
        and p["merged"] is not None
        and p["review"] is not None
        and dt.date(2026, 8, 6) <= p["opened"].date() <= dt.date(2026, 8, 7)
    )
    p["merged"] = when
    if p["review"] >= when:
        p["review"] = p["opened"] + (when - p["opened"]) / 3
    p["edge"] = when

# ---------------------------------------------------------------- deployments

rng = random.Random(SEED + 2)

PAYMENTS_WEEKLY = {  # ISO week -> deploys (3/week in early July to 8/week in September)
    23: 3, 24: 2, 25: 3, 26: 3, 27: 3, 28: 3, 29: 4, 30: 4, 31: 5, 32: 5,
    33: 5, 34: 6, 35: 6, 36: 8, 37: 5, 38: 8, 39: 9, 40: 5,
}  # fmt: skip
PSD2_FREEZE = {dt.date(2026, 9, 10), dt.date(2026, 9, 11)}
WEEKLY = {"platform": 10, "mobile": 3, "growth": 5, "data": 4}
SYNC_API_FREEZE = (dt.date(2026, 8, 10), dt.date(2026, 8, 30))  # mobile backend froze sync-api


def iso_weeks():
    weeks = {}
    for d in days(WINDOW_START, WINDOW_END):
        if d.weekday() < 5:
            weeks.setdefault(d.isocalendar()[1], []).append(d)
    return weeks


raw_deploys = []
for team in TEAMS:
    for week, workdays in sorted(iso_weeks().items()):
        if team == "payments":
            n = PAYMENTS_WEEKLY[week]
            workdays = [d for d in workdays if d not in PSD2_FREEZE]
        else:
            base = WEEKLY[team]
            if team == "platform":
                base += rng.choice([-1, 0, 0, 1])
            if team == "mobile" and any(SYNC_API_FREEZE[0] <= d <= SYNC_API_FREEZE[1] for d in workdays):
                base = 1
            n = round(base * len(workdays) / 5) if len(workdays) < 5 else base
        for _ in range(n):
            day = rng.choice(workdays)
            # Berlin working hours 09:00-18:30 local, a few evening hotfixes
            h_local = 9 + 9.5 * rng.random() if rng.random() > 0.04 else 19 + 3 * rng.random()
            t = at(day, h_local - 2)
            service = weighted(SERVICES[team])
            if team == "mobile" and SYNC_API_FREEZE[0] <= day <= SYNC_API_FREEZE[1]:
                service = "mobile-bff"
            raw_deploys.append(dict(team=team, at=t, service=service, week=week))

# UTC-conversion edge cases (all platform hotfixes):
#  - 2026-07-01 01:15 +02:00 is 2026-06-30 23:15Z: June, outside the quarter;
#  - 2026-08-10 00:40 +02:00 (Monday) is Sunday 2026-08-09 22:40Z: ISO week 32;
#  - 2026-10-01 00:30 +02:00 is 2026-09-30 22:30Z: inside the quarter.
for local in (
    dt.datetime(2026, 7, 1, 1, 15, 0, tzinfo=CEST),
    dt.datetime(2026, 8, 10, 0, 40, 0, tzinfo=CEST),
    dt.datetime(2026, 10, 1, 0, 30, 0, tzinfo=CEST),
):
    t = local.astimezone(UTC)
    raw_deploys.append(dict(team="platform", at=t, service="api-gateway", week=t.isocalendar()[1], hotfix=True))

raw_deploys.sort(key=lambda d: (d["at"], d["team"]))
for i, d in enumerate(raw_deploys):
    d["id"] = f"DEP-{1001 + i}"
    d["failed"] = False
    d["prs"] = []

# Change failures. Platform: about 1 in 10 until mid-August, then 2, then 3 in
# 10 from September (the guardrail story for PLAT-KR1). Payments: a steady 1 in
# 8. Others: random at a fixed rate.
by_team_week = {}
for d in raw_deploys:
    by_team_week.setdefault((d["team"], d["week"]), []).append(d)
for (team, week), ds in sorted(by_team_week.items()):
    if team != "platform":
        continue
    k = 1 if week <= 33 else 2 if week <= 35 else 3
    if len(ds) < 8:
        k = min(k, 2)
    for d in rng.sample(ds, min(k, len(ds))):
        d["failed"] = True
pay_i = 0
for d in raw_deploys:
    if d["team"] == "payments":
        d["failed"] = (pay_i + 3) % 8 == 0
        pay_i += 1
    elif d["team"] != "platform":
        d["failed"] = rng.random() < {"mobile": 0.15, "growth": 0.10, "data": 0.07}[d["team"]]

# PR lists: each deployment ships 1-6 of its team's merged, not yet deployed
# PRs merged in the 7 days before it; about 5% list none.
deployed = set()
merged_by_team = {t: sorted((p for p in raw_prs if p["merged"] and p["team"] == t), key=lambda p: p["merged"]) for t in TEAMS}
for d in raw_deploys:
    k = weighted([(0, 0.03), (1, 0.22), (2, 0.22), (3, 0.2), (4, 0.14), (5, 0.11), (6, 0.08)])
    cands = [
        p
        for p in merged_by_team[d["team"]]
        if p["id"] not in deployed and d["at"] - dt.timedelta(days=7) < p["merged"] < d["at"]
    ]
    chosen = rng.sample(cands, min(k, len(cands)))
    chosen.sort(key=lambda p: p["merged"])
    for p in chosen:
        deployed.add(p["id"])
    d["prs"] = [p["id"] for p in chosen]

# Pairs the tool must leave out of lead time:
in_q = [d for d in raw_deploys if d["prs"] and Q_START <= d["at"].date() <= Q_END and not d.get("hotfix")]
#  - unknown PR ids (five deployments, one per team)
picks = [rng.choice([d for d in in_q if d["team"] == team]) for team in TEAMS]
for d, unknown in zip(picks, ["PR-99999", "PR-99999", "PR-99999", "PR-99998", "PR-99997"]):
    d["prs"].append(unknown)
    d["bad"] = d.get("bad", []) + ["unknown"]
#  - one PR that was never merged (a platform deployment in August)
dep_unmerged = next(d for d in in_q if d["team"] == "platform" and d["at"].date() >= dt.date(2026, 8, 17) and "bad" not in d)
pr_unmerged = next(
    p for p in raw_prs if p["team"] == "platform" and p["merged"] is None and p["opened"] < dep_unmerged["at"] - dt.timedelta(days=2)
    and p["opened"] > dep_unmerged["at"] - dt.timedelta(days=20)
)
dep_unmerged["prs"].append(pr_unmerged["id"])
dep_unmerged["bad"] = ["unmerged"]
#  - one PR merged after the deployment (a payments deployment in August)
dep_after = next(d for d in in_q if d["team"] == "payments" and d["at"].date() >= dt.date(2026, 8, 18) and "bad" not in d)
pr_after = next(
    p
    for p in merged_by_team["payments"]
    if p["id"] not in deployed and dep_after["at"] < p["merged"] < dep_after["at"] + dt.timedelta(days=3)
)
deployed.add(pr_after["id"])
dep_after["prs"].append(pr_after["id"])
dep_after["bad"] = ["merged after deploy"]

# ---------------------------------------------------------------- incidents

rng = random.Random(SEED + 3)

SEV_HOURS = {"sev1": (1.3, 0.55), "sev2": (4.0, 0.7), "sev3": (16.0, 0.8)}


def duration(sev):
    med, sigma = SEV_HOURS[sev]
    return dt.timedelta(hours=med * math.exp(rng.gauss(0.0, sigma)))


raw_incidents = []
failed_in_window = [d for d in raw_deploys if d["failed"] and not d.get("hotfix") and d["at"].date() >= dt.date(2026, 6, 8)]
linked = []
for team, n in (("payments", 5), ("platform", 8), ("mobile", 3), ("growth", 3), ("data", 2)):
    pool = [d for d in failed_in_window if d["team"] == team]
    linked += rng.sample(pool, n)
for d in linked:
    sev = weighted([("sev1", 0.2), ("sev2", 0.5), ("sev3", 0.3)])
    start = d["at"] + dt.timedelta(minutes=rng.randint(4, 110))
    raw_incidents.append(dict(team=d["team"], service=d["service"], sev=sev, start=start, end=start + duration(sev), deploy=d["id"]))

for team, n in (("payments", 4), ("platform", 5), ("mobile", 4), ("growth", 4), ("data", 4)):
    for _ in range(n):
        day = WINDOW_START + dt.timedelta(days=rng.randint(7, (WINDOW_END - WINDOW_START).days - 3))
        start = at(day, 24 * rng.random())
        sev = weighted([("sev1", 0.1), ("sev2", 0.35), ("sev3", 0.55)])
        raw_incidents.append(
            dict(team=team, service=weighted(SERVICES[team]), sev=sev, start=start, end=start + duration(sev), deploy="")
        )

# Started before the quarter, resolved inside it.
s = dt.datetime(2026, 6, 30, 19, 42, 0, tzinfo=UTC)
raw_incidents.append(
    dict(team="data", service="ingestion", sev="sev2", start=s, end=dt.datetime(2026, 7, 1, 9, 5, 0, tzinfo=UTC), deploy="")
)
# Still open at export time.
for team, service, sev, s in (
    ("platform", "k8s-platform", "sev3", dt.datetime(2026, 9, 28, 13, 20, 0, tzinfo=UTC)),
    ("growth", "web-app", "sev2", dt.datetime(2026, 9, 30, 15, 2, 0, tzinfo=UTC)),
):
    raw_incidents.append(dict(team=team, service=service, sev=sev, start=s, end=None, deploy=""))

for inc in raw_incidents:
    if inc["end"] is not None and inc["end"] > EXPORT_AT:
        inc["end"] = EXPORT_AT - dt.timedelta(minutes=rng.randint(5, 90))
raw_incidents.sort(key=lambda i: (i["start"], i["team"]))
for i, inc in enumerate(raw_incidents):
    inc["id"] = f"INC-{301 + i}"
    inc["fmt"] = z if rng.random() < 0.5 else cest  # the pager export mixes both

# ---------------------------------------------------------------- AI usage

rng = random.Random(SEED + 4)

work_days = [d for d in days(Q_START, Q_END) if d.weekday() < 5]
plan = {}
for name, team, role, loc, tenure, cohort in PEOPLE:
    n_days = len(work_days)
    if cohort == "super":
        n_active, acc, shown_mean = rng.randint(57, 64), 0.37 + 0.08 * rng.random(), 110
    elif cohort == "passive":
        n_active, acc, shown_mean = rng.randint(2, 9), 0.14 + 0.14 * rng.random(), 30
    else:
        n_active, acc, shown_mean = rng.randint(20, 49), 0.20 + 0.14 * rng.random(), 60
    assert n_active <= n_days
    plan[name] = (set(rng.sample(work_days, n_active)), acc, shown_mean)


def usage_of(work_days, plan):
    """One ai_usage.csv row per working day and person, from each person's plan."""
    rows = []
    for day in work_days:
        for name, *_ in PEOPLE:
            active_days, acc, shown_mean = plan[name]
            if day in active_days:
                shown = max(4, int(shown_mean * math.exp(rng.gauss(0.0, 0.45))))
                accepted = sum(1 for _ in range(shown) if rng.random() < acc)
                lines = int(accepted * (1.5 + 2.5 * rng.random()))
                rows.append([day.isoformat(), name, shown, accepted, lines, "true"])
            else:
                rows.append([day.isoformat(), name, 0, 0, 0, "false"])
    return rows


usage_rows = usage_of(work_days, plan)

# ---------------------------------------------------------------- 2026-Q2

# The quarter before, for the pack's history (SPEC §6): April and May here
# (June is the run-up above), and AI usage over all of 2026-Q2. Every part
# draws from its own stream, after the 2026-Q3 ones, and its ids have their
# own prefix, so the 2026-Q3 rows above are the same bytes with or without it.
Q2_START = dt.date(2026, 4, 1)
Q2_RUNUP_END = dt.date(2026, 5, 31)
Q2_END = dt.date(2026, 6, 30)

rng = random.Random(SEED + 11)
q2_prs = []
people_prs(Q2_START, Q2_RUNUP_END, into=q2_prs)
for day in days(Q2_START, Q2_RUNUP_END):
    dependabot_prs(day, into=q2_prs)
q2_prs.sort(key=lambda p: (p["opened"], p["author"]))
for i, p in enumerate(q2_prs):
    p["id"] = f"PR-Q2-{1 + i:04d}"

rng = random.Random(SEED + 12)
Q2_WEEKLY = {"payments": 3, "platform": 8, "mobile": 3, "growth": 4, "data": 3}
q2_deploys = []
for team in TEAMS:
    weeks = {}
    for d in days(Q2_START, Q2_RUNUP_END):
        if d.weekday() < 5:
            weeks.setdefault(d.isocalendar()[1], []).append(d)
    for week, workdays in sorted(weeks.items()):
        n = round(Q2_WEEKLY[team] * len(workdays) / 5)
        for _ in range(n):
            t = at(rng.choice(workdays), 7 + 9.5 * rng.random())
            q2_deploys.append(dict(team=team, at=t, service=weighted(SERVICES[team]), week=week))
q2_deploys.sort(key=lambda d: (d["at"], d["team"]))
q2_merged = {t: sorted((p for p in q2_prs if p["merged"] and p["team"] == t), key=lambda p: p["merged"]) for t in TEAMS}
q2_deployed = set()
for i, d in enumerate(q2_deploys):
    d["id"] = f"DEP-Q2-{1 + i:04d}"
    d["failed"] = rng.random() < {"payments": 0.08, "platform": 0.09, "mobile": 0.13, "growth": 0.09, "data": 0.06}[d["team"]]
    k = weighted([(0, 0.03), (1, 0.22), (2, 0.22), (3, 0.2), (4, 0.14), (5, 0.11), (6, 0.08)])
    cands = [
        p for p in q2_merged[d["team"]] if p["id"] not in q2_deployed and d["at"] - dt.timedelta(days=7) < p["merged"] < d["at"]
    ]
    chosen = sorted(rng.sample(cands, min(k, len(cands))), key=lambda p: p["merged"])
    q2_deployed.update(p["id"] for p in chosen)
    d["prs"] = [p["id"] for p in chosen]

rng = random.Random(SEED + 13)
q2_incidents = []
for d in [d for d in q2_deploys if d["failed"]]:
    if rng.random() < 0.5:
        sev = weighted([("sev1", 0.2), ("sev2", 0.5), ("sev3", 0.3)])
        start = d["at"] + dt.timedelta(minutes=rng.randint(4, 110))
        q2_incidents.append(dict(team=d["team"], service=d["service"], sev=sev, start=start, end=start + duration(sev), deploy=d["id"]))
for team in TEAMS:
    for _ in range(3):
        start = at(Q2_START + dt.timedelta(days=rng.randint(0, (Q2_RUNUP_END - Q2_START).days - 2)), 24 * rng.random())
        sev = weighted([("sev1", 0.1), ("sev2", 0.35), ("sev3", 0.55)])
        q2_incidents.append(dict(team=team, service=weighted(SERVICES[team]), sev=sev, start=start, end=start + duration(sev), deploy=""))
q2_incidents.sort(key=lambda i: (i["start"], i["team"]))
for i, inc in enumerate(q2_incidents):
    inc["id"] = f"INC-Q2-{1 + i:03d}"
    inc["fmt"] = z if rng.random() < 0.5 else cest

rng = random.Random(SEED + 14)
q2_work_days = [d for d in days(Q2_START, Q2_END) if d.weekday() < 5]
q2_plan = {}
for name, team, role, loc, tenure, cohort in PEOPLE:
    lo, hi = {"super": (50, 58), "passive": (1, 8), "regular": (16, 42)}[cohort]
    acc = {"super": 0.33, "passive": 0.12, "regular": 0.18}[cohort] + 0.1 * rng.random()
    q2_plan[name] = (set(rng.sample(q2_work_days, rng.randint(lo, hi))), acc, {"super": 100, "passive": 30, "regular": 55}[cohort])
q2_usage = usage_of(q2_work_days, q2_plan)

# ---------------------------------------------------------------- write

write_csv("people.csv", ["person", "team", "role", "location", "tenure"], [list(p[:5]) for p in PEOPLE])
write_csv(
    "prs.csv",
    ["pr_id", "team", "author", "opened_at", "first_review_at", "merged_at", "additions", "deletions", "ai_assisted", "rework"],
    [
        [
            p["id"],
            p["team"],
            p["author"],
            z(p["opened"]),
            z(p["review"]) if p["review"] else "",
            z(p["merged"]) if p["merged"] else "",
            p["adds"],
            p["dels"],
            b(p["ai"]),
            b(p["rework"]),
        ]
        for p in q2_prs + raw_prs
    ],
)
write_csv(
    "deployments.csv",
    ["deploy_id", "team", "service", "deployed_at", "failed", "pr_ids"],
    [[d["id"], d["team"], d["service"], cest(d["at"]), b(d["failed"]), " ".join(d["prs"])] for d in q2_deploys + raw_deploys],
)
write_csv(
    "incidents.csv",
    ["incident_id", "team", "service", "severity", "started_at", "resolved_at", "deploy_id"],
    [
        [i["id"], i["team"], i["service"], i["sev"], i["fmt"](i["start"]), i["fmt"](i["end"]) if i["end"] else "", i["deploy"]]
        for i in q2_incidents + raw_incidents
    ],
)
write_csv(
    "ai_usage.csv",
    ["date", "person", "suggestions_shown", "suggestions_accepted", "lines_accepted", "active"],
    q2_usage + usage_rows,
)
