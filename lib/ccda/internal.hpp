#pragma once
// What the CCD builder's parts share (not a public API): the parsed patient record, the build
// context with the XML writer, JSON access helpers, FHIR -> CDA value conversions (times, codes,
// quantities, names, addresses), the date window test, and the section scaffolding every
// section file uses.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ccda/ccd.hpp"
#include "ccda/json_view.hpp"
#include "ccda/xml_writer.hpp"

namespace ccda::detail {

using Json = JsonValue;

// ---- JSON access (never throws; a missing or mistyped member reads as absent) ----------------
const Json* member(const Json& j, std::string_view key);            // object member or nullptr
const Json* array(const Json& j, std::string_view key);             // member when it is an array
const Json* first(const Json& j, std::string_view key);             // first element of an array member
std::string_view str(const Json& j, std::string_view key);          // string member or ""
std::string_view str(const Json* j);                                // j as a string or ""
std::optional<bool> boolean(const Json& j, std::string_view key);

// A CodeableConcept's words: text, else the first coding's display, else its code.
std::string_view cc_text(const Json* cc);
// True when the CodeableConcept (or array of them) has a coding with this code (any system when
// `system` is empty).
bool has_code(const Json* cc, std::string_view code, std::string_view system = {});
// The code of the first coding of `system` in a CodeableConcept (or "").
std::string_view code_in(const Json* cc, std::string_view system);

// ---- Times ---------------------------------------------------------------------------------
struct TimeRange {
  std::int64_t low = 0;
  std::int64_t high = 0;
};
// The range a FHIR date/dateTime/instant covers on the clock it was recorded in (its UTC offset is
// dropped, so that "2024-08-01T20:00:00-05:00" falls on 2024-08-01 as the window counts days);
// nullopt when absent or malformed.
std::optional<TimeRange> time_range(std::string_view fhir);
// HL7 TS text for a FHIR date/dateTime ("2019-03-04T09:15:00-05:00" -> "20190304091500-0500");
// "" when absent or malformed.
std::string hl7_time(std::string_view fhir);
// HL7 TS text (UTC, seconds) for microseconds since the epoch.
std::string hl7_time_us(std::int64_t us);
// A FHIR time shown to people: "2019-03-04 09:15" (date part and hh:mm as written), or "".
std::string display_time(std::string_view fhir);

// ---- The record ----------------------------------------------------------------------------
struct Resource {
  std::string type;
  Json json;
};

struct Record {
  JsonArena arena;  // the parsed resources' memory
  std::vector<Resource> resources;
  const Json* patient = nullptr;
  std::unordered_map<std::string, const Json*> by_ref;  // "Type/id"
  // Clinical resources by type (pointers into `resources`).
  std::vector<const Json*> conditions, allergies, medication_requests, medication_statements, immunizations,
      observations, reports, procedures, encounters, goals, care_plans, service_requests, documents, devices,
      impressions;
  // The resource a Reference points to ("Type/id", also absolute URLs ending in Type/id).
  const Json* resolve(const Json* reference) const;
};

// Parses the resources of `record` (skipping types no section uses). Errors: invalid naming the
// resource (by index) that is not JSON; not_found when the Patient is missing.
base::Result<Record> load_record(const PatientRecord& record);

// ---- Build context -------------------------------------------------------------------------
struct Ctx {
  const Record& rec;
  const Window& window;
  const Options& options;
  XmlWriter& x;
  int next_ref = 0;

