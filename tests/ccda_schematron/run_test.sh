#!/usr/bin/env bash
# CTest "ccda.schematron": generated CCDs must pass the HL7 C-CDA R2.1 schematron with zero errors.
#   1. the harness itself finds errors in a CCD known to be bad (samples/bad-ccd.xml);
#   2. `fhirctl data generate` makes N patients (default 20), `fhirctl import` loads them;
#   3. `ccd-gen --all` writes every patient's CCD, plus date-windowed ones (a year, and a window
#      with no data at all) and one from the NDJSON files (--from);
#   4. validate.sh checks every document, printing each error.
# Usage: run_test.sh CCD_GEN FHIRCTL [PATIENTS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ccd_gen="$1"
fhirctl="$2"
patients="${3:-20}"

"$root/scripts/npm-deps.sh"
"$here/prepare.sh" >/dev/null

work="$(mktemp -d /tmp/ccda-schematron-XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "== the harness reports the errors of a bad CCD"
if "$here/validate.sh" "$here/samples/bad-ccd.xml" > "$work/bad.txt"; then
  echo "FAIL: samples/bad-ccd.xml passed the schematron; the harness checks nothing" >&2
  exit 1
fi
grep -q "a-1198-5266" "$work/bad.txt" || { echo "FAIL: the missing recordTarget (CONF:1198-5266) was not reported" >&2; cat "$work/bad.txt" >&2; exit 1; }
tail -1 "$work/bad.txt"

echo "== $patients generated patients"
"$fhirctl" data generate --patients "$patients" --seed 11 --out "$work/ndjson" >/dev/null
"$fhirctl" --data-dir "$work/data" import "$work/ndjson" >/dev/null
"$ccd_gen" --data-dir "$work/data" --all -o "$work/ccds" -j 2
first="$(ls "$work/ccds" | head -1)"
first="${first%.xml}"
mkdir -p "$work/windowed"
"$ccd_gen" --data-dir "$work/data" --patient "$first" --start 2023 --end 2023 -o "$work/windowed/year-2023.xml"
"$ccd_gen" --data-dir "$work/data" --patient "$first" --start 1901-01-01 --end 1901-01-01 -o "$work/windowed/empty-window.xml"
"$ccd_gen" --from "$work"/ndjson/*.ndjson --patient "$first" -o "$work/windowed/from-files.xml"

docs=("$work"/ccds/*.xml "$work"/windowed/*.xml)
echo "== schematron (errors phase) on ${#docs[@]} documents"
"$here/validate.sh" "${docs[@]}"
