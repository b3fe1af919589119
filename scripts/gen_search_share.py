#!/usr/bin/env python3
"""Generates share/fhir/search-parameters.json and share/fhir/patient-compartment.json.

Dev-time only: the outputs are committed and embedded into the binaries (lib/CMakeLists.txt) and
read by lib/search/registry.cpp; users never run this. Inputs: the official FHIR R4 (4.0.1)
SearchParameter Bundle, the R4 Patient CompartmentDefinition and the US Core 3.1.1 NPM package
tarball (package/SearchParameter-*.json).

    python3 scripts/gen_search_share.py [search-parameters.json compartmentdefinition-patient.json us-core.tgz]

search-parameters.json
    A JSON array, one object a line, sorted by (base, code); one entry per (base resource type,
    code):
        {"base", "code", "type", "expression", "target": [...], "modifier": [...],
         "comparator": [...], "component": [{"code", "expression"}], "url", "us_core": true}
    Fields with empty values (and us_core when false) are left out.
    - A multi-base R4 parameter (clinical-code: AllergyIntolerance.code | Condition.code | ...)
      becomes one entry per base whose expression keeps only the union terms of that base
      (split at top-level "|"); a base without a term of its own keeps the whole expression.
    - Resource-level parameters keep base "Resource" (DomainResource's are filed under it too);
      those without an expression (_text, _content, _query) are left out, as is any "special"
      parameter without an expression.
    - A composite's components name the component parameter by code (resolved from the
      definition URL) and keep their relative expression.
    - US Core 3.1.1 parameters replace the R4 entry of the same (base, code) and add their own
      (Patient race and ethnicity); they carry "us_core": true.

patient-compartment.json
    {resource type: [search parameter code, ...]} from the R4 Patient CompartmentDefinition
    (types without parameters are left out), except "Patient": ["{def}"] (the compartment's own
    patient, by id; see lib/search/registry.hpp).
"""
import json
import re
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path("/work/shared/fhir")
DEFAULT_R4 = SHARED / "r4/search-parameters.json"
DEFAULT_COMPARTMENT = SHARED / "r4/compartmentdefinition-patient.json"
DEFAULT_TGZ = SHARED / "us-core-3.1.1/hl7.fhir.us.core-3.1.1.tgz"

# Bases whose parameters apply to every resource type; filed under "Resource".
RESOURCE_BASES = {"Resource", "DomainResource"}
FIELDS = ["base", "code", "type", "expression", "target", "modifier", "comparator", "component",
          "url", "us_core"]


def split_union(expression):
    """Splits a FHIRPath expression at top-level "|" (outside parentheses, brackets, strings)."""
    terms, depth, quote, start, i = [], 0, None, 0, 0
    while i < len(expression):
        ch = expression[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "|" and depth == 0:
            terms.append(expression[start:i].strip())
            start = i + 1
        i += 1
    terms.append(expression[start:].strip())
    return [t for t in terms if t]


def term_base(term):
    """The resource type a union term starts from ("(Observation.value as X)" -> "Observation")."""
    match = re.match(r"\(*\s*([A-Za-z][A-Za-z0-9]*)\b", term)
    return match.group(1) if match else None


def expression_for(base, expression, bases, notes):
    if len(bases) < 2 or not expression:
        return expression
    own = [t for t in split_union(expression) if term_base(t) == base]
    if not own:
        notes.append(f"{base}: no union term of its own, keeps the whole expression")
        return expression
    return " | ".join(own)


def entry(base, sp, expression, components, us_core):
    out = {
        "base": base,
        "code": sp["code"],
        "type": sp["type"],
        "expression": expression,
        "target": sorted(sp.get("target", [])),
        "modifier": list(sp.get("modifier", [])),
        "comparator": list(sp.get("comparator", [])),
        "component": components,
        "url": sp["url"],
        "us_core": us_core,
    }
    return {k: out[k] for k in FIELDS if out[k] not in ("", [], None, False)}


def components_of(sp, by_url, notes):
    comps = []
    for c in sp.get("component", []):
        target = by_url.get(c["definition"])
        if target is None:
            raise SystemExit(f"{sp['url']}: unknown component definition {c['definition']}")
        comps.append({"code": target["code"], "expression": c.get("expression", "")})
    return comps


def search_parameters(r4_bundle, us_core_params, notes):
    r4 = [e["resource"] for e in r4_bundle["entry"] if e["resource"]["resourceType"] == "SearchParameter"]
    by_url = {sp["url"]: sp for sp in r4 + us_core_params}
    table = {}
    for sp in r4:
        expression = sp.get("expression", "")
        if not expression:
            notes.append(f"skipped {sp['url']} ({sp['type']}, no expression)")
            continue
        bases = sp["base"]
        for base in bases:
            key_base = "Resource" if base in RESOURCE_BASES else base
            expr = expression_for(base, expression, bases, notes)
            key = (key_base, sp["code"])
            if key in table:
                raise SystemExit(f"duplicate R4 search parameter {key}")
            table[key] = entry(key_base, sp, expr, components_of(sp, by_url, notes), False)
    for sp in us_core_params:
        expression = sp.get("expression", "")
        if not expression:
            notes.append(f"skipped {sp['url']} ({sp['type']}, no expression)")
            continue
        for base in sp["base"]:
            key = (base, sp["code"])
            expr = expression_for(base, expression, sp["base"], notes)
            if key not in table:
                notes.append(f"US Core adds {base} {sp['code']}")
            table[key] = entry(base, sp, expr, components_of(sp, by_url, notes), True)
    return [table[k] for k in sorted(table)]


def read_us_core(tgz):
    params = []
    with tarfile.open(tgz, "r:gz") as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            rel = member.name[len("package/"):] if member.name.startswith("package/") else None
            if not member.isfile() or rel is None or "/" in rel:
                continue
            if rel.startswith("SearchParameter-") and rel.endswith(".json"):
                params.append(json.load(tar.extractfile(member)))
    return params


def patient_compartment(definition, params, notes):
    codes = {(p["base"], p["code"]) for p in params}
    table = {}
    for res in definition["resource"]:
        if res.get("param"):
            table[res["code"]] = list(res["param"])
            for code in res["param"]:
                if (res["code"], code) not in codes and ("Resource", code) not in codes:
                    notes.append(f"compartment: {res['code']}.{code} is not a known search parameter")
    if table.get("Patient") != ["{def}"]:
        notes.append(f"compartment: Patient {table.get('Patient')} replaced by ['{{def}}']")
    table["Patient"] = ["{def}"]
    return dict(sorted(table.items()))


def write_lines(path, items):
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(item, separators=(",", ":")) for item in items]
    path.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)} ({len(items)} entries)")


def main():
    args = sys.argv[1:]
    if args and len(args) != 3:
        raise SystemExit(__doc__)
    r4_path, comp_path, tgz = (Path(a) for a in args) if args else (
        DEFAULT_R4, DEFAULT_COMPARTMENT, DEFAULT_TGZ)
    notes = []
    r4_bundle = json.loads(r4_path.read_text(encoding="utf-8"))
    params = search_parameters(r4_bundle, read_us_core(tgz), notes)
    compartment = patient_compartment(json.loads(comp_path.read_text(encoding="utf-8")), params, notes)
    write_lines(ROOT / "share/fhir/search-parameters.json", params)
    out = ROOT / "share/fhir/patient-compartment.json"
    lines = [f"{json.dumps(k)}:{json.dumps(v, separators=(',', ':'))}" for k, v in compartment.items()]
    out.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)} ({len(compartment)} types)")
    for note in notes:
        print("note:", note, file=sys.stderr)


if __name__ == "__main__":
    main()
