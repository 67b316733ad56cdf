#!/usr/bin/env python3
"""Writes expected.jsonl: for every Dockerfile of BuildKit's build-check tests
that the shared corpus holds (moby__buildkit/frontend__dockerfile__
dockerfile_check_test.go__L<line>.Dockerfile, the Dockerfile literal that
starts on that line of the test file), the warnings BuildKit's own test says
BuildKit reports: rule, line and message, with the test's .dockerignore and
build arguments.

usage: generate.py CHECK_TEST_GO CORPUS_DIR > expected.jsonl

CHECK_TEST_GO is moby/buildkit's frontend/dockerfile/dockerfile_check_test.go
(the commit is printed in README.md). Only literal expectations are read; a
test whose warnings are computed (fmt.Sprintf, helpers) is written with
"unparsed": true and left out of the comparison.
"""
import json
import os
import re
import sys


def string_end(src, i):
    """Index after the Go string literal starting at src[i] (" or `)."""
    q = src[i]
    j = i + 1
    while j < len(src):
        if q == '"' and src[j] == '\\':
            j += 2
            continue
        if src[j] == q:
            return j + 1
        j += 1
    raise ValueError("unterminated string at %d" % i)


def block_end(src, i):
    """Index after the brace block starting at src[i] == '{'."""
    depth = 0
    j = i
    while j < len(src):
        c = src[j]
        if c in '"`':
            j = string_end(src, j)
            continue
        if c == '{':
            depth += 1
        elif c == '}':
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise ValueError("unterminated block at %d" % i)


def go_string(lit):
    if lit.startswith('`'):
        return lit[1:-1]
    return json.loads(lit)


def go_format(fmt, args):
    out, k = "", 0
    i = 0
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt):
            verb = fmt[i + 1]
            if verb == "%":
                out += "%"
            else:
                a = args[k]
                k += 1
                out += json.dumps(a) if verb == "q" else str(a)
            i += 2
            continue
        out += fmt[i]
        i += 1
    return out


def evaluate(expr):
    """A Go string expression of the tests: a literal, the Unix side of
    integration.UnixOrWindows(a, b), or fmt.Sprintf of those; None otherwise."""
    expr = expr.strip().rstrip(",").strip()
    if expr and expr[0] in '"`' and string_end(expr, 0) == len(expr):
        return go_string(expr)
    for name in ("integration.UnixOrWindows(", "fmt.Sprintf("):
        if expr.startswith(name) and expr.endswith(")"):
            args = split_args(expr[len(name):-1])
            vals = [evaluate(a) for a in args]
            if any(v is None for v in vals[:1]) or (name.startswith("fmt") and any(v is None for v in vals)):
                return None
            if name.startswith("integration"):
                return vals[0]
            return go_format(vals[0], vals[1:])
    if re.fullmatch(r"\d+", expr):
        return int(expr)
    return None


def split_args(s):
    args, depth, j, start = [], 0, 0, 0
    while j < len(s):
        c = s[j]
        if c in '"`':
            j = string_end(s, j)
            continue
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        elif c == "," and depth == 0:
            args.append(s[start:j])
            start = j + 1
        j += 1
    if s[start:].strip():
        args.append(s[start:])
    return args


def field(body, name):
    """The value expression of `name:` in a struct literal body."""
    m = re.search(r"(?<![A-Za-z])" + name + r":\s*", body)
    if not m:
        return None
    j = m.end()
    depth = 0
    start = j
    while j < len(body):
        c = body[j]
        if c in '"`':
            j = string_end(body, j)
            continue
        if c in "({[":
            depth += 1
        elif c in ")}]":
            if depth == 0:
                break
            depth -= 1
        elif c == "," and depth == 0:
            break
        j += 1
    return evaluate(body[start:j])


HELPER = {}


