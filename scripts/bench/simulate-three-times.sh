#!/usr/bin/env bash
# Throwaway measurement (issue 8): the README's test command on a site the size the plan aims for
# (44 tools and about 300 pages), so its time is measured rather than extrapolated. It clones this
# tree to a scratch folder and, there only, adds copies of real tools under new slugs (their
# registry line, their view's folder, their content page; `atlas-sitegen bundles` writes their
# bundles) and copies of real pattern pages under new ids, then commits that, so that
#   git clone -q <scratch> /tmp/fresh-3x && /tmp/fresh-3x/.ci/run
# runs exactly what CI runs. A copy costs what its original costs in the build, the native tests
# that walk the registry and the browser tests driven by the registry and the catalogue. Not
# copied: a tool's own model tests and hand-written browser tests (add their share by hand).
# Copies are made of staged tools only, whose browser checks are all driven by the registry.
#   scripts/bench/simulate-three-times.sh [scratch-dir] [tools to add] [pages to add]
set -euo pipefail
cd "$(dirname "$0")/../.."
here=$PWD
scratch=${1:-/tmp/atlas-3x}
add_tools=${2:-19}
add_pages=${3:-55}
rm -rf "$scratch"
git clone -q . "$scratch"
cd "$scratch"

# A tool's slug is lowercase letters and dashes: copy 1 is `a`, 26 `z`, 27 `aa`.
letters() {
  local n=$1 out=""
  while [ "$n" -gt 0 ]; do
    n=$((n - 1))
    out=$(printf "\\$(printf '%03o' $((97 + n % 26)))")$out
    n=$((n / 26))
  done
  echo "$out"
}

registry=components/src/registry.rs
staged=($(grep -oE '^    staged\("[a-z0-9-]+"' "$registry" | sed -E 's/.*"(.*)"/\1/'))
for i in $(seq 1 "$add_tools"); do
  from=${staged[$(( (i - 1) % ${#staged[@]} ))]}
  slug="copy-$(letters "$i")-$from"
  # The registry line, and the seeded-model list of its test, copied under the new slug.
  sed -i -E "/^    staged\(\"$from\",/{p;s/\"$from\"/\"$slug\"/}" "$registry"
  sed -i -E "/^            \(\"$from\", of::/{p;s/\"$from\"/\"$slug\"/}" "$registry"
  # The view: the same code in a folder of its own, its stylesheet named after the new slug.
  src_dir="src/visualizers/${from//-/_}"
  dst_dir="src/visualizers/${slug//-/_}"
  mkdir -p "$dst_dir"
  cp "$src_dir/lib.rs" "$dst_dir/lib.rs"
  if [ -f "$src_dir/$from.css" ]; then cp "$src_dir/$from.css" "$dst_dir/$slug.css"; fi
  # The page, with the new slug and a title of its own.
  sed -E -e "s/^slug = \"$from\"/slug = \"$slug\"/" -e "0,/^title = \"/s//title = \"Copy $i of /" "content/visualizers/$from.md" > "content/visualizers/$slug.md"
done

patterns=($(ls content/patterns/*.md))
for i in $(seq 1 "$add_pages"); do
  from=${patterns[$(( (i - 1) % ${#patterns[@]} ))]}
  number=$(printf '%03d' "$i")
  name=$(basename "$from" .md)
  slug="copy-$(letters "$i")-${name#*-*-}"
  sed -E -e "s/^id = \"[A-Z0-9]+-[0-9]{3}\"/id = \"SIM-$number\"/" -e "s/^slug = \".*\"/slug = \"$slug\"/" -e "0,/^title = \"/s//title = \"Copy $i of /" "$from" > "content/patterns/$slug.md"
done

# The bundles, their view manifests and index.html's links, as a contributor would commit them.
# Built in a target folder of its own: cargo names a workspace's artifacts the same wherever the
# workspace is, so sharing this tree's target/ would let the copies' registry leak into its tests.
source scripts/env.sh
CARGO_TARGET_DIR="$here/target/simulate-three-times" cargo run --quiet -p atlas-sitegen -- bundles
git add -A
git commit -qm "Simulated: $add_tools more tools and $add_pages more pattern pages (scripts/bench/simulate-three-times.sh)"
echo "$scratch: $(grep -cE '^    (tool|staged)\(' "$registry") tools, $(ls content/patterns/*.md | wc -l) patterns, $(ls -d bundles/viz-*/ | wc -l) bundles"
