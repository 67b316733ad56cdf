#!/usr/bin/env bash
# check's two text layouts (issue 18) over real-shaped Dockerfiles in
# tests/text_output: the full layout (source line, caret, fix) byte for byte
# against its goldens, with tabs, CRLF, wide UTF-8, continuation lines,
# heredoc bodies, long lines, control characters and bidirectional overrides;
# the caret column against an independent width computation (Python's
# unicodedata); the summary's counts against what apply and apply
# --unsafe-fixes really change; --format concise byte for byte against what
# the main branch's binary printed before the full layout existed, but for
# control characters quoted from the file, escaped since (<U+001B>) as in
# the full layout.
#
# DOCKERFIX_GOLDEN_UPDATE=1 rewrites the full-layout goldens (review them);
# the concise ones are only ever written from a binary that prints them as
# `check` alone: DOCKERFIX_GOLDEN_CONCISE_FROM=/path/to/dockerfix.
set -euo pipefail
cli=$1 src=$2
fixtures=$src/tests/text_output
expected=$fixtures/expected
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export LC_ALL=C COLUMNS=100
unset NO_COLOR

mkdir "$work/in"
cp "$fixtures"/*.Dockerfile "$work/in/"
# Bytes an editor or a checkout could change are made here: CRLF line
# endings; a byte order mark before a finding on line 1; an escape sequence, a C1 control and a right-to-left override on
# the line of a finding, and one in a message (a user's name).
printf 'FROM debian:12\r\nRUN apt-get update && apt-get install -y curl\r\nRUN curl -fsSL https://example.com/data.tar.gz -o /tmp/data.tar.gz\r\nCOPY app.conf /etc/app.conf\r\n' \
  > "$work/in/crlf.Dockerfile"
printf 'FROM debian:12\nLABEL org.opencontainers.image.description="build \xe2\x80\xaetxt.exe"\nRUN printf "\x1b[1mbuilding\x1b[0m \xe2\x80\xaeexe.sh\xc2\x85" && curl -fsSL https://example.com/x.sh -o /x.sh && sh /x.sh\nRUN useradd --uid 10001 app\x1b[2J\nUSER app\x1b[2J\nRUN apt-get install -y tini\n' \
  > "$work/in/control.Dockerfile"
printf '\xef\xbb\xbfFROM debian:12\nRUN curl -fsSL https://example.com/x -o /x\n' > "$work/in/bom.Dockerfile"
cd "$work/in"
inputs=(*.Dockerfile)

run() {  # NAME ARGS...: stdout in $work/NAME, exit status in $rc
  local name=$1; shift
  set +e
  "$cli" "$@" > "$work/$name" 2> "$work/$name.err"
  rc=$?
  set -e
}
golden() {  # NAME: compares (or with DOCKERFIX_GOLDEN_UPDATE, writes) expected/NAME
  if [[ ${DOCKERFIX_GOLDEN_UPDATE:-} == 1 ]]; then cp "$work/$1" "$expected/$1"; return; fi
  cmp -s "$work/$1" "$expected/$1" || fail "$1 differs from tests/text_output/expected/$1:
$(diff "$expected/$1" "$work/$1" | head -20)"
}

# --- the full layout: the default, also `--format full` and `--format text` ------
run full.txt check --no-config --color never "${inputs[@]}"
[[ $rc == 1 ]] || fail "check exit $rc, want 1: $(cat "$work/full.txt.err")"
golden full.txt
for f in full text; do
  run "format-$f" check --no-config --color never --format "$f" "${inputs[@]}"
  cmp -s "$work/full.txt" "$work/format-$f" || fail "--format $f is not the default layout"
done
run full-color.txt check --no-config --color always "${inputs[@]}"
golden full-color.txt
run full-unsafe.txt check --no-config --color never --unsafe-fixes node.Dockerfile priv.Dockerfile
golden full-unsafe.txt
COLUMNS=60 run narrow.txt check --no-config --color never long.Dockerfile utf8.Dockerfile tabs.Dockerfile
golden narrow.txt

# Nothing a terminal acts on: no control byte but the newline (and, under
# --color, SGR colour sequences); no bidirectional override, no C1 control.
if grep -naP '[\x00-\x09\x0b-\x1f\x7f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xc2[\x80-\x9f]' "$work/full.txt"; then
  fail "the full layout wrote a control character"
fi
sed 's/\x1b\[[0-9;]*m//g' "$work/full-color.txt" > "$work/uncoloured"
cmp -s "$work/uncoloured" "$work/full.txt" || fail "--color always is not the plain layout plus colour: $(diff "$work/full.txt" "$work/uncoloured" | head)"
if sed 's/\x1b\[[0-9;]*m//g' "$work/full-color.txt" | grep -naP '[\x00-\x09\x0b-\x1f\x7f]'; then
  fail "--color always wrote a control character other than a colour"
fi
grep -qF $'\e[1;31m^~~\e[0m' "$work/full-color.txt" || fail "an error's caret is not red"
grep -qF $'\e[32m+ RUN curl --retry 3' "$work/full-color.txt" || fail "the fix's + line is not green"
grep -qF $'\e[31m- RUN curl -fsSL' "$work/full-color.txt" || fail "the fix's - line is not red"

# --- carets: at the column Python's unicodedata gives the finding's byte -------
COLUMNS=1000 run wide.txt check --no-config --color never "${inputs[@]}"
run json.txt check --no-config --format json "${inputs[@]}"
python3 - "$work/wide.txt" "$work/json.txt" <<'PY' || fail "a caret is not under its finding's column"
import json, re, sys, unicodedata
text = open(sys.argv[1], encoding="utf-8").read().split("\n")
doc = json.load(open(sys.argv[2]))
def shown(ch, col):  # display columns of one character at column `col`
    o = ord(ch)
    if ch == "\t": return 8 - col % 8
    if o < 0x20 or o == 0x7f or 0x80 <= o < 0xa0 or o in (0x61c, 0x200e, 0x200f) or 0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069:
        return len("<U+%04X>" % o)
    if unicodedata.combining(ch): return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1
checked = 0
for f in doc["files"]:
    source = open(f["path"], "rb").read().split(b"\n")
    for x in f["findings"]:
        line = source[x["line"] - 1].rstrip(b"\r")
        column = x["column"]
        if x["line"] == 1 and line.startswith(b"\xef\xbb\xbf"):  # a byte order mark: no character
            line, column = line[3:], column - 3
        want = 0
        for ch in line[: column - 1].decode("utf-8"):
            want += shown(ch, want)
        # The finding's header, then "  |", "N | source", "  | caret".
        head = next(i for i, l in enumerate(text) if l.startswith("%s:%d:%d %s " % (f["path"], x["line"], x["column"], x["rule"])))
        m = re.match(r"^( *\d+) \| ", text[head + 2]) and re.match(r"^ +\| ( *)\^", text[head + 3])
        assert m, (f["path"], x, text[head : head + 4])
        assert len(m.group(1)) == want, (f["path"], x["line"], x["column"], len(m.group(1)), want)
        checked += 1
assert checked >= 15, checked
PY

# --- the summary counts what apply and apply --unsafe-fixes change -----------
python3 - "$work/full.txt" "$work/json.txt" > "$work/counts" <<'PY'
import json, re, sys
last = open(sys.argv[1]).read().rstrip("\n").split("\n")[-1]
m = re.fullmatch(r"Found (\d+) findings? in (\d+) files? \((\d+) fixable with dockerfix apply; (\d+) more with dockerfix apply --unsafe-fixes\)", last)
assert m, last
doc = json.load(open(sys.argv[2]))
n = sum(len(f["findings"]) for f in doc["files"])
files = sum(1 for f in doc["files"] if f["findings"])
assert (int(m.group(1)), int(m.group(2))) == (n, files), (last, n, files)
print(m.group(3), m.group(4))
PY
read -r fixable more < "$work/counts"
applied() {  # FLAGS...: how many fixes apply makes to a copy of the inputs
  rm -rf "$work/copy" && cp -r "$work/in" "$work/copy"
  (cd "$work/copy" && "$cli" apply --no-config "$@" "${inputs[@]}") |
    sed -n 's/^fixed .* (\([0-9]*\) fix.*/\1/p' | awk '{ s += $1 } END { print s + 0 }'
}
[[ $(applied) == "$fixable" ]] || fail "the summary says $fixable fixable; apply makes $(applied)"
[[ $(applied --unsafe-fixes) == $((fixable + more)) ]] ||
  fail "the summary says $more more with --unsafe-fixes; apply --unsafe-fixes makes $(applied --unsafe-fixes) in all"
