#!/usr/bin/env bash
# Prints the CHANGELOG.md section of one version, for the release's notes:
#   bash scripts/release-notes.sh v1.2.3 [CHANGELOG.md]
# The section is everything under its heading (`## 1.2.3`, `## [1.2.3] - 2027-01-31`, `## v1.2.3`)
# up to the next `## ` heading, with leading and trailing blank lines dropped. Exits 1 when the
# version has no section or the section is empty: a release needs notes.
set -euo pipefail
tag="${1:?usage: release-notes.sh vX.Y.Z [CHANGELOG.md]}"
file="${2:-CHANGELOG.md}"
version="${tag#v}"
notes="$(awk -v v="$version" '
  /^## / {
    if (found) exit
    h = $0
    sub(/^## +\[?v?/, "", h)
    if (index(h, v) == 1 && substr(h, length(v) + 1, 1) ~ /^([] ]|)$/) found = 1
    next
  }
  found { print }
' "$file" | sed -e '/./,$!d')"
if [ -z "$notes" ]; then
  echo "$file has no section for $version (a heading like \`## $version\` or \`## [$version] - date\`) or it is empty" >&2
  exit 1
fi
printf '%s\n' "$notes"
