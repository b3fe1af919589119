#!/usr/bin/env python3
"""Generates share/fhir/us-core-profiles.json and share/fhir/element-types.json.

Dev-time only: the outputs are committed and embedded into the binaries (lib/CMakeLists.txt);
users never run this. Input is the US Core 3.1.1 NPM package tarball (everything under package/).

    python3 scripts/gen_fhir_share.py [path/to/hl7.fhir.us.core-3.1.1.tgz]

us-core-profiles.json
    {resource type: [profile canonical URL, ...]}: the supportedProfile lists of
    CapabilityStatement-us-core-server.json, plus for Observation the FHIR R4 core vital-signs
    profiles that US Core 3.1.1 requires (its "Profiles and Extensions" page lists them; the
    package itself does not, so they are spelled out below).

element-types.json
    {"resources": {type: table}, "datatypes": {type: table}} where a table maps a JSON property
    name to a FHIR type name ("date", "dateTime", "instant", "time", or a datatype listed under
    "datatypes") or to a nested table (backbone elements). Choice elements x[x] get one key per
    type (effectiveDateTime, effectivePeriod, ...). Only what leads to a date-like primitive is
    kept. Resource tables come from the US Core profile snapshots (merged per resource type);
    the datatype tables are written here from FHIR R4 (4.0.1). "Resource" holds what every
    resource has and is the fallback for types US Core does not profile. Extensions
    (extension/modifierExtension at any depth) are checked by the validator itself, using the
    "Extension" datatype table.
"""
import json
import re
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TGZ = Path("/work/shared/fhir/us-core-3.1.1/hl7.fhir.us.core-3.1.1.tgz")
DATE_LIKE = {"date", "dateTime", "instant", "time"}

# FHIR R4 core vital-signs profiles (http://hl7.org/fhir/R4/observation-vitalsigns.html) that
# US Core 3.1.1 requires for vital signs; US Core 3.1.1 defines no vital-signs profiles of its own
# besides pulse oximetry (which derives from oxygensat).
VITAL_SIGNS = [
    "vitalsigns", "vitalspanel", "resprate", "heartrate", "oxygensat", "bodytemp", "bodyheight",
    "headcircum", "bodyweight", "bmi", "bp",
]

# FHIR R4 datatypes, limited to the elements that (may) lead to a date-like primitive.
# Entries whose type is not date-like and not (after pruning) a datatype here are dropped.
DATATYPES = {
    "Period": {"start": "dateTime", "end": "dateTime"},
    "HumanName": {"period": "Period"},
    "Address": {"period": "Period"},
    "ContactPoint": {"period": "Period"},
    "Identifier": {"period": "Period", "assigner": "Reference"},
    "Reference": {"identifier": "Identifier"},
    "Meta": {"lastUpdated": "instant"},
    "Attachment": {"creation": "dateTime"},
    "Annotation": {"time": "dateTime", "authorReference": "Reference"},
    "Timing": {
        "event": "dateTime",
        "repeat": {"boundsPeriod": "Period", "timeOfDay": "time"},
    },
    "Signature": {"when": "instant", "who": "Reference", "onBehalfOf": "Reference"},
    "Dosage": {"timing": "Timing"},
    "ContactDetail": {"telecom": "ContactPoint"},
    "Contributor": {"contact": "ContactDetail"},
    "UsageContext": {"valueReference": "Reference"},
    "RelatedArtifact": {"document": "Attachment"},
    "DataRequirement": {
        "subjectReference": "Reference",
        "dateFilter": {"valueDateTime": "dateTime", "valuePeriod": "Period"},
    },
    "TriggerDefinition": {
        "timingTiming": "Timing", "timingReference": "Reference", "timingDate": "date",
        "timingDateTime": "dateTime", "data": "DataRequirement",
    },
    "MarketingStatus": {"dateRange": "Period", "restoreDate": "dateTime"},
    # Extension.value[x]: every R4 type that is, or leads to, a date-like primitive.
    "Extension": {
        "valueDate": "date", "valueDateTime": "dateTime", "valueInstant": "instant",
        "valueTime": "time", "valuePeriod": "Period", "valueTiming": "Timing",
        "valueIdentifier": "Identifier", "valueReference": "Reference",
        "valueHumanName": "HumanName", "valueAddress": "Address",
        "valueContactPoint": "ContactPoint", "valueAnnotation": "Annotation",
        "valueAttachment": "Attachment", "valueSignature": "Signature", "valueMeta": "Meta",
        "valueDosage": "Dosage", "valueContactDetail": "ContactDetail",
        "valueContributor": "Contributor", "valueUsageContext": "UsageContext",
        "valueRelatedArtifact": "RelatedArtifact", "valueDataRequirement": "DataRequirement",
        "valueTriggerDefinition": "TriggerDefinition",
    },
    # No date-like content (listed so the intent is explicit; pruned from the output):
    "CodeableConcept": {}, "Coding": {}, "Quantity": {}, "Age": {}, "Duration": {},
    "SampledData": {}, "Narrative": {}, "Range": {}, "Ratio": {}, "Money": {},
}

