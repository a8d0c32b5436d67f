#!/usr/bin/env python3
"""Write the compact form of the indicator sets that umr-core embeds.

    python3 crates/umr-core/data/to-tsv.py     # fmti*.json -> fmti*.tsv (next to them)

The JSON files (made by scripts/gen-fmti-data.py) are the reference; the library embeds the
`.tsv` files, which hold the same data in less space and are read without a JSON parser
(the test `score::edition::tests::tsv_matches_json` checks that both agree). Format: UTF-8,
one record a line, fields separated by one tab:

    name|aliases|title|published|note|source|license|attribution <TAB> value
                                       (aliases: space-separated)
    D <TAB> key <TAB> name                                  a domain
    S <TAB> key <TAB> name <TAB> domain                     a subdomain
    I <TAB> key <TAB> subdomain <TAB> name <TAB> definition <TAB> aliases
                                       an indicator; key empty when it is the snake_case
                                       form of the name; its domain is its subdomain's;
                                       aliases space-separated
"""
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent


def key_of(name: str) -> str:
    return "_".join(re.findall(r"[A-Za-z0-9]+", name)).lower()


def field(s: str) -> str:
    if "\t" in s or "\n" in s or "\r" in s:
        sys.exit(f"a value holds a tab or a line break: {s!r}")
    return s


def convert(src: pathlib.Path) -> str:
    e = json.loads(src.read_text(encoding="utf-8"))
    out = []
    for k in ("name", "aliases", "title", "published", "note", "source", "license", "attribution"):
        v = e.get(k, [] if k == "aliases" else "")
        if k == "aliases":
            if any(" " in a for a in v):
                sys.exit(f"{src}: an alias holds a space")
            v = " ".join(v)
        out.append(f"{k}\t{field(v)}")
    for d in e["domains"]:
        out.append(f"D\t{field(d['key'])}\t{field(d['name'])}")
    sub_domain = {}
    for s in e["subdomains"]:
        sub_domain[s["key"]] = s["domain"]
        out.append(f"S\t{field(s['key'])}\t{field(s['name'])}\t{field(s['domain'])}")
    for i in e["indicators"]:
        if sub_domain.get(i["subdomain"]) != i["domain"]:
            sys.exit(f"{src}: indicator {i['key']}: domain is not its subdomain's")
        key = "" if key_of(i["name"]) == i["key"] else i["key"]
        aliases = i.get("aliases", [])
        if any(" " in a for a in aliases):
            sys.exit(f"{src}: an alias holds a space")
        out.append("\t".join(["I", field(key), field(i["subdomain"]), field(i["name"]),
                              field(i["definition"]), " ".join(aliases)]))
    return "\n".join(out) + "\n"


def main() -> None:
    for src in sorted(HERE.glob("fmti*.json")):
        dst = src.with_suffix(".tsv")
        dst.write_text(convert(src), encoding="utf-8")
        print(f"{dst.name}: {dst.stat().st_size} bytes (from {src.stat().st_size})")


if __name__ == "__main__":
    main()
