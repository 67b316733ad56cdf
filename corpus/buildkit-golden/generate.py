#!/usr/bin/env python3
"""Regenerates cases.jsonl: tricky Dockerfile snippets and what BuildKit's own
parser (moby/buildkit frontend/dockerfile/parser) makes of them.

usage: generate.py BKPARSE > cases.jsonl

BKPARSE is a program that reads a Dockerfile on stdin, runs BuildKit's
parser.Parse on it and prints one JSON object: {"error": b64} when Parse fails,
else {"escape", "warnings": count, "instructions": [node]} where a node is
{keyword, start_line, end_line, original, flags: [..], next: [..], json,
heredocs: [{name, fd, expand, chomp, body}], onbuild?: node}, every byte string
base64-encoded (Go's []byte). The snippets are fixed here; the random ones come
from seeded generators, so reruns give the same file for the same parser.
"""
import base64
import json
import random
import subprocess
import sys

HAND = [
    b"# syntax=docker/dockerfile:1\n# escape=`\n# check=skip=all\nFROM a\nRUN a `\n  b\n",
    b"#ESCAPE = `\n#   Syntax  =   x/y:1   \nFROM a\nRUN a `\n  b\n",
    b"# a note\n# escape=`\nFROM a\nRUN a `\nb\n",
    b"\n# escape=`\nFROM a\nRUN a \\\n  b\n",
    b"#!/usr/bin/env x\n# escape=`\nFROM a\nRUN a `\nb\n",
    b"# escape=\nFROM a\n",
    b"# escape= \nFROM a\n",
    b"# syntax=a\n# SYNTAX=b\nFROM a\n",
    b"# escape=x\nFROM a\n",
    b"# escape=``\nFROM a\n",
    b"# escape=`\nFROM m\nRUN dir c:\\ `\n    && echo hi\nCOPY a c:\\dir\\\nRUN b\n",
    b"# escape=`\nFROM a\nRUN a ` \t \n  b `\t\n  c\n",
    b"# escape=`\nFROM a\nRUN echo ``\nRUN b\n",
    b"# escape=`\nFROM a\nCOPY --chown=a` b c d\n",
    b"\xef\xbb\xbf  # escape=`\nFROM a\nRUN a `\n  b\n",
    b"# escape=`\r\n# syntax=x/y\r\nFROM a\r\nRUN a `\r\n  b\r\n",
    b"FROM a\nRUN echo a \\\n    b \\  \t\n  c\n",
    b"FROM a\nRUN a\\\nb\n",
    b"FROM a\nRUN a \\ b\nRUN c\n",
    b"FROM a\nRUN echo \\\\\nRUN b\n",
    b"FROM a\nRUN echo \\\\\\\nRUN b\n",
    b"FROM a\n\\\n  RUN x\nRUN y\n",
    b"FROM a\nRUN a \\\n\\\n b\n",
    b"FROM a\nRUN a \\\n# c1\n    # c2 \\\n  b\nRUN c\n",
    b"FROM a\nRUN a \\\n\n  \t\n  b\nRUN c\n",
    b"FROM a\nRUN a \\\n\r\n b\n",
    b"FROM a\nRUN x \\",
    b"FROM a\nRUN x \\\n\n",
    b"FROM a\nRUN a \\  \n\t\\\n",
    b"# top\nFROM a\n\n   # indented\n\t\nRUN x # not a comment\n",
    b"FROM a\nRUN <<EOF\necho hi\n# not a comment\nFROM b\nEOF\nRUN b\n",
    b"FROM a\nRUN <<-EOF\n\techo\n\t\tEOF\nRUN b\n",
    b"FROM a\nRUN <<-EOF\n\tx\n  EOF\nEOF\n",
    b"FROM a\nRUN <<'EOF' bash\n$X\nEOF\nCOPY <<\"EOF\" /x\n$Y\nEOF\n",
    b"FROM a\nRUN <<eo\"f\"\nx\neof\n",
    b"FROM a\nRUN <<eo\\'f\nx\neo'f\n",
    b"FROM a\nRUN <<'e'o\\'f\nx\neo'f\n",
    b"FROM a\nRUN <<'one two'\nx\none two\n",
    b"FROM a\nRUN cat << EOF\nx\nEOF\nRUN cat <<  EOF  > /out\ny\nEOF\n",
    b"FROM a\nRUN << -EOF\nx\n-EOF\n",
    b"FROM a\nRUN <<- EOF\nx\nEOF\n",
    b"FROM a\nRUN cat<<EOF\nx\nEOF\n",
    b"FROM a\nRUN cat <<EOF; echo\nx\nEOF\nEOF;\n",
    b"FROM a\nRUN 2<<EOF cat\nx\nEOF\nRUN 3<<A\nA\n",
    b"FROM a\nCOPY <<one <<\"two\" /d/\n1\none\n2\ntwo\nRUN x\n",
    b"FROM a\nCOPY <<X <<Y /dest\nY\nX\nX\nY\n",
    b"FROM a\nUSER <<EOF\nbody\nEOF\nCMD cat <<EOF\nENV A=<<EOF\n",
    b"FROM a\nRUN [\"cat\", \"<<EOF\"]\nCOPY [\"<<EOF\", \"/x\"]\nRUN b\n",
    b"FROM a\nRUN <<EOF echo 'x\nEOF\n",
    b"FROM a\nRUN <<EOF echo ${\nx\nEOF\n",
    b"FROM a\nRUN cat <<EOF${x:-y}\nEOF\n",
    b"FROM a\nRUN <<${EOF}\nx\n${EOF}\n",
    b"FROM a\nRUN cat <<EOF \\\n  > /file\nbody\nEOF\nRUN x\n",
    b"FROM a\r\nRUN <<EOF\r\necho\r\nEOF\r\nRUN b\r\n",
    b"FROM a\nRUN <<EOF\necho\nEOF",
    b"FROM a\nRUN <<EOF\necho\nmore\n",
    b"FROM a\nRUN <<EOF\nx\nEOF \n",
    b"FROM a\nCOPY --from=build --chown=\"app:app\" --chmod=755 --link src /dst\n",
    b"FROM a\nCOPY --chown=a\\ b --x=p\"q r\"s --y='' --z= s d\n",
    b"FROM a\nRUN --network=none -- --not-a-flag\n",
    b"FROM a\nRUN -x --y\nCOPY a --chown=x b\nFOO --bar baz\n",
    b"FROM a\nCOPY --chown=\"a b c\n",
    b"FROM a\nCOPY --chown=\xc3\xa0x y z\n",
    b"FROM a\nCMD [\"a\\u00e9\\n\", \"q\\\"x\", \"s\\/l\", \"\\\\\", \"\\ud83d\\ude00\", \"\\ud800\"]\n",
    b"FROM a\nCMD [\"\xff\"]\n",
    b"FROM a\nCMD []\nCMD  [ \"a\" , \"b\" ]  \nCMD [\"a\tb\"]\nCMD [\"a\",]\nCMD [\"a\"] b\n",
    b"FROM a\nCMD [\"a\", 1] x\n",
    b"FROM a\nRUN [\"a\"]\x00\n",
    b"FROM a\nCMD [\"\xff\", 1]\n",
    b"FROM a\nVOLUME [\"/d\", null]\n",
    b"FROM a\nUSER [\"a\", 1]\nWORKDIR [\"/x\"]\nEXPOSE [\"80\"]\n",
    b"FROM a\nHEALTHCHECK NONE\nHEALTHCHECK CMD curl -f x\nHEALTHCHECK --interval=5s CMD [\"a\"]\nHEALTHCHECK\n",
    b"FROM a\nENV k v w\nENV A=1 B=\"two words\"\nENV\n",
    b"FROM a\nENV NOVALUE\n",
    b"FROM a\nLABEL a=b c\n",
    b"FROM a\nLABEL single\n",
    b"FROM a\nONBUILD RUN x\nONBUILD copy --chown=1:1 . /app\nONBUILD CMD [\"a\"]\nONBUILD\n",
    b"FROM a\nonbuild run <<EOF\nx\nEOF\nONBUILD RUN [\"<<EOF\"]\n",
    b"FROM a\nONBUILD ONBUILD RUN x\nONBUILD FOO bar\n",
    b"from a AS b\n  \tRuN x\ncopy . .\nWorkDir /x\n",
    b"FROM a\nRUN\tx\nRUN\x0bx\nRUN\xc2\xa0x\nRUN a\xc2\x85\n",
    b"\xc2\xa0FROM a\n",
    b"FROM a\n\xef\xbb\xbfRUN x\n",
    b"\xef\xbb\xbf\xef\xbb\xbfFROM a\n",
    b"FROM a\rRUN b\n",
    b"FROM a\nRUN x\r\r\nRUN y \\\r\r\n z\n",
    b"",
    b"# just a comment\n\n",
    b"\\\n",
    b"FROM a\n\\\n",
    b"FROM a\nRUN \xff\xfe\x00x \\\n\x00\n",
]

