set -e
mkdir -p "$1"
for f in content/*.txt; do
  name=$(basename "$f" .txt)
  printf '<html><body><p>%s</p></body></html>\n' "$(cat "$f")" > "$1/$name.html"
done
