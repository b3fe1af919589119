// The built-in code tables (see code_tables.hpp). Real codes from LOINC, SNOMED CT, RxNorm, CVX,
// ICD-10-CM, NUCC and UCUM, kept small; all text is ASCII.
#include "synth/code_tables.hpp"

namespace synth::codes {
namespace {

using sv = std::string_view;

constexpr sv kMaleGiven[] = {"James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph",
                             "Thomas", "Charles", "Daniel", "Matthew", "Anthony", "Mark", "Steven", "Paul",
                             "Andrew", "Joshua", "Kevin", "Brian", "Carlos", "Luis", "Wei", "Minh",
                             "Ahmed", "Samuel", "Benjamin", "Ethan", "Noah", "Liam"};
constexpr sv kFemaleGiven[] = {"Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan",
                               "Jessica", "Sarah", "Karen", "Nancy", "Lisa", "Margaret", "Sandra", "Ashley",
                               "Emily", "Donna", "Michelle", "Maria", "Sofia", "Mei", "Lan", "Fatima",
                               "Grace", "Olivia", "Emma", "Ava", "Chloe", "Hannah", "Amy"};
constexpr sv kFamily[] = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
                          "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
                          "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson",
                          "White", "Harris", "Clark", "Lewis", "Nguyen", "Chen", "Walker", "Hall", "Young",
                          "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson"};
constexpr sv kStreets[] = {"Main Street", "Oak Avenue", "Maple Street", "Cedar Lane", "Elm Street",
                           "Washington Avenue", "Lake Road", "Hill Street", "Park Avenue", "Pine Street",
                           "River Road", "Church Street", "Highland Avenue", "Meadow Street", "Spring Street",
                           "Center Street"};
constexpr Place kPlaces[] = {
    {"Boston", "MA", "02118", "617"},     {"Worcester", "MA", "01608", "508"},
    {"Springfield", "MA", "01103", "413"}, {"Amherst", "MA", "01002", "413"},
    {"Cambridge", "MA", "02139", "617"},  {"Providence", "RI", "02903", "401"},
    {"Hartford", "CT", "06103", "860"},   {"New Haven", "CT", "06510", "203"},
    {"Albany", "NY", "12207", "518"},     {"Burlington", "VT", "05401", "802"},
    {"Portland", "ME", "04101", "207"},   {"Manchester", "NH", "03101", "603"},
};
constexpr Code kRaces[] = {{"1002-5", "American Indian or Alaska Native"},
                           {"2028-9", "Asian"},
                           {"2054-5", "Black or African American"},
                           {"2076-8", "Native Hawaiian or Other Pacific Islander"},
                           {"2106-3", "White"}};
constexpr Code kEthnicities[] = {{"2135-2", "Hispanic or Latino"}, {"2186-5", "Not Hispanic or Latino"}};
constexpr Code kLanguages[] = {{"en", "English"}, {"es", "Spanish"}, {"zh", "Chinese"},
                               {"vi", "Vietnamese"}, {"fr", "French"}, {"ar", "Arabic"}};
constexpr Code kEncounterTypes[] = {{"185349003", "Encounter for check up (procedure)"},
                                    {"185345009", "Encounter for symptom (procedure)"},
                                    {"390906007", "Follow-up encounter (procedure)"},
                                    {"410620009", "Well child visit (procedure)"},
                                    {"50849002", "Emergency room admission (procedure)"},
                                    {"32485007", "Hospital admission (procedure)"}};
constexpr Code kReasons[] = {{"25064002", "Headache (finding)"},     {"49727002", "Cough (finding)"},
                             {"21522001", "Abdominal pain (finding)"}, {"386661006", "Fever (finding)"},
                             {"267036007", "Dyspnea (finding)"},     {"29857009", "Chest pain (finding)"},
                             {"161891005", "Backache (finding)"},    {"422587007", "Nausea (finding)"}};
constexpr Condition kConditions[] = {
    {"44054006", "Diabetes mellitus type 2 (disorder)", "E11.9", true, 30, 120},
    {"38341003", "Hypertensive disorder, systemic arterial (disorder)", "I10", true, 30, 120},
    {"55822004", "Hyperlipidemia (disorder)", "E78.5", true, 30, 120},
    {"195967001", "Asthma (disorder)", "J45.909", true, 3, 120},
    {"35489007", "Depressive disorder (disorder)", "F32.9", true, 14, 120},
    {"197480006", "Anxiety disorder (disorder)", "F41.9", true, 12, 120},
    {"414916001", "Obesity (disorder)", "E66.9", true, 5, 120},
    {"13645005", "Chronic obstructive lung disease (disorder)", "J44.9", true, 45, 120},
    {"396275006", "Osteoarthritis (disorder)", "M19.90", true, 45, 120},
    {"49436004", "Atrial fibrillation (disorder)", "I48.91", true, 55, 120},
    {"53741008", "Coronary arteriosclerosis (disorder)", "I25.10", true, 50, 120},
    {"24079001", "Atopic dermatitis (disorder)", "L20.9", true, 0, 40},
    {"65363002", "Otitis media (disorder)", "H66.90", false, 0, 12},
    {"444814009", "Viral sinusitis (disorder)", "J01.90", false, 2, 120},
    {"10509002", "Acute bronchitis (disorder)", "J20.9", false, 0, 120},
    {"68566005", "Urinary tract infectious disease (disorder)", "N39.0", false, 5, 120},
    {"43878008", "Streptococcal sore throat (disorder)", "J02.0", false, 3, 60},
    {"233604007", "Pneumonia (disorder)", "J18.9", false, 0, 120},
};
constexpr Code kHealthConcerns[] = {{"73595000", "Stress (finding)"},
                                    {"422650009", "Social isolation (finding)"},
                                    {"10939881000119105", "Unhealthy alcohol drinking behavior (finding)"}};
constexpr Allergy kAllergies[] = {
    {kRxNorm, "7980", "Penicillin G", "medication"},
    {kRxNorm, "1191", "Aspirin", "medication"},
    {kRxNorm, "2670", "Codeine", "medication"},
    {kRxNorm, "10831", "Sulfamethoxazole", "medication"},
    {kSnomed, "762952008", "Peanut (substance)", "food"},
    {kSnomed, "102263004", "Eggs (edible) (substance)", "food"},
    {kSnomed, "3718001", "Cow's milk (substance)", "food"},
    {kSnomed, "44027008", "Seafood (substance)", "food"},
    {kSnomed, "256259004", "Pollen (substance)", "environment"},
    {kSnomed, "264287008", "Animal dander (substance)", "environment"},
    {kSnomed, "111088007", "Latex (substance)", "environment"},
    {kSnomed, "260147004", "House dust mite (organism)", "environment"},
};
constexpr Code kReactions[] = {{"247472004", "Wheal (finding)"},      {"39579001", "Anaphylaxis (disorder)"},
                               {"271807003", "Eruption of skin (disorder)"}, {"267036007", "Dyspnea (finding)"},
                               {"418290006", "Itching (finding)"},    {"422587007", "Nausea (finding)"},
                               {"76067001", "Sneezing (finding)"}};
// `pediatric`: part of the childhood schedule (given to children); the others to adults.
constexpr Vaccine kVaccines[] = {
    {"08", "Hep B, adolescent or pediatric", true},
    {"20", "DTaP", true},
    {"10", "IPV", true},
    {"49", "Hib (PRP-OMP)", true},
    {"133", "Pneumococcal conjugate PCV 13", true},
    {"116", "rotavirus, pentavalent", true},
    {"03", "MMR", true},
    {"21", "varicella", true},
    {"83", "Hep A, ped/adol, 2 dose", true},
    {"140", "Influenza, seasonal, injectable, preservative free", false},
    {"115", "Tdap", false},
    {"187", "zoster vaccine recombinant", false},
    {"33", "pneumococcal polysaccharide vaccine, 23 valent", false},
    {"43", "Hep B, adult", false},
    {"62", "HPV, quadrivalent", false},
    {"114", "meningococcal MCV4P", false},
};
constexpr Medication kMedications[] = {
    {"314076", "lisinopril 10 MG Oral Tablet", "Take 1 tablet by mouth once daily"},
    {"197361", "amlodipine 5 MG Oral Tablet", "Take 1 tablet by mouth once daily"},
    {"860975", "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet",
     "Take 1 tablet by mouth daily with the evening meal"},
    {"310798", "hydrochlorothiazide 25 MG Oral Tablet", "Take 1 tablet by mouth every morning"},
    {"259255", "atorvastatin 80 MG Oral Tablet", "Take 1 tablet by mouth at bedtime"},
    {"312961", "simvastatin 20 MG Oral Tablet", "Take 1 tablet by mouth at bedtime"},
    {"895994", "120 ACTUAT fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler",
     "Inhale 2 puffs twice daily"},
    {"745679", "200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler",
     "Inhale 2 puffs every 4 to 6 hours as needed for wheezing"},
    {"313782", "acetaminophen 325 MG Oral Tablet", "Take 2 tablets by mouth every 6 hours as needed for pain"},
    {"308182", "amoxicillin 250 MG Oral Capsule", "Take 1 capsule by mouth three times daily for 10 days"},
    {"310965", "ibuprofen 200 MG Oral Tablet", "Take 1 to 2 tablets by mouth every 6 hours as needed"},
    {"309362", "clopidogrel 75 MG Oral Tablet", "Take 1 tablet by mouth once daily"},
    {"855332", "warfarin sodium 5 MG Oral Tablet", "Take 1 tablet by mouth daily or as directed"},
    {"312938", "sertraline 100 MG Oral Tablet", "Take 1 tablet by mouth once daily"},
};
constexpr Procedure kProcedures[] = {
    {"73761001", "Colonoscopy (procedure)", true},
    {"80146002", "Appendectomy (procedure)", true},
    {"430193006", "Medication reconciliation (procedure)", false},
    {"171207006", "Depression screening (procedure)", false},
    {"117015009", "Throat culture (procedure)", false},
    {"76601001", "Intramuscular injection (procedure)", false},
    {"399208008", "Plain chest X-ray (procedure)", false},
    {"40701008", "Echocardiography (procedure)", true},
    {"29303009", "Electrocardiographic procedure (procedure)", false},
};
constexpr Implant kImplants[] = {
    {"307280005", "Implantation of cardiac pacemaker (procedure)", "14106009", "Cardiac pacemaker, device",
     "00643169007222"},
    {"36969009", "Placement of stent in coronary artery (procedure)", "65818007", "Stent, device",
     "08717648200274"},
    {"52734007", "Total replacement of hip (procedure)", "468063009", "Coated femoral stem prosthesis, modular",
     "09504000059118"},
};
constexpr LabTest kLabTests[] = {
    // CBC panel (0..4)
    {"6690-2", "Leukocytes [#/volume] in Blood by Automated count", "10*3/uL", 30, 150, 45, 110, 1},
    {"789-8", "Erythrocytes [#/volume] in Blood by Automated count", "10*6/uL", 380, 600, 420, 590, 2},
    {"718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", 100, 175, 120, 175, 1},
    {"4544-3", "Hematocrit [Volume Fraction] of Blood by Automated count", "%", 320, 520, 360, 500, 1},
    {"777-3", "Platelets [#/volume] in Blood by Automated count", "10*3/uL", 140, 450, 150, 400, 0},
    // Basic metabolic panel (5..12)
    {"2345-7", "Glucose [Mass/volume] in Serum or Plasma", "mg/dL", 70, 250, 70, 99, 0},
    {"3094-0", "Urea nitrogen [Mass/volume] in Serum or Plasma", "mg/dL", 6, 30, 7, 20, 0},
    {"2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL", 50, 200, 60, 130, 2},
    {"2951-2", "Sodium [Moles/volume] in Serum or Plasma", "mmol/L", 132, 146, 136, 145, 0},
    {"2823-3", "Potassium [Moles/volume] in Serum or Plasma", "mmol/L", 33, 54, 35, 51, 1},
    {"2075-0", "Chloride [Moles/volume] in Serum or Plasma", "mmol/L", 96, 110, 98, 107, 0},
    {"2028-9", "Carbon dioxide, total [Moles/volume] in Serum or Plasma", "mmol/L", 20, 31, 22, 29, 0},
    {"17861-6", "Calcium [Mass/volume] in Serum or Plasma", "mg/dL", 83, 106, 86, 103, 1},
    // Lipid panel (13..16)
    {"2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL", 140, 280, 0, 199, 0},
    {"2571-8", "Triglyceride [Mass/volume] in Serum or Plasma", "mg/dL", 50, 300, 0, 149, 0},
    {"2085-9", "Cholesterol in HDL [Mass/volume] in Serum or Plasma", "mg/dL", 30, 90, 40, 90, 0},
    {"18262-6", "Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay", "mg/dL", 60, 190, 0, 99,
     0},
    // Single tests (17, 18)
    {"4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", 48, 105, 40, 56, 1},
    {"3016-3", "Thyrotropin [Units/volume] in Serum or Plasma", "m[IU]/L", 30, 600, 40, 400, 2},
};
constexpr LabPanel kLabPanels[] = {
    {"58410-2", "CBC panel - Blood by Automated count", 0, 5},
    {"51990-0", "Basic metabolic panel - Blood", 5, 8},
    {"57698-3", "Lipid panel with direct LDL - Serum or Plasma", 13, 4},
    {"4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", 17, 1},
    {"3016-3", "Thyrotropin [Units/volume] in Serum or Plasma", 18, 1},
};
constexpr Code kSmoking[] = {{"449868002", "Current every day smoker"},
                             {"428041000124106", "Current some day smoker"},
                             {"8517006", "Former smoker"},
                             {"266919005", "Never smoker"},
                             {"77176002", "Smoker, current status unknown"},
                             {"266927001", "Unknown if ever smoked"},
                             {"428071000124103", "Current Heavy tobacco smoker"},
                             {"428061000124105", "Current Light tobacco smoker"}};
constexpr Code kNoteTypes[] = {{"11488-4", "Consult note"},
                               {"18842-5", "Discharge summary"},
                               {"34117-2", "History and physical note"},
                               {"28570-0", "Procedure note"},
                               {"11506-3", "Progress note"}};
constexpr Report kReports[] = {
    {"LP29708-2", "Cardiology", "11524-6", "EKG study", "Normal sinus rhythm. No acute ST changes."},
    {"LP29708-2", "Cardiology", "18752-6", "Exercise stress test study",
     "No inducible ischemia at the workload achieved."},
    {"LP29684-5", "Radiology", "36643-5", "XR Chest 2 Views", "No acute cardiopulmonary process."},
    {"LP29684-5", "Radiology", "24627-2", "CT Chest", "No pulmonary nodules or masses."},
    {"LP7839-6", "Pathology", "11526-1", "Pathology study", "Benign tissue. No evidence of malignancy."},
    {"LP7839-6", "Pathology", "22637-3", "Pathology report final diagnosis Narrative",
     "Tubular adenoma, completely excised."},
};
constexpr sv kGoals[] = {"Hemoglobin A1c below 7 percent",
                         "Blood pressure below 130/80 mm[Hg]",
                         "Lose 5 kg over the next six months",
                         "Walk 30 minutes a day, five days a week",
                         "Stop smoking",
                         "Use the rescue inhaler less than twice a week"};
constexpr Specialty kSpecialties[] = {{"207Q00000X", "Family Medicine"},
                                      {"207R00000X", "Internal Medicine"},
                                      {"208000000X", "Pediatrics"},
                                      {"207RC0000X", "Cardiovascular Disease"},
                                      {"207X00000X", "Orthopaedic Surgery"},
                                      {"2084P0800X", "Psychiatry"},
                                      {"363L00000X", "Nurse Practitioner"}};
constexpr sv kOrganizations[] = {"Riverside Family Health",  "Lakeside Medical Group",
                                 "Northgate Community Clinic", "Summit Pediatrics",
                                 "Harbor View Hospital",      "Maple Grove Health Center",
                                 "Cedar Hills Internal Medicine", "Bayside Cardiology Associates"};
constexpr Code kFunctional[] = {{"165245003", "Independent walking (finding)"},
                                {"129035000", "Independent with dressing (finding)"},
                                {"371153006", "Independent (qualifier value)"},
                                {"371152001", "Assisted (qualifier value)"}};
constexpr Code kCognitive[] = {{"11163003", "Intact (qualifier value)"},
                               {"260379002", "Impaired (qualifier value)"},
                               {"1250004", "Decreased (qualifier value)"}};
constexpr Code kReferrals[] = {{"183519002", "Referral to cardiology service (procedure)"},
                               {"183524004", "Referral to psychiatry service (procedure)"},
                               {"183545006", "Referral to orthopedic service (procedure)"},
                               {"306362008", "Referral to pharmacist (procedure)"},
                               {"308470006", "Referral to general physician (procedure)"},
                               {"390866009", "Referral to mental health team (procedure)"},
                               {"103699006", "Patient referral to dietitian (procedure)"}};
constexpr Procedure kPlannedProcedures[] = {{"73761001", "Colonoscopy (procedure)", false},
                                            {"71651007", "Mammography (procedure)", false}};

}  // namespace