PIECES = ["FROM a", "RUN ", "run", "COPY ", "ADD ", "ONBUILD ", "ENV ", "LABEL ", "CMD ", "HEALTHCHECK ",
          "USER ", "ARG ", "\n", "\n", "\n", "\r\n", "\r", " ", "\t", "\\", "`", "\\\n", "`\n", "#",
          "# escape=`\n", "# syntax=x\n", "<<EOF", "<<-EOF", "<<'EOF'", "<< EOF", "2<<EOF", "EOF\n", "\tEOF\n",
          "\"", "'", "[", "]", "[\"a\", \"b\"]", "[\"a\", 1]", "--from=x ", "--mount=type=cache,target=/x ",
          "-- ", "--link ", "=", "A=b ", "${", "$x", "${x:-y}", "}", ";", "\\'", "\\\"", "\xc2\xa0", "x",
          "y z", "\\\\", "NONE", "\x0b", "\x00", "\xef\xbb\xbf", "<<", "-", "\n\n", "RUN <<EOF\n",
          "COPY <<A <<B /x\n", "A\n", "B\n", " \\ \n", "\t\\\t\n"]
HEADS = ["# escape=`\n", "#escape=\\\n", "# syntax=a\n", "# check=x\n", "# ESCAPE = ` \n", "#\n", "\n",
         " # escape=`\n", "\xef\xbb\xbf", "# foo=bar\n", "\r\n", "\t#check=a\n"]


