"""A synthetic corpus of international-politics news for build benchmarks.

Articles are in the seed's text format (`` date YYYY-MM-DD Title``, a blank line, the
body) and about 300 words long. Each one has a cast: two real leaders or officials from
``ontology/gazetteer/people.yaml`` (label and role), their countries, an invented expert
("political scientist Firstname Lastname"), cities, regions and outlets from the
gazetteer; its sentences come from 30+ templates covering talks, summits, visits,
invitations, phone calls, agreements, exercises, operations, cooperation topics, claims
and relative dates. The same ``n`` and ``seed`` always give the same files.

usage: python bench/corpus.py N OUTDIR [--seed S]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import string
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
GAZETTEER = ROOT / "ontology" / "gazetteer"
TARGET_WORDS = 300

FIRST_NAMES = ("Andrey Maria Pavel Elena Dmitri Olga Igor Anna Viktor Irina Sergei Natalia Li Wei Chen Mei Hiroshi "
               "Yuki Ahmed Fatima Omar Leila John Sarah David Laura Jean Claire Marco Giulia Park Min-ji Ravi "
               "Priya Carlos Ana Lukas Sofia Jan Katarzyna").split()
LAST_NAMES = ("Volkov Sokolova Lebedev Orlova Morozov Kuznetsova Petrov Zhang Liu Tanaka Sato Haddad Karimi "
              "Nasser Whitfield Brennan Harper Moreau Lambert Rossi Bianchi Kowalski Nowak Schneider Becker "
              "Lindqvist Novak Horvath Sharma Iyer Mendes Ortega Okafor Mensah Yilmaz Demir").split()
EXPERT_TITLES = ("political scientist", "political scientist", "analyst", "historian", "military expert",
                 "economist", "senior fellow", "political analyst")
TOPICS = ("drones", "troops", "soldiers", "arms supplies", "artillery shells", "missiles", "electronic warfare",
          "satellites", "space technology", "rocket launches", "military training", "medical care",
          "rehabilitation of wounded soldiers", "demining", "reconstruction", "infrastructure", "tourism",
          "trade", "banking", "tariffs", "oil supplies", "gas supplies", "energy", "power plants", "flights",
          "railway links", "logistics", "education", "culture", "scientific cooperation", "a defence pact",
          "strategic dialogue")
GOODS = ("drones", "arms", "artillery shells", "missiles", "air defence systems", "satellites", "oil", "gas",
         "grain", "fertiliser", "electricity", "medical equipment", "armoured vehicles", "ammunition")
SYSTEMS = ("drones", "air defence systems", "armoured vehicles", "satellites", "radar stations", "artillery")
THE = ("United ", "Czech Republic", "Central African Republic", "Dominican Republic", "Netherlands", "Philippines",
       "Bahamas", "Gambia", "Maldives", "Comoros", "Marshall Islands", "Solomon Islands", "Democratic Republic",
       "Republic of the Congo")
WHEN = ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday",
        "last week", "last month", "last year", "earlier this month", "earlier this year", "yesterday",
        "this week", "in March 2025", "in June 2024", "in October 2024", "two days ago")
LATER = ("next month", "next year", "later this year", "in the autumn", "before the end of the year")
EVENTS = ("talks", "a summit", "a visit", "an official visit", "a phone call", "a meeting", "consultations")

TITLES = (
    "{A_name} and {B_name} Hold Talks in {CITY}",
    "{C1} and {C2} Expand Cooperation on {TOPIC_T}",
    "{A_last} Invites {B_last} to {C1}",
    "{C1_dem} and {C2_dem} Forces Hold Joint Exercises",
    "Summit in {CITY} Brings {C1} and {C2} Closer",
    "{B_last} Visits {CAP1} Amid Talk of {TOPIC_T} Deal",
    "Experts Weigh {C1}-{C2} Ties After {A_last} Call",
    "{C1} Signs {TOPIC_T} Agreement With {C2}",
    "What the {A_last}-{B_last} Meeting Means for {REGION}",
)
SENTENCES = (
    "{A} met {B} in {CITY} {WHEN} to discuss {TOPIC} and {TOPIC2}.",
    "The talks between {A_last} and {B_last} lasted about {HOURS} hours, {OUTLET} reported.",
    "{A_last} invited {B_last} to visit {C1} {LATER}, according to {OUTLET}.",
    "{X} told {OUTLET} that {C1} and {C2} were deepening their cooperation on {TOPIC}.",
    "According to {OUTLET}, {C1_dem} specialists are being trained in {C2} to operate {SYSTEMS}.",
    "{C1} has sent troops to the {REGION} region, {A_last} said {WHEN}.",
    "{A} held a phone call with {B} {WHEN}, the {C1_dem} foreign ministry said.",
    "The two leaders signed an agreement on {TOPIC} during the summit in {CITY}.",
    "{C1_dem} and {C2_dem} forces held joint military exercises near {CITY} {WHEN}.",
    "{B_last} arrived in {CAP1} {WHEN} for a two-day official visit, {OUTLET} reported.",
    "Observers say the agreement could allow {C1} to supply {C2} with {GOODS}.",
    "{X} noted that the operation in the {REGION} region had shown the value of {TOPIC}.",
    "Speaking to {OUTLET}, {X_last} said the talks sent a clear signal to the West.",
    "{C2} will provide {C1} with {GOODS} in exchange for {GOODS2}, according to {X}.",
    "{A_last} told reporters in {CITY} that {C1} was ready to expand {TOPIC} with {C2}.",
    "{WHEN}, {A_last} also met {P3} to discuss {TOPIC}.",
    "The summit in {CITY} brought together delegations from {C1}, {C2} and {C3}.",
    "{C1} and {C2} agreed to open new flights and railway links between {CAP1} and {CAP2}.",
    "Fighting near {CITY2} in the {REGION} region continued {WHEN}, {OUTLET} said.",
    "{OUTLET} reported that {C1_dem} engineers had helped {C2} launch a satellite {WHEN}.",
    "{A} and {B} discussed energy supplies and trade, the {C2_dem} side said in a statement.",
    "{X} argued that {C1} was unlikely to cut its ties with {C2} in {TOPIC} any time soon.",
    "The visit follows a trip by {A_last} to {CITY2} {WHEN}, where {A_last} held talks with {P3}.",
    "Both sides stressed the importance of cooperation in {TOPIC}, {TOPIC2} and {TOPIC3}.",
    "{C1_dem} officials said that {C2_dem} troops had taken part in training exercises in the {REGION} region.",
    "In an interview with {OUTLET}, {B} said {C2} would not accept new sanctions.",
    "{X} believes the meeting in {CITY} marked a turning point in relations between {C1} and {C2}.",
    "The ministers also discussed the situation in the {REGION} region and security in {CITY2}.",
    "{C2} invited {C1_dem} students to study at its universities under an education programme signed {WHEN}.",
    "{A_last} said {C1} would send doctors to {C2} to help treat wounded soldiers.",
    "Demining teams from {C1} will work in the {REGION} region, {OUTLET} reported, citing {X}.",
    "The next round of talks is expected to take place in {CAP2} {LATER}.",
    "Earlier, {A_last} publicly stated that {C1_dem} forces took part in the liberation of the {REGION} region.",
    "{P3} also took part in {EVENT} with {B_last} {WHEN}, {OUTLET} said.",
    "{X_last} added that {TOPIC} would remain the core of the partnership between {C1} and {C2}.",
    "A joint statement issued in {CITY} said {C1} and {C2} would hold regular consultations on {TOPIC}.",
)
TOUCHES = (
    "Update: {OUTLET} later confirmed that the talks in {CITY} had ended {WHEN}.",
    "{X} told {OUTLET} {WHEN} that more meetings between {C1} and {C2} were likely.",
    "This article was updated {WHEN} with comments from {X}.",
)


@dataclass(frozen=True)
class Person:
    label: str
    short: str  # "Putin"
    intro: str  # "Russian President Vladimir Putin"
    country: str | None


@dataclass(frozen=True)
class Gazetteer:
    people: tuple[Person, ...]
    countries: tuple[str, ...]
    names: dict[str, str]  # in running text: "the United States"
    demonyms: dict[str, str]
    seats: dict[str, str]
    cities: tuple[str, ...]
    regions: tuple[str, ...]
    outlets: tuple[str, ...]


def _entries(name: str) -> list[dict]:
    data = yaml.safe_load((GAZETTEER / name).read_text(encoding="utf-8")) or []
    return [e for e in data if isinstance(e, dict) and e.get("label")]


def _person(entry: dict, demonyms: dict[str, str]) -> Person:
    label, aff = str(entry["label"]), entry.get("affiliation")
    role = str(entry.get("role") or "").split(";")[0].strip()
    if not role or len(role.split()) > 4:
        intro = label
    elif aff in demonyms and len(role.split()) <= 3 and not role.startswith("former"):
        intro = f"{demonyms[aff]} {role} {label}"
    else:
        intro = f"{role} {label}"
    singles = [str(a) for a in entry.get("aliases") or [] if " " not in str(a) and str(a) in label.split()]
    return Person(label, singles[0] if singles else label, intro, aff if aff in demonyms else None)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """People, countries, places and outlets from the project's gazetteer files."""
    countries = [e for e in _entries("countries.yaml") if e.get("type") == "Country"]
    demonyms = {str(e["label"]): str((e.get("demonyms") or [e["label"]])[0]) for e in countries}
    names = {label: _with_the(label) for label in demonyms}
    seats = {str(e["label"]): str((e.get("seats") or [e["label"]])[0]) for e in countries}
    places = [e for f in ("cities-world.yaml", "regions-world.yaml", "places.yaml") for e in _entries(f)]
    people = [_person(e, demonyms) for e in _entries("people.yaml") if e.get("type") in {"Leader", "Official"}]
    return Gazetteer(people=tuple(people), countries=tuple(demonyms), names=names, demonyms=demonyms, seats=seats,
                     cities=tuple(str(e["label"]) for e in places if e.get("type") == "City"),
                     regions=tuple(str(e["label"]).removesuffix(" region") for e in places if e.get("type") == "Region"),
                     outlets=tuple(str(e["label"]) for e in _entries("media.yaml")))