std::span<const sv> male_given() { return kMaleGiven; }
std::span<const sv> female_given() { return kFemaleGiven; }
std::span<const sv> family_names() { return kFamily; }
std::span<const sv> streets() { return kStreets; }
std::span<const Place> places() { return kPlaces; }
std::span<const Code> races() { return kRaces; }
std::span<const Code> ethnicities() { return kEthnicities; }
std::span<const Code> languages() { return kLanguages; }
std::span<const Code> encounter_types() { return kEncounterTypes; }
std::span<const Code> encounter_reasons() { return kReasons; }
std::span<const Condition> conditions() { return kConditions; }
std::span<const Code> health_concerns() { return kHealthConcerns; }
std::span<const Allergy> allergies() { return kAllergies; }
std::span<const Code> reactions() { return kReactions; }
std::span<const Vaccine> vaccines() { return kVaccines; }
std::span<const Medication> medications() { return kMedications; }
std::span<const Procedure> procedures() { return kProcedures; }
std::span<const Implant> implants() { return kImplants; }
std::span<const LabTest> lab_tests() { return kLabTests; }
std::span<const LabPanel> lab_panels() { return kLabPanels; }
std::span<const Code> smoking_statuses() { return kSmoking; }
std::span<const Code> clinical_note_types() { return kNoteTypes; }
std::span<const Report> note_reports() { return kReports; }
std::span<const sv> goals() { return kGoals; }
std::span<const Specialty> specialties() { return kSpecialties; }
std::span<const sv> organization_names() { return kOrganizations; }
std::span<const Code> functional_statuses() { return kFunctional; }
std::span<const Code> cognitive_findings() { return kCognitive; }
std::span<const Code> referrals() { return kReferrals; }
std::span<const Procedure> planned_procedures() { return kPlannedProcedures; }


}  // namespace synth::codes
