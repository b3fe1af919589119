#pragma once
// US Core 3.1.1 examples (package hl7.fhir.us.core-3.1.1, folder package/example), as raw JSON for
// tests/lib/model/resource_validator_test.cpp. The generated narratives (text.div) are left out;
// everything else is as published. Tests must not read /work/shared, hence the copies.

namespace us_core_examples {

// Patient-example.json
constexpr const char* kPatient = R"json(
  {
    "resourceType":"Patient", "id":"example",
    "meta":{"profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"]},
    "extension":[
      {
        "extension":[
          {
            "url":"ombCategory",
            "valueCoding":{
              "system":"urn:oid:2.16.840.1.113883.6.238", "code":"2106-3", "display":"White"
            }
          },
          {
            "url":"ombCategory",
            "valueCoding":{
              "system":"urn:oid:2.16.840.1.113883.6.238", "code":"1002-5",
              "display":"American Indian or Alaska Native"
            }
          },
          {
            "url":"ombCategory",
            "valueCoding":{
              "system":"urn:oid:2.16.840.1.113883.6.238", "code":"2028-9", "display":"Asian"
            }
          },
          {
            "url":"detailed",
            "valueCoding":{
              "system":"urn:oid:2.16.840.1.113883.6.238", "code":"1586-7", "display":"Shoshone"
            }
          },
          {
            "url":"detailed",
            "valueCoding":{
              "system":"urn:oid:2.16.840.1.113883.6.238", "code":"2036-2", "display":"Filipino"
            }
          },
          {"url":"text","valueString":"Mixed"}
        ],
        "url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-race"
      },
      {
        "extension":[
          {
            "url":"ombCategory",
            "valueCoding":{
              "system":"urn:oid:2.16.840.1.113883.6.238", "code":"2135-2",
              "display":"Hispanic or Latino"
            }
          },
          {
            "url":"detailed",
            "valueCoding":{
              "system":"urn:oid:2.16.840.1.113883.6.238", "code":"2184-0", "display":"Dominican"
            }
          },
          {
            "url":"detailed",
            "valueCoding":{
              "system":"urn:oid:2.16.840.1.113883.6.238", "code":"2148-5", "display":"Mexican"
            }
          },
          {"url":"text","valueString":"Hispanic or Latino"}
        ],
        "url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity"
      },
      {"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex","valueCode":"F"}
    ],
    "identifier":[
      {
        "use":"usual",
        "type":{
          "coding":[
            {
              "system":"http://terminology.hl7.org/CodeSystem/v2-0203", "code":"MR",
              "display":"Medical Record Number"
            }
          ],
          "text":"Medical Record Number"
        },
        "system":"http://hospital.smarthealthit.org", "value":"1032702"
      }
    ],
    "active":true,
    "name":[
      {"family":"Shaw","given":["Amy","V."],"period":{"start":"2016-12-06","end":"2020-07-22"}},
      {"family":"Baxter","given":["Amy","V."],"suffix":["PharmD"],"period":{"start":"2020-07-22"}}
    ],
    "telecom":[
      {"system":"phone","value":"555-555-5555","use":"home"},
      {"system":"email","value":"amy.shaw@example.com"}
    ],
    "gender":"female", "birthDate":"1987-02-20",
    "address":[
      {
        "line":["49 Meadow St"], "city":"Mounds", "state":"OK", "postalCode":"74047",
        "country":"US", "period":{"start":"2016-12-06","end":"2020-07-22"}
      },
      {
        "line":["183 Mountain View St"], "city":"Mounds", "state":"OK", "postalCode":"74048",
        "country":"US", "period":{"start":"2020-07-22"}
      }
    ]
  })json";

