"""Snapshots of the list and search page over many addresses, to compare two versions byte by byte.

    python bench/list_pages_compare.py --count 100000 save /tmp/before
    python bench/list_pages_compare.py --count 100000 compare /tmp/before

Runs in-process against the corpus bench/run.py built (SQLite), through Django's test client,
in German and English: words, phrases, exclusions, OR, every facet link of the list page and
of a search (so every filter and value the facets offer), chips taken out, several filters at
once, every ordering, page links (first, middle, last, past the end), empty results, a
misspelt word ("Meinten Sie"), dates and invalid parameters (400). The CSRF token (random per
response) is blanked. ``compare`` prints the addresses whose page differs and exits 1 if any.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import BENCH_DB, corpus_database_url, data_file, pick_words, portal_env  # noqa: E402

ORDERINGS = ("relevance", "-answered", "answered", "-asked", "asked", "reference", "-reference", "answer_time", "-answer_time")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def base_addresses(words: dict) -> list[str]:
    common, rare, second = (words[role]["word"] for role in ("common", "rare", "second"))
    q = quote
    return [
        "/anfragen/",
        f"/anfragen/?q={q(common)}",
        f"/anfragen/?q={q(rare)}",
        f"/anfragen/?q={q(f'{common} {second}')}",
        f"/anfragen/?q={q(f'{common} -{second}')}",
        f"/anfragen/?q={q(f'{common} OR {rare}')}",
        f"/anfragen/?q={q(chr(34) + common + ' ' + second + chr(34))}",
        f"/anfragen/?q={q(common)}&parliament=bw",
        f"/anfragen/?q={q(common)}&parliament=BW&parliament=ni&kind=minor",
        f"/anfragen/?q={q(rare)}&status=answered&ordering=-asked",
        "/anfragen/?q=xqzzyvv",
        "/anfragen/?q=Polizai",
        "/anfragen/?q=Zukumft",
        "/anfragen/?q=der+die+das",
        "/anfragen/?q=%22%22",
        "/anfragen/?q=%3C%26%3E%22%27",
        f"/anfragen/?q={q(common)}&page=2",
        f"/anfragen/?q={q(common)}&page=400",
        f"/anfragen/?q={q(common)}&page=999999",
        f"/anfragen/?q={q(common)}&page=abc",
        "/anfragen/?page=7",
        "/anfragen/?page=4000",
        "/anfragen/?asked_after=2020-01-01&asked_before=2021-06-30",
        "/anfragen/?answered_after=2022-01-01&answered_before=2022-12-31&q=Schule",
        "/anfragen/?answer_kind=refused&answer_kind=partly_refused",
        "/anfragen/?answer_kind=classified&q=Polizei",
        "/anfragen/?term=17&parliament=bw",
        "/anfragen/?modified_since=2024-01-01",
        "/anfragen/?parliament=xx",
        "/anfragen/?faction=keine-fraktion-xyz",
        "/anfragen/?asked_after=gestern",
        "/anfragen/?ordering=wrong&q=Polizei",
        "/anfragen/?unknown=1&q=Polizei&foo=bar",
        "/anfragen/?q=&parliament=",
        "/anfragen/?person=andreas-arnold",
        "/anfragen/?person=andreas-arnold&person=andreas-becker&q=Polizei",
        "/anfragen/?faction=cdu&ministry=ministerium-fuer-finanzen&status=overdue",
        "/anfragen/?q=Polizei&faction=spd&faction=gruene&page=3",
        *[f"/anfragen/?ordering={key}" for key in ORDERINGS],
        *[f"/anfragen/?q={q(common)}&ordering={key}" for key in ORDERINGS],
    ]


def links(page: str, css: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(rf'<a class="{css}[^"]*" href="([^"]+)"', page)]


def addresses(client, words: dict) -> list[str]:
    """The base addresses and the facet, chip and page links found on some of them."""
    result = base_addresses(words)
    found: list[str] = []
    for url in ("/anfragen/", f"/anfragen/?q={quote(words['common']['word'])}", "/anfragen/?q=Polizei&parliament=bw&kind=minor&status=open"):
        page = client.get(url).content.decode()
        facet_links = links(page, "facet-value")
        found += facet_links + links(page, "chip")
        # One more step down: a value of the first facet links, then its chips and facets.
        for link in facet_links[:: max(1, len(facet_links) // 6)]:
            inner = client.get(link).content.decode()
            found += links(inner, "chip") + links(inner, "facet-value")[:8]
        found += [html.unescape(href) for href in re.findall(r'<nav class="pagination".*?</nav>', page, re.S) and
                  re.findall(r'href="([^"]+)"', re.findall(r'<nav class="pagination".*?</nav>', page, re.S)[0])]
    seen = set(result)
    for url in found:
        if url.startswith("?"):
            url = "/anfragen/" + url
        if url not in seen:
            seen.add(url)
            result.append(url)
    return result


def snapshot(client, url: str, language: str) -> tuple[int, str]:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    return response.status_code, CSRF.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("directory", type=Path)
    args = parser.parse_args()
    env = portal_env(corpus_database_url("sqlite", args.count, BENCH_DB), mode="cold")
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.clear()
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    index = args.directory / "index.json"
    if args.action == "save":
        urls = addresses(client, pick_words(data_file(args.count)))
        args.directory.mkdir(parents=True, exist_ok=True)
        index.write_text(json.dumps(urls, indent=1))
    else:
        urls = json.loads(index.read_text())
    differing = 0
    for url in urls:
        for language in ("de", "en"):
            name = hashlib.sha1(f"{language} {url}".encode()).hexdigest()[:16] + ".html"
            status, page = snapshot(client, url, language)
            text = f"{status}\n{page}"
            if args.action == "save":
                (args.directory / name).write_text(text)
            elif (args.directory / name).read_text() != text:
                differing += 1
                (args.directory / (name + ".new")).write_text(text)
                print(f"differs: [{language}] {url} ({name})")
    print(f"{len(urls)} addresses × 2 languages, {differing} differ")
    if differing:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