  // True when a resource dated [low, high) falls in the window; an undated resource only when the
  // window has no bounds.
  bool in_window(const std::optional<TimeRange>& r) const;
  // A fresh narrative ID ("prefix-N") for text references.
  std::string ref_id(std::string_view prefix) { return std::string(prefix) + "-" + std::to_string(++next_ref); }
};

// ---- CDA pieces ----------------------------------------------------------------------------
// <templateId root=.. [extension=..]/>; with `r11` also the R1.1 root without extension first (as
// the CCD 2015-08-01 requires for templates that existed in R1.1).
void template_id(XmlWriter& x, std::string_view root, std::string_view extension = {}, bool r11 = false);
// <id root=options.id_root extension="Type/id[#suffix]"/>.
void entry_id(Ctx& c, const Json& resource, std::string_view suffix = {});
// OID of a FHIR code system URI (urn:oid: stripped); "" when unknown.
std::string_view oid_of(std::string_view system);
// Human name of a code system OID for codeSystemName ("" when unknown).
std::string_view oid_name(std::string_view oid);
// Writes <name code codeSystem codeSystemName displayName>[<originalText>][<translation>..]</name>
// for a CodeableConcept: the first coding whose system has an OID (preferring `prefer_oid`), the
// other codings as translations; nullFlavor="UNK" (with originalText) when none maps. `xsi_type`
// adds xsi:type (for <value>). `original_ref` adds <originalText><reference value="#.."/>.
void write_cd(XmlWriter& x, std::string_view name, const Json* cc, std::string_view xsi_type = {},
              std::string_view prefer_oid = {}, std::string_view original_ref = {});
// A fixed code: <name code codeSystem [codeSystemName] [displayName]/>.
void write_code(XmlWriter& x, std::string_view name, std::string_view code, std::string_view system_oid,
                std::string_view display = {}, std::string_view xsi_type = {});
// <name value=TS/> or <name nullFlavor="UNK"/>.
void write_ts(XmlWriter& x, std::string_view name, std::string_view fhir);
// <name><low value|nullFlavor/>[<high value/>]</name>; high omitted when `high` is empty and
// `high_unknown` false, nullFlavor="UNK" when true.
void write_ivl(XmlWriter& x, std::string_view name, std::string_view low, std::string_view high,
               bool high_unknown = false);
// <statusCode code=../>.
void status_code(XmlWriter& x, std::string_view code);
// <text><reference value="#ref"/></text>.
void text_ref(XmlWriter& x, std::string_view ref);
// A FHIR Quantity as <value xsi:type="PQ" value unit/> (name given); UCUM code when system is UCUM,
// else unit text ("1" when none). nullFlavor when there is no number.
void write_pq(XmlWriter& x, std::string_view name, const Json* quantity);
// The value[x] of an Observation (or component) as <value>: PQ, CD, ST, INT, BL; nullFlavor="NI"
// (xsi:type `absent_type`) when there is none.
void write_value(XmlWriter& x, const Json& obs, std::string_view absent_type);
// Text of an Observation's value for the narrative ("120 mm[Hg]", a code's words, a string).
std::string value_text(const Json& obs);
// US Realm addresses, telecoms, person names from FHIR Address/ContactPoint/HumanName arrays.
void write_addr(XmlWriter& x, const Json* address);  // one FHIR Address (nullFlavor when null)
void write_telecom(XmlWriter& x, const Json* contact_point);
void write_person_name(XmlWriter& x, const Json* human_name);
// HumanName as text: "Given Family".
std::string name_text(const Json* human_name);
// The Practitioner (or Organization) behind a reference as <assignedEntity>-style content:
// id (NPI when known), addr, telecom, and <assignedPerson><name/> (for Practitioners).
void write_performer_entity(Ctx& c, const Json* reference, std::string_view entity_element);
// An <author> participation (Author Participation 4.119) at `time` by the referenced Practitioner
// (assignedPerson) or Organization (representedOrganization); nothing when it resolves to neither.
void write_author(Ctx& c, std::string_view time, const Json* reference);

// ---- Sections ------------------------------------------------------------------------------
struct SectionSpec {
  std::initializer_list<std::pair<std::string_view, std::string_view>> templates;  // root, extension
  bool r11 = false;  // also write each root without extension (templates that existed in R1.1)
  std::string_view code;     // LOINC
  std::string_view display;
  std::string_view title;
};
// Writes <component><section> with templateIds, code, title. With `empty`, the section is
// nullFlavor="NI" with a "No information" narrative and is closed again (returns false); otherwise
// returns true and the caller writes <text>, entries and then calls end_section.
bool begin_section(Ctx& c, const SectionSpec& spec, bool empty);
void end_section(Ctx& c);

// Narrative table: <table border="1" width="100%"><thead><tr><th>..</th>..</tr></thead><tbody>.
void begin_table(XmlWriter& x, std::initializer_list<std::string_view> headers);
void end_table(XmlWriter& x);
// <tr [ID=id]> ... cells ... </tr>
void begin_row(XmlWriter& x, std::string_view id = {});
void cell(XmlWriter& x, std::string_view text);

// The section writers, one file each (in document order).
void allergies_section(Ctx& c);
void medications_section(Ctx& c);
void problems_section(Ctx& c);
void procedures_section(Ctx& c);
void results_section(Ctx& c);
void vital_signs_section(Ctx& c);
void social_history_section(Ctx& c);
void immunizations_section(Ctx& c);
void encounters_section(Ctx& c);
void functional_status_section(Ctx& c);
void mental_status_section(Ctx& c);
void medical_equipment_section(Ctx& c);
void assessment_section(Ctx& c);
void plan_of_treatment_section(Ctx& c);
void goals_section(Ctx& c);
void health_concerns_section(Ctx& c);
void reason_for_referral_section(Ctx& c);
void notes_sections(Ctx& c);  // Progress Notes, Procedure Notes, Laboratory Report Narrative

// The US Realm Header (everything before <component><structuredBody>).
void write_header(Ctx& c);

// Observation classification shared by sections.
bool has_category(const Json& resource, std::string_view code);
bool is_vital_sign(const Json& obs);
bool is_lab(const Json& obs);
bool is_smoking_status(const Json& obs);
bool is_functional_status(const Json& obs);
bool is_mental_status(const Json& obs);

// The [low, high) of a resource's clinically relevant time (per type), for the window and sorting.
std::optional<TimeRange> resource_time(const Record& rec, const Json& resource);

}  // namespace ccda::detail

namespace ccda::detail {
// A Problem Observation (V3) for a Condition (shared by Problems, Health Concerns, Encounters).
void write_problem_observation(Ctx& c, const Json& condition, std::string_view ref, std::string_view id_suffix = {});
// True when a Condition's clinical status is active/recurrence/relapse (or absent).
bool condition_active(const Json& condition);
// A Product Instance participantRole (UDI) for a Device (Medical Equipment, Procedures).
void write_product_instance(Ctx& c, const Json& device);
}  // namespace ccda::detail

namespace ccda::detail {
// Decoded base64 (whitespace skipped); "" when malformed.
std::string base64_decode(std::string_view b64);
// The text of an XHTML fragment (tags dropped, the five predefined entities and numeric character
// references decoded, whitespace runs collapsed).
std::string xhtml_text(std::string_view xhtml);
// Writes text as paragraphs (one per line): <paragraph [ID]>line</paragraph>...
void write_paragraphs(XmlWriter& x, std::string_view text, std::string_view id = {});
// A Note Activity entry (C-CDA R2.1 Companion Guide) for a note of LOINC type `type_code`:
// `resource` gives the id, `time` the effectiveTime, `author` the author reference, `encounter`
// the encounter reference.
void write_note_activity(Ctx& c, const Json& resource, std::string_view type_code, std::string_view type_display,
                         std::string_view ref, std::string_view time, const Json* author, const Json* encounter);
}  // namespace ccda::detail