# R4 resources the server must understand that US Core does not profile.
# Bundle.entry.resource and contained[] are walked by the validator as resources of their own.
EXTRA_RESOURCES = {
    "Resource": {"meta": "Meta"},
    "Bundle": {
        "meta": "Meta",
        "identifier": "Identifier",
        "timestamp": "instant",
        "signature": "Signature",
        "entry": {
            "request": {"ifModifiedSince": "instant"},
            "response": {"lastModified": "instant"},
        },
    },
}


def read_package(tgz):
    """Returns {file name under package/: parsed JSON} for the package's top-level JSON files."""
    files = {}
    with tarfile.open(tgz, "r:gz") as tar:
        for member in tar.getmembers():
            name = member.name
            if not member.isfile() or not name.startswith("package/") or not name.endswith(".json"):
                continue
            rel = name[len("package/"):]
            if "/" in rel:  # examples, openapi, ...
                continue
            files[rel] = json.load(tar.extractfile(member))
    return files


def profiles_table(files):
    cs = files["CapabilityStatement-us-core-server.json"]
    table = {}
    for res in cs["rest"][0]["resource"]:
        profiles = list(res.get("supportedProfile", []))
        if res.get("profile"):
            profiles.insert(0, res["profile"])
        if profiles:
            table[res["type"]] = profiles
    base = "http://hl7.org/fhir/StructureDefinition/"
    table.setdefault("Observation", []).extend(base + p for p in VITAL_SIGNS)
    return {k: sorted(set(v)) for k, v in table.items()}


def type_name(code):
    """FHIR type code of an ElementDefinition.type entry; System.* (id and friends) -> None."""
    return None if code.startswith("http://") else code


def snapshot_table(sd):
    """Nested {property: type or table} for a resource profile's snapshot, before pruning."""
    rtype = sd["type"]
    by_path = {}  # element path (without the resource type) -> nested table, for contentReference
    root = {}
    by_path[""] = root
    for el in sd["snapshot"]["element"]:
        if ":" in el["id"]:  # slices restate their base element
            continue
        path = el["path"]
        if path == rtype:
            continue
        rel = path[len(rtype) + 1:]
        parent_path, _, name = rel.rpartition(".")
        if name in ("extension", "modifierExtension"):  # the validator checks these everywhere
            continue
        parent = by_path.get(parent_path)
        if parent is None:  # child of an element whose type we did not expand
            continue
        if "contentReference" in el:
            # "#Observation.referenceRange"; Provenance names a slice ("#Provenance.agent:X"),
            # whose structure is that of the sliced element.
            ref = re.sub(r":[^.]*", "", el["contentReference"].lstrip("#"))[len(rtype) + 1:]
            parent[name] = by_path[ref]
            continue
        codes = [t for t in (type_name(t["code"]) for t in el.get("type", [])) if t]
        if name.endswith("[x]"):
            stem = name[:-3]
            for code in codes:
                parent[stem + code[0].upper() + code[1:]] = code
        elif codes in (["BackboneElement"], ["Element"]):
            nested = parent.get(name) if isinstance(parent.get(name), dict) else {}
            parent[name] = nested
            by_path[rel] = nested
        elif len(codes) == 1:
            parent[name] = codes[0]
    root["meta"] = "Meta"
    return root