// Observation-blood-pressure.json
constexpr const char* kBloodPressure = R"json(
  {
    "resourceType":"Observation", "id":"blood-pressure",
    "meta":{"profile":["http://hl7.org/fhir/StructureDefinition/vitalsigns"]}, "status":"final",
    "category":[
      {
        "coding":[
          {
            "system":"http://terminology.hl7.org/CodeSystem/observation-category",
            "code":"vital-signs", "display":"Vital Signs"
          }
        ],
        "text":"Vital Signs"
      }
    ],
    "code":{
      "coding":[
        {
          "system":"http://loinc.org", "code":"85354-9",
          "display":"Blood pressure panel with all children optional"
        }
      ],
      "text":"Blood pressure systolic and diastolic"
    },
    "subject":{"reference":"Patient/example","display":"Amy Shaw"},
    "encounter":{"display":"GP Visit"}, "effectiveDateTime":"1999-07-02",
    "component":[
      {
        "code":{
          "coding":[
            {"system":"http://loinc.org","code":"8480-6","display":"Systolic blood pressure"}
          ],
          "text":"Systolic blood pressure"
        },
        "valueQuantity":{
          "value":109, "unit":"mmHg", "system":"http://unitsofmeasure.org", "code":"mm[Hg]"
        }
      },
      {
        "code":{
          "coding":[
            {"system":"http://loinc.org","code":"8462-4","display":"Diastolic blood pressure"}
          ],
          "text":"Diastolic blood pressure"
        },
        "valueQuantity":{
          "value":44, "unit":"mmHg", "system":"http://unitsofmeasure.org", "code":"mm[Hg]"
        }
      }
    ]
  })json";

// Encounter-example-1.json
constexpr const char* kEncounter = R"json(
  {
    "resourceType":"Encounter", "id":"example-1",
    "meta":{
      "lastUpdated":"2017-05-26T11:56:57.250-04:00",
      "profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-encounter"]
    },
    "status":"finished",
    "class":{
      "system":"http://terminology.hl7.org/CodeSystem/v3-ActCode", "code":"AMB",
      "display":"ambulatory"
    },
    "type":[
      {"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"99201"}],"text":"Office Visit"}
    ],
    "subject":{"reference":"Patient/example"},
    "period":{"start":"2015-11-01T17:00:14-05:00","end":"2015-11-01T18:00:14-05:00"}
  })json";

// Bundle-c887e62f-6166-419f-8268-b5ecd6c7b901.json
constexpr const char* kBundle = R"json(
  {
    "resourceType":"Bundle", "id":"c887e62f-6166-419f-8268-b5ecd6c7b901",
    "meta":{"lastUpdated":"2019-07-09T18:49:01.235+00:00"}, "type":"searchset", "total":1,
    "link":[
      {
        "relation":"self",
        "url":"http://example.org/fhir/AllergyIntolerance?_revinclude=Provenance%3Atarget&patient=Examples"
      }
    ],
    "entry":[
      {
        "fullUrl":"http://example.org/fhir/AllergyIntolerance/79613",
        "resource":{
          "resourceType":"AllergyIntolerance", "id":"79613",
          "meta":{
            "versionId":"1", "lastUpdated":"2019-07-09T15:26:23.217+00:00",
            "profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-allergyintolerance"]
          },
          "clinicalStatus":{
            "coding":[
              {
                "system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                "code":"active", "display":"Active"
              }
            ]
          },
          "verificationStatus":{
            "coding":[
              {
                "system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
                "code":"confirmed", "display":"Confirmed"
              }
            ]
          },
          "category":["medication"], "criticality":"high",
          "code":{
            "coding":[{"system":"http://snomed.info/sct","code":"762952008","display":"Peanuts"}],
            "text":"Peanuts"
          },
          "patient":{"reference":"Patient/example"}, "onsetDateTime":"2017-06-09",
          "reaction":[
            {
              "manifestation":[
                {
                  "coding":[
                    {"system":"http://snomed.info/sct","code":"247472004","display":"Hives"}
                  ]
                }
              ],
              "onset":"2017-06-09"
            }
          ]
        },
        "search":{"mode":"match"}
      },
      {
        "fullUrl":"http://example.org/fhir/Provenance/79614",
        "resource":{
          "resourceType":"Provenance", "id":"79614",
          "meta":{
            "versionId":"1", "lastUpdated":"2019-07-09T15:26:23.217+00:00",
            "profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-provenance"]
          },
          "target":[{"reference":"AllergyIntolerance/79613"}],
          "recorded":"2019-07-09T15:26:23.217+00:00",
          "agent":[
            {
              "type":{
                "coding":[
                  {
                    "system":"http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                    "code":"author", "display":"Author"
                  }
                ]
              },
              "who":{"reference":"Practitioner/practitioner-1"},
              "onBehalfOf":{"reference":"Organization/saint-luke-w-endpoint"}
            }
          ]
        },
        "search":{"mode":"include"}
      }
    ]
  })json";

}  // namespace us_core_examples