def entries(block):
    """The expectedLintWarning literals of a []expectedLintWarning{...} block."""
    out, unparsed = [], False
    inner = block[1:-1]
    j = 0
    while j < len(inner):
        c = inner[j]
        if c in '"`':
            j = string_end(inner, j)
            continue
        if c == '{':
            end = block_end(inner, j)
            body = inner[j + 1:end - 1]
            rule, line, detail = field(body, "RuleName"), field(body, "Line"), field(body, "Detail")
            if isinstance(rule, str) and isinstance(line, int) and isinstance(detail, str):
                out.append({"rule": rule, "line": line, "message": detail})
            else:
                unparsed = True
            j = end
            continue
        call = re.match(r"makeLintWarning\(([^)]*)\)", inner[j:])
        if call and HELPER:
            name, line = [evaluate(a) for a in split_args(call.group(1))]
            out.append({"rule": HELPER["rule"], "line": line, "message": go_format(HELPER["format"], [name])})
            j += call.end()
            continue
        if not c.isspace() and c != ',':
            unparsed = True
            j = inner.find(',', j) if inner.find(',', j) >= 0 else len(inner)
            continue
        j += 1
    return out, unparsed


def main():
    src = open(sys.argv[1], encoding="utf-8").read()
    corpus = sys.argv[2]
    line_of = lambda pos: src.count("\n", 0, pos) + 1
    helper = re.search(r'makeLintWarning := func\(instructionName string, line int\) expectedLintWarning \{(.*?)\n\t\}', src, re.S)
    if helper:
        HELPER["rule"] = field(helper.group(1), "RuleName")
        fm = re.search(r'Detail:\s*fmt\.Sprintf\(("(?:[^"\\]|\\.)*")', helper.group(1))
        HELPER["format"] = go_string(fm.group(1))
    ignores = [(m.start(), go_string(src[m.end() - 1:string_end(src, m.end() - 1)]))
               for m in re.finditer(r'dockerignore\s*:?=\s*\[\]byte\(`', src)]
    # The Unix side of []byte(integration.UnixOrWindows(`unix`, `windows`)) too.
    for m in re.finditer(r'dockerfile\s*:?=\s*\[\]byte\((?:integration\.UnixOrWindows\(\s*)?`', src):
        lit_start = m.end() - 1
        lit_end = string_end(src, lit_start)
        line = line_of(lit_start)
        name = "frontend__dockerfile__dockerfile_check_test.go__L%d.Dockerfile" % line
        path = os.path.join(corpus, "moby__buildkit", name)
        if not os.path.exists(path):
            continue
        call = src.find("checkLinterWarnings(", lit_end)
        params = src.find("&lintTestParams{", call)
        pblock = src[params + len("&lintTestParams"):block_end(src, params + len("&lintTestParams"))]
        entry = {"file": "moby__buildkit/" + name, "test_line": line}
        unparsed = False
        for key in ("Warnings", "UnmarshalWarnings"):
            km = re.search(r'(?<![A-Za-z])' + key + r':\s*\[\]expectedLintWarning\{', pblock)
            if km:
                b = km.end() - 1
                warnings, bad = entries(pblock[b:block_end(pblock, b)])
                entry[key.lower().replace("warnings", "_warnings").lstrip("_") if key != "Warnings" else "warnings"] = warnings
                unparsed = unparsed or bad
            elif re.search(r'(?<![A-Za-z])' + key + r':', pblock):
                unparsed = True
        if "DockerIgnore:" in pblock:
            before = [text for pos, text in ignores if pos < call]
            entry["dockerignore"] = before[-1] if before else ""
        fa = re.search(r'FrontendAttrs:\s*map\[string\]string\{', pblock)
        if fa:
            fblock = pblock[fa.end() - 1:block_end(pblock, fa.end() - 1)]
            args = {}
            for pair in split_args(fblock[1:-1]):
                j = pair.find(":", string_end(pair, pair.index('"')) if '"' in pair else 0)
                k, v = pair[:j], pair[j + 1:]
                key, v = evaluate(k), evaluate(v)
                if not isinstance(key, str) or not isinstance(v, str):
                    unparsed = True
                    continue
                if key.startswith("build-arg:"):
                    args[key[len("build-arg:"):]] = v
                else:
                    entry.setdefault("frontend_attrs", {})[key] = v
            entry["build_args"] = args
        if unparsed:
            entry["unparsed"] = True
        entry.setdefault("warnings", [])
        print(json.dumps(entry, sort_keys=True))


if __name__ == "__main__":
    main()
