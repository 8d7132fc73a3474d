#!/usr/bin/python3
"""List C++ functions longer than a limit (default 80 lines).

Usage: scripts/dev/function_lengths.py [--limit N] [PATH ...]   (default PATH: sim)

A function's length is counted from the line of its opening brace's
declaration to its closing brace, inclusive, the way clang-tidy's
readability-function-size LineThreshold counts body lines (give or take the
signature). Lambdas count toward the function that holds them. Stdlib only:
the source is scanned as text (comments, strings and character literals are
blanked first), which is exact for code written in this repository's style.

Prints one line per offender, "file:line: name: N lines", longest first, and
exits 1 when there is any (0 otherwise), so it can guard a commit.
"""
import argparse
import os
import re
import sys

CONTROL = {"if", "for", "while", "switch", "catch", "do", "else", "try", "return"}
CONTAINER = re.compile(r"\b(namespace|class|struct|union|enum)\b[^;{}()]*$")


def blank(text):
    """Comments and literals replaced by spaces; newlines kept (line numbers hold)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            if not m:
                out.append(c)
                i += 1
                continue
            end = text.find(")" + m.group(1) + '"', i)
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append('""' + re.sub(r"[^\n]", " ", text[i + 2:j]))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + " " * (j - i - 2) + c if j - i >= 2 else c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def function_name(head):
    """The function's name if `head` (the text before a '{') is a definition's
    signature, else None: the name is what stands before the first top-level
    '(' (so a constructor's initializer list does not hide it)."""
    head = re.sub(r"\s+", " ", head).strip()
    head = re.sub(r"^template ?<.*?> ?", "", head)
    if ")" not in head or head.startswith(("=", "[")) or re.search(r"=\s*$", head):
        return None
    j = head.find("(")
    m = re.search(r"((?:[\w~]+::)*(?:operator\s*[^\s(]+|[\w~]+))\s*$", head[:j])
    if not m or m.group(1).split("::")[-1] in CONTROL:
        return None
    if re.search(r"(=|\[[^\]]*\]\s*)$", head[:m.start()].rstrip()):
        return None   # a lambda assigned at namespace scope, or a call's argument
    return m.group(1)


def scan(path, limit):
    text = blank(open(path, encoding="utf-8", errors="replace").read())
    found = []
    stack = []           # per open brace: ("container"|"function"|"other", start line, name)
    last_stop = 0        # index after the last ; { or } (start of the current head)
    line = 1
    for i, c in enumerate(text):
        if c == "\n":
            line += 1
        elif c == "{":
            head = text[last_stop:i]
            inside_fn = any(kind == "function" for kind, _, _ in stack)
            if inside_fn:
                kind, name = "other", None
            elif CONTAINER.search(head.replace("\n", " ")) or re.search(r"\bextern\s+\"\"\s*$", head):
                kind, name = "container", None
            else:
                name = function_name(head)
                kind = "function" if name else "other"
            start = line
            if kind == "function":  # the signature starts at the head's first non-blank line
                stripped = head.lstrip()
                start = line - head[len(head) - len(stripped):].count("\n")
            stack.append((kind, start, name))
            last_stop = i + 1
        elif c == "}":
            if stack:
                kind, start, name = stack.pop()
                if kind == "function":
                    length = line - start + 1
                    if length > limit:
                        found.append((length, path, start, name))
            last_stop = i + 1
        elif c == ";":
            last_stop = i + 1
    return found


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=80)
    ap.add_argument("paths", nargs="*", default=["sim"])
    args = ap.parse_args(argv)
    files = []
    for p in args.paths:
        if os.path.isfile(p):
            files.append(p)
        for root, _, names in os.walk(p):
            files += [os.path.join(root, n) for n in sorted(names) if n.endswith((".cpp", ".hpp", ".cc", ".h"))]
    found = []
    for f in sorted(files):
        found += scan(f, args.limit)
    for length, path, start, name in sorted(found, key=lambda x: (-x[0], x[1], x[2])):
        print(f"{path}:{start}: {name}: {length} lines")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
