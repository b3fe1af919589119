#!/usr/bin/env python3
"""Generates tests/data/us-core-required.json: what each US Core 3.1.1 profile requires.

Dev-time only: the output is committed and read by tests/lib/synth (the synthetic data generator's
conformance test), which must not need the package at run time. Input is the US Core 3.1.1 NPM
package tarball (everything under package/).

    python3 scripts/gen_us_core_required.py [path/to/hl7.fhir.us.core-3.1.1.tgz]

Output: {"profiles": [{"url", "type", "source", "required", "mustSupport"}, ...]}, one entry per
resource profile of the package (extensions are left out) plus the FHIR R4 core vital-signs
profiles that US Core 3.1.1 requires (the package does not contain them; they are written out
below from http://hl7.org/fhir/R4/observation-vitalsigns.html).

required
    Element paths (without the resource type) whose snapshot min is >= 1, at most two levels
    deep ("status", "identifier.system"). A nested path means: in every instance of the parent
    element that is present, the child is present (FHIR cardinality is relative to the parent).
    Choice elements keep their "[x]" ("effective[x]": any effective* property). Slices and
    their internals are left out (they need pattern matching to check), except that a required
    slice of a choice element counts as its base element.
mustSupport
    The top-level elements flagged mustSupport (a generator that covers the profile fills each
    of them in at least one resource). Extension slices are written "extension:<extension URL>";
    other slices are folded into their base element ("category:VSCat" -> "category").
"""
import json
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TGZ = Path("/work/shared/fhir/us-core-3.1.1/hl7.fhir.us.core-3.1.1.tgz")
OUT = ROOT / "tests" / "data" / "us-core-required.json"

# FHIR R4 core vital-signs profiles (4.0.1). Every one derives from "vitalsigns", which requires
# status, category (the VSCat slice), code, subject and effective[x] and must-supports value[x],
# dataAbsentReason and component. "bp" requires its two components and has no value[x];
# "vitalspanel" groups the others through hasMember.
VS_BASE = "http://hl7.org/fhir/StructureDefinition/"
VS_REQUIRED = ["status", "category", "code", "subject", "effective[x]"]
VS_MUST_SUPPORT = ["status", "category", "code", "subject", "effective[x]", "value[x]",
                   "dataAbsentReason", "component"]
VITAL_SIGNS = {
    "vitalsigns": (VS_REQUIRED, VS_MUST_SUPPORT),
    "vitalspanel": (VS_REQUIRED + ["hasMember"],
                    [m for m in VS_MUST_SUPPORT if m not in ("value[x]", "component")] + ["hasMember"]),
    "resprate": (VS_REQUIRED, VS_MUST_SUPPORT),
    "heartrate": (VS_REQUIRED, VS_MUST_SUPPORT),
    "oxygensat": (VS_REQUIRED, VS_MUST_SUPPORT),
    "bodytemp": (VS_REQUIRED, VS_MUST_SUPPORT),
    "bodyheight": (VS_REQUIRED, VS_MUST_SUPPORT),
    "headcircum": (VS_REQUIRED, VS_MUST_SUPPORT),
    "bodyweight": (VS_REQUIRED, VS_MUST_SUPPORT),
    "bmi": (VS_REQUIRED, VS_MUST_SUPPORT),
    "bp": (VS_REQUIRED + ["component", "component.code"],
           [m for m in VS_MUST_SUPPORT if m != "value[x]"]),
}


def read_structure_definitions(tgz):
    out = []
    with tarfile.open(tgz, "r:gz") as tar:
        for member in tar.getmembers():
            name = member.name
            if not member.isfile() or not name.startswith("package/StructureDefinition-"):
                continue
            if "/" in name[len("package/"):] or not name.endswith(".json"):
                continue
            sd = json.load(tar.extractfile(member))
            if sd.get("kind") == "resource" and sd.get("type") != "Extension":
                out.append(sd)
    return sorted(out, key=lambda sd: sd["url"])


def profile_entry(sd):
    rtype = sd["type"]
    elements = sd["snapshot"]["element"]
    required, must_support = [], []
    for el in elements:
        eid = el["id"]
        if eid == rtype:
            continue
        rel = eid[len(rtype) + 1:]
        parts = rel.split(".")
        if el.get("mustSupport") and len(parts) == 1:
            name, _, slice_name = parts[0].partition(":")
            if slice_name and name in ("extension", "modifierExtension"):
                profiles = [p for t in el.get("type", []) for p in t.get("profile", [])]
                entry = f"{name}:{profiles[0]}" if profiles else name
            else:
                entry = name
            if entry not in must_support:
                must_support.append(entry)
        if el.get("min", 0) < 1 or len(parts) > 2:
            continue
        if any(":" in p for p in parts):
            # A required slice of a choice element (value[x]:valueCodeableConcept) requires the
            # choice element itself; other slices are left out.
            base, _, _ = parts[-1].partition(":")
            if len(parts) == 1 and base.endswith("[x]") and base not in required:
                required.append(base)
            continue
        path = ".".join(parts)
        if path not in required:
            required.append(path)
    return {"url": sd["url"], "type": rtype, "source": "US Core 3.1.1 package snapshot",
            "required": required, "mustSupport": must_support}


def main():
    tgz = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_TGZ
    profiles = [profile_entry(sd) for sd in read_structure_definitions(tgz)]
    for name, (required, must_support) in VITAL_SIGNS.items():
        profiles.append({"url": VS_BASE + name, "type": "Observation",
                         "source": "FHIR R4 core vital-signs profile (written out in the script)",
                         "required": required, "mustSupport": must_support})
    profiles.sort(key=lambda p: (p["type"], p["url"]))
    OUT.write_text(json.dumps({
        "comment": "Generated by scripts/gen_us_core_required.py from the US Core 3.1.1 package; "
                   "do not edit.",
        "profiles": profiles,
    }, indent=1) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(profiles)} profiles")


if __name__ == "__main__":
    main()
