#!/usr/bin/env bash
# Validates C-CDA documents against the HL7 C-CDA R2.1 schematron (Consolidation.sch), errors
# phase: prints each failed SHALL assertion as "FILE: <assert id> <location>: <message>" and a
# summary line. Warnings (SHOULD/MAY) are not checked. Documents are checked in parallel
# (VALIDATE_JOBS, default: the number of CPUs); each takes a few CPU seconds.
# Usage: validate.sh FILE...     Exit: 0 no errors, 1 errors (or a file that is not well-formed),
# 2 setup problem (see prepare.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

# One document: its error lines on stdout (none when it passed).
if [[ "${1:-}" == --one ]]; then
  xsl="$2" f="$3"
  if ! svrl="$(xsltproc "$xsl" "$f" 2>&1)"; then
    echo "$f: not well-formed or not transformable: $(printf '%s' "$svrl" | head -3 | tr '\n' ' ')"
    exit 0
  fi
  printf '%s' "$svrl" | xsltproc "$here/svrl-errors.xsl" - | sed "s|^|$f: |"
  exit 0
fi

(($# > 0)) || { echo "usage: validate.sh FILE..." >&2; exit 2; }
xsl="$("$here/prepare.sh")"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
i=0
for f in "$@"; do
  i=$((i + 1))
  printf '%s\0%s\0' "$f" "$out/$i.txt"
done | xargs -0 -n 2 -P "${VALIDATE_JOBS:-$(nproc)}" sh -c '"$0" --one "$1" "$2" > "$3"' "$here/validate.sh" "$xsl"
failed_docs=0
total_errors=0
for ((n = 1; n <= $#; n++)); do
  if [[ -s "$out/$n.txt" ]]; then
    cat "$out/$n.txt"
    failed_docs=$((failed_docs + 1))
    total_errors=$((total_errors + $(wc -l < "$out/$n.txt")))
  fi
done
echo "schematron: $# documents, $failed_docs with errors, $total_errors errors"
((failed_docs == 0))
