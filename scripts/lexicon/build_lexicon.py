#!/usr/bin/env python3
"""Regenerates careguard's name lexicon: core/data/lexicon.txt and core/src/detect/fold_table.rs.

Sources (record any change in core/data/SOURCES.md):
  * Faker (PyPI `faker`, MIT licence): first and last name lists of many locales;
    Cyrillic lists are transliterated to Latin script.
  * SCOWL "british-english-small" (Debian package `wbritish-small`, SCOWL licence,
    permissive): lower-case common English words, used to mark names that are also words
    ("will", "rose", "brown") as ambiguous.
  * Hand-written lists in this directory (careguard's own licence): names_supplement.txt,
    eponyms.txt, clinical_words.txt.

Usage:
  python3 -m venv /tmp/lexvenv && /tmp/lexvenv/bin/pip install faker==40.54.0
  apt-get download wbritish-small && dpkg -x wbritish-small_*.deb /tmp/wb
  /tmp/lexvenv/bin/python scripts/lexicon/build_lexicon.py \
      --words /tmp/wb/usr/share/dict/british-english-small

Output is deterministic (sorted), so a regeneration with the same inputs is byte-identical.
"""
import argparse
import importlib
import os
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

# Locales whose person provider has Latin-script (or romanised) names, chosen for the
# communities of the UK: British and Irish, South Asian, African, Caribbean (English lists),
# East Asian (romanised), European and Eastern European, Turkish.
LATIN_LOCALES = (
    "en_GB en_IE ga_IE en_US en_NZ en_IN en_PK en_NG yo_NG ig_NG ha_NG tw_GH en_KE sw zu_ZA "
    "tr_TR pl_PL ro_RO lt_LT lv_LV cs_CZ sk_SK hu_HU hr_HR sl_SI et_EE fr_FR de_DE it_IT es_ES "
    "pt_PT pt_BR nl_NL vi_VN fi_FI da_DK no_NO sv_SE az_AZ id_ID"
).split()
ROMANISED_LOCALES = "zh_CN zh_TW ja_JP".split()
CYRILLIC_LOCALES = "ru_RU uk_UA bg_BG".split()

CYR = dict(zip(
    "абвгґдеєжзиіїйклмнопрстуфхцчшщъыьэюяё",
    ["a", "b", "v", "h", "g", "d", "e", "ye", "zh", "z", "y", "i", "yi", "y", "k", "l", "m",
     "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "",
     "e", "yu", "ya", "yo"],
))
# Russian and Bulgarian read г as g and и as i.
CYR_RU = dict(CYR, г="g", и="i")

SPECIAL = {
    "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ß": "ss", "æ": "ae",
    "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d",
    "ħ": "h", "Ħ": "h", "ŀ": "l", "Ŀ": "l", "ŉ": "n", "ĸ": "k",
    "\u2019": "'", "\u02bc": "'", "\u2018": "'",
}


def fold_char(c):
    if c in SPECIAL:
        return SPECIAL[c]
    d = unicodedata.normalize("NFKD", c)
    return "".join(ch for ch in d if not unicodedata.combining(ch)).lower()


def fold(s):
    return "".join(fold_char(c) for c in s)


def ok(token):
    return 2 <= len(token) <= 40 and all("a" <= ch <= "z" or ch == "'" for ch in token)


def parts(name):
    """Splits a name entry into lexicon tokens: words and the halves of hyphenated names."""
    for word in name.replace("-", " ").split():
        token = fold(word)
        if token.startswith(("o'", "d'")) and ok(token):
            yield token
            token = token[2:]
        if ok(token):
            yield token


def provider_lists(locale):
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    given, family = set(), set()
    for attr in dir(provider):
        if attr.startswith("_"):
            continue
        value = getattr(provider, attr)
        if callable(value) or isinstance(value, str):
            continue
        if "roman" not in attr and locale in ROMANISED_LOCALES:
            continue
        if "first_name" in attr:
            given.update(value)
        elif "last_name" in attr:
            family.update(value)
    return given, family


