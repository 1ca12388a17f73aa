"""The UI speaks Chinese by default and English once the user chooses it; the English catalogue is complete."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from yingji.framework.roles import Role

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural, msgstr / msgstr[n] joined, and flags."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry = {"flags": set(), "msgstr": {}, "obsolete": False}
        key = None
        for line in block.strip().splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif m := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line):
                key = (
                    ("msgstr", int(m.group(2) or 0))
                    if m.group(1).startswith("msgstr")
                    else (m.group(1), None)
                )
                value = ast.literal_eval(m.group(3))
                if key[0] == "msgstr":
                    entry["msgstr"][key[1]] = value
                else:
                    entry[key[0]] = value
            elif line.startswith('"') and key is not None:
                value = ast.literal_eval(line)
                if key[0] == "msgstr":
                    entry["msgstr"][key[1]] += value
                else:
                    entry[key[0]] += value
        if "msgid" in entry and not entry["obsolete"]:
            entries.append(entry)
    return entries


def messages():
    return [e for e in read_po(CATALOGUE / "django.po") if e["msgid"]]


def choose_english(client, next_url="/"):
    response = client.post(reverse("set_language"), {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_sign_in_page_is_chinese_by_default(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html and "用户名" in html
    assert "Sign in" not in html


@pytest.mark.django_db
def test_sign_in_page_in_english_after_choosing_it(client):
    choose_english(client, reverse("accounts:login"))
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html and "User name" in html and "Password" in html
    assert "登录" not in html and "用户名" not in html


def test_enterprise_list_in_english(client, make_user, make_enterprise):
    make_enterprise(name="江海化工有限公司")
    client.force_login(make_user(Role.PLATFORM_ADMIN))
    url = reverse("orgs:enterprise_list")

    html = client.get(url).content.decode()
    assert "统一社会信用代码" in html and "Unified Social Credit Code" not in html

    choose_english(client, url)
    html = client.get(url).content.decode()
    assert '<h1 class="h4 mb-0 me-auto">Enterprises</h1>' in html  # the model's verbose name
    assert "Unified Social Credit Code" in html and "Operating status" in html  # column headers
    assert "Export to Excel" in html and "Sign out" in html
    assert "江海化工有限公司" in html  # data stays as entered
    assert "统一社会信用代码" not in html and "退出登录" not in html


def test_every_message_has_an_english_translation():
    untranslated = [
        e["msgid"]
        for e in messages()
        if "fuzzy" in e["flags"] or not e["msgstr"] or not all(s.strip() for s in e["msgstr"].values())
    ]
    assert not untranslated, (
        f"{len(untranslated)} message(s) without a checked English translation in yingji/locale/en "
        "(run makemessages, translate, remove '#, fuzzy', compilemessages):\n" + "\n".join(untranslated)
    )


def test_plural_messages_have_every_plural_form():
    incomplete = [e["msgid"] for e in messages() if "msgid_plural" in e and sorted(e["msgstr"]) != [0, 1]]
    assert not incomplete, "plural messages missing msgstr[0]/msgstr[1]:\n" + "\n".join(incomplete)


def test_compiled_catalogue_matches_the_po_file():
    """django.mo is committed (CI has no gettext): it must be compiled from the current django.po."""
    with open(CATALOGUE / "django.mo", "rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    stale = []
    for e in messages():
        if "msgid_plural" in e:
            ok = all(catalog.get((e["msgid"], n)) == s for n, s in e["msgstr"].items())
        else:
            ok = catalog.get(e["msgid"]) == e["msgstr"].get(0)
        if not ok:
            stale.append(e["msgid"])
    assert not stale, "django.mo is out of date; run compilemessages. Differs for:\n" + "\n".join(stale)