run unsafe-summary check --no-config --unsafe-fixes "${inputs[@]}"
tail -1 "$work/unsafe-summary" | grep -qx "Found [0-9]* findings in [0-9]* files ($((fixable + more)) fixable with dockerfix apply --unsafe-fixes)" ||
  fail "check --unsafe-fixes summary: $(tail -1 "$work/unsafe-summary")"

# --- concise: what check printed before the full layout, controls escaped ---
for color in never always; do
  name=concise-$color.txt
  run "$name" check --no-config --color "$color" --format concise "${inputs[@]}"
  [[ $rc == 1 ]] || fail "check --format concise exit $rc"
  if [[ -n ${DOCKERFIX_GOLDEN_CONCISE_FROM:-} ]]; then
    "$DOCKERFIX_GOLDEN_CONCISE_FROM" check --no-config --color "$color" "${inputs[@]}" > "$expected/$name" || true
  fi
  cmp -s "$work/$name" "$expected/$name" || fail "--format concise --color $color is not the old output: $(diff "$expected/$name" "$work/$name" | head)"
done

# --- the README's example is what check prints -----------------------------
mkdir "$work/readme"
awk '/^<!-- tests\/cli_text_output.sh runs check/ { on = 1; next } on && /^```dockerfile$/ { d = 1; next }
     d && /^```$/ { d = 0; c = 1; next } d { print > "'"$work/readme/Dockerfile"'" }
     c && /^\$ dockerfix check Dockerfile$/ { o = 1; next } o && /^```$/ { exit } o { print > "'"$work/readme/want"'" }' "$src/README.md"