def _with_the(country: str) -> str:
    return f"the {country}" if country.startswith(THE) or any(country.endswith(t) for t in THE) else country


def _expert(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return f"{rng.choice(EXPERT_TITLES)} {first} {last}", last


def _cast(rng: random.Random, gz: Gazetteer) -> dict[str, str]:
    """The fixed slots of one article: its people, countries, places and outlet."""
    a, b, p3 = rng.sample(gz.people, 3)
    c1 = a.country or rng.choice(gz.countries)
    c2 = b.country if b.country and b.country != c1 else rng.choice([c for c in gz.countries if c != c1])
    c3 = rng.choice([c for c in gz.countries if c not in {c1, c2}])
    expert, expert_last = _expert(rng)
    topic_t = rng.choice(TOPICS)
    return {"A": a.intro, "A_name": a.label, "A_last": a.short, "B": b.intro, "B_name": b.label,
            "B_last": b.short, "P3": p3.intro, "C1": gz.names[c1], "C2": gz.names[c2], "C3": gz.names[c3],
            "C1_T": c1, "C2_T": c2, "C1_dem": gz.demonyms[c1], "C2_dem": gz.demonyms[c2],
            "CAP1": gz.seats[c1], "CAP2": gz.seats[c2], "CITY": rng.choice(gz.cities),
            "CITY2": rng.choice(gz.cities), "REGION": rng.choice(gz.regions), "X": expert, "X_last": expert_last,
            "OUTLET_MAIN": rng.choice(gz.outlets), "TOPIC_T": string.capwords(topic_t)}


def _fill(template: str, cast: dict[str, str], rng: random.Random, gz: Gazetteer) -> str:
    """One sentence: the article's cast plus fresh dates, topics and outlets."""
    topics, goods = rng.sample(TOPICS, 3), rng.sample(GOODS, 2)
    slots = {**cast, "TOPIC": topics[0], "TOPIC2": topics[1], "TOPIC3": topics[2], "GOODS": goods[0],
             "GOODS2": goods[1], "SYSTEMS": rng.choice(SYSTEMS), "WHEN": rng.choice(WHEN),
             "LATER": rng.choice(LATER), "EVENT": rng.choice(EVENTS), "HOURS": str(rng.randint(2, 6)),
             "OUTLET": cast["OUTLET_MAIN"] if rng.random() < 0.6 else rng.choice(gz.outlets)}
    text = template.format(**slots)
    return text[0].upper() + text[1:]


def article(rng: random.Random, gz: Gazetteer) -> str:
    """One article in the corpus text format, about ``TARGET_WORDS`` words of body."""
    cast = _cast(rng, gz)
    date = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(670))
    templates = rng.sample(SENTENCES, len(SENTENCES))  # each template at most once per article
    paragraphs: list[str] = []
    words = 0
    while words < TARGET_WORDS - 10 and templates:
        cut = rng.randint(2, 4)
        take, templates = templates[:cut], templates[cut:]
        sentences = [_fill(t, cast, rng, gz) for t in take]
        paragraphs.append(" ".join(sentences))
        words += sum(len(s.split()) for s in sentences)
    title = rng.choice(TITLES).format(**{**cast, "C1": cast["C1_T"], "C2": cast["C2_T"]})
    return f" date {date.isoformat()} {title}\n\n" + "\n\n".join(paragraphs) + "\n"


