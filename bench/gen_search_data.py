#!/usr/bin/env python3
"""Bench-local data set for bench/search.sh: N patients with about 200 resources each
(Observations vital-signs and laboratory, Conditions, Encounters, MedicationRequests,
Procedures, Immunizations), US Core-shaped, deterministic for a seed. Writes one NDJSON file
per type into OUT. Until the data issue's generator lands, this is what the search benchmark
loads (fhirctl import).

usage: gen_search_data.py --patients N --out DIR [--seed S]
"""
import argparse
import json
import os
import random

FAMILY = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
          "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
          "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez",
          "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen",
          "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell"]
GIVEN = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
         "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen"]
VITALS = [("8867-4", "Heart rate", "/min", 50, 110), ("9279-1", "Respiratory rate", "/min", 10, 24),
          ("8310-5", "Body temperature", "Cel", 36, 39), ("29463-7", "Body weight", "kg", 3, 120),
          ("8302-2", "Body height", "cm", 50, 200), ("39156-5", "Body mass index", "kg/m2", 15, 40),
          ("59408-5", "Oxygen saturation", "%", 90, 100)]
LABS = [("2339-0", "Glucose", "mg/dL", 60, 200), ("17861-6", "Calcium", "mg/dL", 8, 11),
        ("2093-3", "Cholesterol", "mg/dL", 120, 300), ("718-7", "Hemoglobin", "g/dL", 10, 18),
        ("2160-0", "Creatinine", "mg/dL", 0.5, 1.5), ("6690-2", "Leukocytes", "10*3/uL", 3, 12)]
CONDITIONS = [("44054006", "Diabetes mellitus type 2"), ("38341003", "Hypertension"),
              ("195967001", "Asthma"), ("35489007", "Depressive disorder"), ("414545008", "Ischemic heart disease"),
              ("267036007", "Dyspnea"), ("271737000", "Anemia"), ("40055000", "Chronic sinusitis")]
MEDS = [("860975", "metformin 500 MG"), ("314076", "lisinopril 10 MG"), ("197361", "amlodipine 5 MG"),
        ("310965", "ibuprofen 200 MG"), ("745679", "albuterol inhaler")]


def ts(rng, start_year=2005, end_year=2025):
    y = rng.randint(start_year, end_year)
    return "%04d-%02d-%02dT%02d:%02d:00Z" % (y, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--patients", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    files = {t: open(os.path.join(a.out, t + ".ndjson"), "w") for t in
             ["Patient", "Observation", "Condition", "Encounter", "MedicationRequest", "Procedure", "Immunization"]}
    counts = {t: 0 for t in files}

    def emit(r):
        files[r["resourceType"]].write(json.dumps(r, separators=(",", ":")) + "\n")
        counts[r["resourceType"]] += 1

    for p in range(a.patients):
        pid = "p%06d" % p
        ref = {"reference": "Patient/" + pid}
        emit({"resourceType": "Patient", "id": pid,
              "meta": {"profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"]},
              "identifier": [{"system": "http://hospital.example.org/mrn", "value": "MRN%07d" % p}],
              "name": [{"family": rng.choice(FAMILY), "given": [rng.choice(GIVEN)]}],
              "gender": rng.choice(["male", "female"]),
              "birthDate": "%04d-%02d-%02d" % (rng.randint(1930, 2020), rng.randint(1, 12), rng.randint(1, 28)),
              "address": [{"line": ["%d Main St" % rng.randint(1, 999)], "city": "Springfield", "state": "MA",
                           "postalCode": "01%03d" % rng.randint(0, 999)}]})
        encounters = []
        for e in range(10):
            eid = "%s-e%02d" % (pid, e)
            start = ts(rng)
            encounters.append(eid)
            emit({"resourceType": "Encounter", "id": eid, "status": "finished",
                  "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
                  "type": [{"coding": [{"system": "http://snomed.info/sct", "code": "185349003"}]}],
                  "subject": ref, "period": {"start": start, "end": start[:11] + "23:59:00Z"}})
        for o in range(150):
            vital = o < 90
            code, display, unit, lo, hi = rng.choice(VITALS if vital else LABS)
            cat = "vital-signs" if vital else "laboratory"
            emit({"resourceType": "Observation", "id": "%s-o%03d" % (pid, o), "status": "final",
                  "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                            "code": cat}]}],
                  "code": {"coding": [{"system": "http://loinc.org", "code": code, "display": display}], "text": display},
                  "subject": ref, "encounter": {"reference": "Encounter/" + rng.choice(encounters)},
                  "effectiveDateTime": ts(rng),
                  "valueQuantity": {"value": round(rng.uniform(lo, hi), 1), "unit": unit,
                                    "system": "http://unitsofmeasure.org", "code": unit}})
        for c in range(15):
            code, display = rng.choice(CONDITIONS)
            emit({"resourceType": "Condition", "id": "%s-c%02d" % (pid, c),
                  "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                                 "code": rng.choice(["active", "resolved"])}]},
                  "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                            "code": "problem-list-item"}]}],
                  "code": {"coding": [{"system": "http://snomed.info/sct", "code": code, "display": display}]},
                  "subject": ref, "onsetDateTime": ts(rng)})
        for m in range(10):
            code, display = rng.choice(MEDS)
            emit({"resourceType": "MedicationRequest", "id": "%s-m%02d" % (pid, m),
                  "status": rng.choice(["active", "completed", "stopped"]), "intent": "order",
                  "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                                                            "code": code, "display": display}]},
                  "subject": ref, "authoredOn": ts(rng)})
        for x in range(10):
            emit({"resourceType": "Procedure", "id": "%s-x%02d" % (pid, x), "status": "completed",
                  "code": {"coding": [{"system": "http://snomed.info/sct", "code": "73761001"}]},
                  "subject": ref, "performedDateTime": ts(rng)})
        for i in range(5):
            emit({"resourceType": "Immunization", "id": "%s-i%02d" % (pid, i), "status": "completed",
                  "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "140"}]},
                  "patient": ref, "occurrenceDateTime": ts(rng), "primarySource": True})
    for f in files.values():
        f.close()
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