def random_cases(seed, count):
    rng = random.Random(seed)
    for _ in range(count):
        text = "".join(rng.choice(HEADS) for _ in range(rng.randint(0, 2)))
        text += "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30)))
        yield text.encode("latin-1")


def readable(b64):
    raw = base64.b64decode(b64)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return {"b64": b64}


def tidy(node):
    for key in ("keyword", "original"):
        node[key] = readable(node[key])
    node["flags"] = [readable(x) for x in node["flags"] or []]
    node["next"] = [readable(x) for x in node["next"] or []]
    for h in node["heredocs"] or []:
        h["name"], h["body"] = readable(h["name"]), readable(h["body"])
    if node.get("onbuild"):
        tidy(node["onbuild"])


def main():
    bkparse = sys.argv[1]
    cases = [("hand-%03d" % k, src) for k, src in enumerate(HAND)]
    cases += [("random-%03d" % k, src) for k, src in enumerate(random_cases(20260821, 400))]
    for name, src in cases:
        out = json.loads(subprocess.run([bkparse], input=src, capture_output=True, check=True).stdout)
        if "error" in out:
            out["error"] = readable(out["error"])
        for node in out.get("instructions") or []:
            tidy(node)
        try:
            source = {"source": src.decode("utf-8")}
        except UnicodeDecodeError:
            source = {"source": {"b64": base64.b64encode(src).decode()}}
        print(json.dumps({"name": name, **source, "buildkit": out}, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main()