def merge(into, table):
    for key, value in table.items():
        old = into.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            merge(old, value)
        elif old is None:
            into[key] = json.loads(json.dumps(value))  # deep copy
        elif old != value:
            raise SystemExit(f"conflicting types for {key}: {old} vs {value}")


def prune(table, keep_types):
    """Drops entries that do not lead to a date-like primitive; returns the pruned copy."""
    out = {}
    for key, value in table.items():
        if isinstance(value, dict):
            sub = prune(value, keep_types)
            if sub:
                out[key] = sub
        elif value in DATE_LIKE or value in keep_types:
            out[key] = value
    return out


def interesting_datatypes():
    """Datatypes that lead to a date-like primitive (fixpoint: Reference <-> Identifier cycle)."""
    keep = set()
    while True:
        grown = {name for name, table in DATATYPES.items() if prune(table, keep)}
        if grown == keep:
            return keep
        keep = grown


def element_types(files):
    resources = {}
    for name, sd in sorted(files.items()):
        if not name.startswith("StructureDefinition-") or sd.get("kind") != "resource":
            continue
        merge(resources.setdefault(sd["type"], {}), snapshot_table(sd))
    for rtype, table in EXTRA_RESOURCES.items():
        merge(resources.setdefault(rtype, {}), table)
    keep = interesting_datatypes()
    return {
        "datatypes": {n: prune(DATATYPES[n], keep) for n in sorted(keep)},
        "resources": {n: prune(t, keep) for n, t in sorted(resources.items())},
    }


def summary_elements(files):
    """Top-level elements marked isSummary in the US Core resource profiles' snapshots, per type
    (choice elements without their [x]), for _summary=true."""
    out = {}
    for name, sd in files.items():
        if not name.startswith("StructureDefinition-") or sd.get("kind") != "resource":
            continue
        keep = out.setdefault(sd["type"], set())
        for e in sd["snapshot"]["element"]:
            parts = e["path"].split(".")
            if len(parts) == 2 and (e.get("isSummary") or parts[1] in ("id", "meta")):
                keep.add(parts[1].replace("[x]", ""))
    return {t: sorted(v) for t, v in sorted(out.items())}


def required_elements(files):
    """Top-level elements with min >= 1 in the US Core resource profiles, per type (for
    _summary=text, which keeps the mandatory elements)."""
    out = {}
    for name, sd in files.items():
        if not name.startswith("StructureDefinition-") or sd.get("kind") != "resource":
            continue
        required = set()
        for e in sd["snapshot"]["element"]:
            parts = e["path"].split(".")
            if len(parts) == 2 and e.get("min", 0) >= 1 and ":" not in e.get("id", ""):
                required.add(parts[1].replace("[x]", ""))
        # Mandatory in every profile of the type (the base resource's own rule is the common part).
        out[sd["type"]] = out[sd["type"]] & required if sd["type"] in out else required
    return {t: sorted(v) for t, v in sorted(out.items())}


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


def main():
    tgz = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_TGZ
    files = read_package(tgz)
    write(ROOT / "share/fhir/us-core-profiles.json", profiles_table(files))
    write(ROOT / "share/fhir/element-types.json", element_types(files))
    write(ROOT / "share/fhir/summary-elements.json", summary_elements(files))
    write(ROOT / "share/fhir/required-elements.json", required_elements(files))


if __name__ == "__main__":
    main()
