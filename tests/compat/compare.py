#!/usr/bin/env python3
"""Compare two built sites (Zola's output and handbok's) as a reader would.

usage: compare.py ZOLA_OUT HANDBOK_OUT [--show N]

Reports:
  - output paths only one side has (handbok's `.handbok-output` marker and
    `.gitignore`-style dot files are ignored);
  - for every HTML page both have: whether its visible text is the same
    (tags, scripts, styles and comments removed; white space ignored, since
    minification and highlighting change only that);
  - for XML feeds and sitemaps: whether the same elements and text appear,
    in any order of attributes; for JSON and search indexes: equal as data.

Exit status 0 when paths and visible text all agree, 1 otherwise. Differences
that Zola itself makes from run to run (hash-ordered lists) show up here too:
build Zola twice to tell them apart.
"""
import html
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

IGNORED = {".handbok-output"}


class Text(HTMLParser):
    """Visible text of an HTML document."""

    SKIP = {"script", "style", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(alt)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        parser = Text()
        parser.feed(f.read())
    # White space is not compared: minification (`minify_html`) drops it
    # between tags, and highlighters split code into spans at different
    # places. The words and their order are what a reader sees.
    return re.sub(r"\s+", "", "".join(parser.parts))


def xml_shape(path):
    """Sorted (tag, text) pairs of every element: order-insensitive."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        return [("unparsable", str(e))]
    items = []
    for el in root.iter():
        tag = el.tag.split("}")[-1]
        text = re.sub(r"\s+", " ", html.unescape(el.text or "")).strip()
        attrs = tuple(sorted((k.split("}")[-1], v) for k, v in el.attrib.items()))
        items.append((tag, text, attrs))
    return sorted(items)


def json_data(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    # search_index.<lang>.js wraps JSON in `window.searchIndex = …;`
    text = re.sub(r"^[^{\[]*", "", text, count=1).rstrip().rstrip(";")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def paths(root):
    found = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name in IGNORED or name.startswith("."):
                continue
            found.add(os.path.relpath(os.path.join(dirpath, name), root))
    return found


def main():
    args = sys.argv[1:]
    show = 10
    if "--show" in args:
        i = args.index("--show")
        show = int(args[i + 1])
        del args[i : i + 2]
    if len(args) != 2:
        print(__doc__)
        return 2
    zola, ours = args
    a, b = paths(zola), paths(ours)
    only_zola, only_ours = sorted(a - b), sorted(b - a)
    text_diff, data_diff = [], []
    for rel in sorted(a & b):
        pa, pb = os.path.join(zola, rel), os.path.join(ours, rel)
        if rel.endswith(".html"):
            ta, tb = visible_text(pa), visible_text(pb)
            if ta != tb:
                text_diff.append((rel, ta, tb))
        elif rel.endswith(".xml"):
            if xml_shape(pa) != xml_shape(pb):
                data_diff.append(rel)
        elif rel.endswith(".json") or re.match(r".*search_index\..*\.js$", rel):
            if json_data(pa) != json_data(pb):
                data_diff.append(rel)
    print(f"paths: {len(a)} in Zola's output, {len(b)} in handbok's")
    print(f"only Zola: {len(only_zola)}  only handbok: {len(only_ours)}")
    for rel in only_zola[:show]:
        print(f"  - only Zola: {rel}")
    for rel in only_ours[:show]:
        print(f"  + only handbok: {rel}")
    print(f"HTML pages with different visible text: {len(text_diff)}")
    for rel, ta, tb in text_diff[:show]:
        # The first place the texts part.
        i = next((k for k, (x, y) in enumerate(zip(ta, tb)) if x != y), min(len(ta), len(tb)))
        print(f"  ~ {rel} at character {i}:")
        print(f"      zola:    …{ta[max(0, i - 60): i + 80]!r}")
        print(f"      handbok: …{tb[max(0, i - 60): i + 80]!r}")
    print(f"feeds, sitemaps and indexes that differ as data: {len(data_diff)}")
    for rel in data_diff[:show]:
        print(f"  ~ {rel}")
    same = not (only_zola or only_ours or text_diff)
    print("equivalent" if same else "different")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