[[ -s $work/readme/Dockerfile && -s $work/readme/want ]] || fail "no check example in README.md"
(cd "$work/readme" && COLUMNS=120 "$cli" check --no-config Dockerfile > got) || true
cmp -s "$work/readme/want" "$work/readme/got" || fail "README.md's check example is not what check prints: $(diff "$work/readme/want" "$work/readme/got")"

# --- quiet, nothing found, workers --------------------------------------------
run quiet check --no-config -q "${inputs[@]}"
[[ $rc == 1 && ! -s $work/quiet && ! -s $work/quiet.err ]] || fail "-q printed something or exit $rc"
printf 'FROM debian:12\nCOPY app /usr/local/bin/app\nUSER 65534\nENTRYPOINT ["app"]\n' > "$work/clean.Dockerfile"
run clean check --no-config "$work/clean.Dockerfile"
[[ $rc == 0 && ! -s $work/clean ]] || fail "a clean file: exit $rc, printed $(cat "$work/clean")"
for jobs in 1 2; do run "jobs$jobs" check --no-config --jobs "$jobs" "${inputs[@]}"; done
cmp -s "$work/jobs1" "$work/jobs2" || fail "--jobs 1 and --jobs 2 differ"
echo "ok: ${#inputs[@]} Dockerfiles, full and concise layouts as expected"