def generate(n: int, out: Path, *, seed: int = 7) -> list[Path]:
    """Write ``n`` articles to ``out`` (created if missing); the same seed gives the same files."""
    rng, gz = random.Random(seed), gazetteer()
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = out / f"{i:06d}_synthetic.txt"
        path.write_text(article(rng, gz), encoding="utf-8")
        paths.append(path)
    return paths


def touch_fraction(paths: list[Path], fraction: float, *, seed: int = 11) -> list[Path]:
    """Append a sentence to ``fraction`` of the articles (at least one); returns those changed."""
    rng, gz = random.Random(seed), gazetteer()
    count = max(1, round(len(paths) * fraction)) if paths else 0
    chosen = sorted(rng.sample(list(paths), count))
    for path in chosen:
        sentence = _fill(rng.choice(TOUCHES), _cast(rng, gz), rng, gz)
        text = path.read_text(encoding="utf-8").rstrip("\n")
        path.write_text(f"{text}\n\n{sentence}\n", encoding="utf-8")
    return chosen


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Write N synthetic news articles to OUTDIR.")
    parser.add_argument("n", type=int, metavar="N")
    parser.add_argument("outdir", type=Path, metavar="OUTDIR")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    paths = generate(args.n, args.outdir, seed=args.seed)
    words = sum(len(p.read_text(encoding="utf-8").split("\n", 1)[1].split()) for p in paths)
    print(f"wrote {len(paths)} articles, {words} words, to {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
