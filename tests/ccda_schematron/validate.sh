#!/usr/bin/env bash
# Validates C-CDA documents against the HL7 C-CDA R2.1 schematron (Consolidation.sch), errors
# phase: prints each failed SHALL assertion as "FILE: <assert id> <location>: <message>" and a
# summary line. Warnings (SHOULD/MAY) are not checked.
# Usage: validate.sh FILE...     Exit: 0 no errors, 1 errors (or a file that is not well-formed),
# 2 setup problem (see prepare.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
(($# > 0)) || { echo "usage: validate.sh FILE..." >&2; exit 2; }
xsl="$("$here/prepare.sh")"
failed_docs=0
total_errors=0
for f in "$@"; do
  if ! svrl="$(xsltproc "$xsl" "$f" 2>&1)"; then
    echo "$f: not well-formed or not transformable: $svrl"
    failed_docs=$((failed_docs + 1))
    continue
  fi
  errors="$(printf '%s' "$svrl" | xsltproc "$here/svrl-errors.xsl" -)"
  if [[ -n "$errors" ]]; then
    n="$(printf '%s\n' "$errors" | wc -l)"
    total_errors=$((total_errors + n))
    failed_docs=$((failed_docs + 1))
    printf '%s\n' "$errors" | sed "s|^|$f: |"
  fi
done
echo "schematron: $# documents, $failed_docs with errors, $total_errors errors"
((failed_docs == 0))