def translit(name, table):
    return "".join(table.get(ch, table.get(ch.lower(), ch)) for ch in name.lower())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", required=True, help="SCOWL british-english-small word list")
    args = ap.parse_args()
    import faker

    flags = {}

    def add(token, flag):
        flags.setdefault(token, set()).add(flag)

    for locale in LATIN_LOCALES + ROMANISED_LOCALES + CYRILLIC_LOCALES:
        given, family = provider_lists(locale)
        if locale in CYRILLIC_LOCALES:
            table = CYR if locale == "uk_UA" else CYR_RU
            given = {translit(n, table) for n in given}
            family = {translit(n, table) for n in family}
        for name in given:
            for t in parts(name):
                add(t, "G")
        for name in family:
            for t in parts(name):
                add(t, "S")

    for line in open(os.path.join(HERE, "names_supplement.txt"), encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kind, *names = line.split()
        for name in names:
            for t in parts(name):
                if kind in ("G", "B"):
                    add(t, "G")
                if kind in ("S", "B"):
                    add(t, "S")

    # Common English words: lower-case entries of the small SCOWL list, without
    # possessives. Only kept where they matter: names that are also words, and words
    # that could otherwise be taken for an unknown surname after a given name.
    words = set()
    for line in open(args.words, encoding="utf-8"):
        w = line.strip()
        if w and w == w.lower() and "'" not in w and w.isalpha():
            words.add(fold(w))
    for w in words:
        if ok(w):
            add(w, "W")

    for name, flag in (("eponyms.txt", "E"), ("clinical_words.txt", "C")):
        for line in open(os.path.join(HERE, name), encoding="utf-8"):
            if line.startswith("#"):
                continue
            for word in line.split():
                for t in parts(word):
                    add(t, flag)

    # Compact encoding (it is compiled into every binary, WASM included): one line per
    # flag set, "FLAGS<TAB>" then the sorted tokens front-coded, each as one character
    # chr(48 + length of the prefix shared with the previous token) and the rest of the
    # token. Tokens are [a-z'] only, so the prefix characters ('0'..'X') delimit them.
    sections = {}
    for token, fl in flags.items():
        sections.setdefault("".join(sorted(fl)), []).append(token)
    out = os.path.join(ROOT, "core", "data", "lexicon.txt")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# generated by scripts/lexicon/build_lexicon.py from Faker {faker.VERSION}, "
                "SCOWL british-english-small and hand-written lists; see SOURCES.md\n")
        f.write("# one line per flag set: FLAGS, a tab, then front-coded tokens (see the script)\n")
        for fl in sorted(sections):
            f.write(fl + "\t")
            prev = ""
            for token in sorted(sections[fl]):
                n = 0
                while n < min(len(prev), len(token), 40) and prev[n] == token[n]:
                    n += 1
                f.write(chr(48 + n) + token[n:])
                prev = token
            f.write("\n")

    rows = []
    for cp in list(range(0xC0, 0x250)) + [0x2018, 0x2019, 0x02BC]:
        c = chr(cp)
        if not c.isalpha() and c not in SPECIAL:
            continue
        folded = fold_char(c)
        if folded != c and all("a" <= ch <= "z" or ch == "'" for ch in folded) and folded:
            rows.append(f"    ('\\u{{{cp:04x}}}', \"{folded}\"),")
    table = os.path.join(ROOT, "core", "src", "detect", "fold_table.rs")
    with open(table, "w", encoding="utf-8", newline="\n") as f:
        f.write("// @generated by scripts/lexicon/build_lexicon.py: do not edit.\n")
        f.write("//! Folding of accented Latin letters to their ASCII base, as the lexicon is folded.\n\n")
        f.write("/// Sorted by code point, for binary search.\n")
        f.write("pub(crate) const FOLD: &[(char, &str)] = &[\n")
        f.write("\n".join(rows))
        f.write("\n];\n")
    counts = {k: sum(1 for v in flags.values() if k in v) for k in "GSWEC"}
    print(f"wrote {out}: {len(flags)} tokens, {counts}")


if __name__ == "__main__":
    main()
