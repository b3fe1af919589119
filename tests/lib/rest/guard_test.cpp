// The guard through the Router with authentication on: 401 with WWW-Authenticate, 403 for types
// the scopes do not grant, user-level tokens unrestricted, patient-level tokens restricted to the
// patient's compartment (reads, searches, includes, history, writes, Bundles), SMART v2 filters,
// and the API log's client/user/patient.
#include <gtest/gtest.h>

#include "lib/rest/guard_fixture.hpp"

namespace {

using guard_test::GuardTest;
using rest::Method;

constexpr const char* kCat = "http://terminology.hl7.org/CodeSystem/observation-category";

std::string observation(const std::string& id, const std::string& patient, const std::string& category,
                        const std::string& performer = "") {
  std::string j = R"({"resourceType":"Observation","id":")" + id + R"(","status":"final",)" +
                  R"("category":[{"coding":[{"system":")" + kCat + R"(","code":")" + category + R"("}]}],)" +
                  R"("code":{"text":"x"},"subject":{"reference":"Patient/)" + patient + R"("})";
  if (!performer.empty()) j += R"(,"performer":[{"reference":")" + performer + R"("}])";
  return j + "}";
}

class Guard : public GuardTest {
 protected:
  void SetUp() override {
    GuardTest::SetUp();
    put(R"({"resourceType":"Organization","id":"org1","name":"Clinic"})");
    put(R"({"resourceType":"Organization","id":"org2","name":"Other clinic"})");
    put(R"({"resourceType":"Practitioner","id":"dr1","name":[{"family":"One"}]})");
    put(R"({"resourceType":"Practitioner","id":"dr2","name":[{"family":"Two"}]})");
    put(R"({"resourceType":"Practitioner","id":"dr3","name":[{"family":"Nobody's"}]})");
    put(R"({"resourceType":"Patient","id":"pa","name":[{"family":"Alpha"}],"managingOrganization":{"reference":"Organization/org1"}})");
    put(R"({"resourceType":"Patient","id":"pb","name":[{"family":"Beta"}],"managingOrganization":{"reference":"Organization/org2"}})");
    put(observation("a-vs", "pa", "vital-signs", "Practitioner/dr1"));
    put(observation("a-lab", "pa", "laboratory"));
    put(observation("a-soc", "pa", "social-history"));
    put(observation("b-vs", "pb", "vital-signs", "Practitioner/dr2"));
    put(observation("b-lab", "pb", "laboratory"));
    put(R"({"resourceType":"Condition","id":"c-a","subject":{"reference":"Patient/pa"},"code":{"text":"a"}})");
    put(R"({"resourceType":"Condition","id":"c-b","subject":{"reference":"Patient/pb"},"code":{"text":"b"}})");
    put(R"({"resourceType":"Provenance","id":"prov-a","target":[{"reference":"Observation/a-vs"}],"recorded":"2020-01-01T00:00:00Z","agent":[{"who":{"reference":"Practitioner/dr1"}}]})");
    put(R"({"resourceType":"Provenance","id":"prov-b","target":[{"reference":"Observation/b-vs"}],"recorded":"2020-01-01T00:00:00Z","agent":[{"who":{"reference":"Practitioner/dr2"}}]})");
    put(R"({"resourceType":"Provenance","id":"prov-ab","target":[{"reference":"Observation/a-vs"},{"reference":"Observation/b-vs"}],"recorded":"2020-01-01T00:00:00Z","agent":[{"who":{"reference":"Practitioner/dr3"}}]})");
    put(R"({"resourceType":"Group","id":"g-a","type":"person","actual":true,"member":[{"entity":{"reference":"Patient/pa"}}]})");
    put(R"({"resourceType":"Group","id":"g-ab","type":"person","actual":true,"member":[{"entity":{"reference":"Patient/pa"}},{"entity":{"reference":"Patient/pb"}}]})");
    put(R"({"resourceType":"Device","id":"dev-a","patient":{"reference":"Patient/pa"}})");
    put(R"({"resourceType":"Device","id":"dev-b","patient":{"reference":"Patient/pb"}})");

    token("user-obs", "user/Observation.read");
    token("pat-obs", "patient/Observation.rs", "pa");
    token("pat-all", "launch/patient patient/Patient.read patient/Observation.read patient/Condition.read "
                     "patient/Practitioner.read patient/Organization.read patient/Provenance.read patient/Group.read "
                     "patient/Device.read", "pa", "patient-user-a", "app-a");
    token("pat-write", "patient/Observation.cruds patient/Practitioner.cruds", "pa");
    token("pat-vitals", "patient/Observation.rs?category=" + std::string(kCat) + "|vital-signs", "pa");
    token("pat-vitals-labs", "patient/Observation.rs?category=" + std::string(kCat) + "|vital-signs " +
                                 "patient/Observation.rs?category=" + std::string(kCat) + "|laboratory", "pa");
    token("user-vitals", "user/Observation.rs?category=" + std::string(kCat) + "|vital-signs");
    token("pat-no-context", "patient/Observation.rs");
  }
};

TEST_F(Guard, MissingTokenIs401WithAChallengeWithoutErrorCode) {
  auto res = get("/r4/Observation", "");
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(res.header("WWW-Authenticate").value_or(""), R"(Bearer realm="https://fhir.test:8443/r4")");
  EXPECT_EQ(body(res)["resourceType"], "OperationOutcome");
  EXPECT_EQ(body(res)["issue"][0]["code"], "login");
}

TEST_F(Guard, OtherSchemeIs401WithoutErrorCode) {
  auto res = call(Method::GET, "/r4/Patient/pa", "", "", "", {{"authorization", "Basic dXNlcjpwYXNz"}});
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(res.header("WWW-Authenticate").value_or(""), R"(Bearer realm="https://fhir.test:8443/r4")");
  EXPECT_NE(res.body.find("Basic"), std::string::npos) << res.body;
}

TEST_F(Guard, UnknownOrEmptyTokenIs401InvalidToken) {
  auto res = get("/r4/Observation", "no-such-token");
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(res.header("WWW-Authenticate").value_or(""),
            R"(Bearer realm="https://fhir.test:8443/r4", error="invalid_token", error_description="The access token is not valid")");
  EXPECT_EQ(res.body.find("no-such-token"), std::string::npos);  // never echoed

  res = call(Method::GET, "/r4/Observation", "", "", "", {{"authorization", "Bearer   "}});
  EXPECT_EQ(res.status, 401);
  EXPECT_NE(res.header("WWW-Authenticate").value_or("").find(R"(error="invalid_token")"), std::string::npos);

  // Scheme names are case-insensitive (RFC 7235).
  res = call(Method::GET, "/r4/Observation/a-vs", "", "", "", {{"authorization", "bearer user-obs"}});
  EXPECT_EQ(res.status, 200) << res.body;
}

TEST_F(Guard, EveryFhirRouteNeedsAToken) {
  for (auto [m, target] : std::vector<std::pair<Method, std::string>>{
           {Method::GET, "/r4/Patient/pa"}, {Method::GET, "/r4/Patient/pa/_history/1"},
           {Method::GET, "/r4/Patient/pa/_history"}, {Method::GET, "/r4/Patient/_history"},
           {Method::GET, "/r4/_history"}, {Method::GET, "/r4/Patient"}, {Method::POST, "/r4/Patient/_search"},
           {Method::GET, "/r4?_type=Patient"}, {Method::POST, "/r4/_search"}, {Method::POST, "/r4/Patient"},
           {Method::PUT, "/r4/Patient/pa"}, {Method::DELETE, "/r4/Patient/pa"}, {Method::POST, "/r4"},
           {Method::GET, "/fhir/Patient/pa"}, {Method::HEAD, "/r4/Patient/pa"}}) {
    auto res = call(m, target, "", m == Method::POST || m == Method::PUT ? "{}" : "");
    EXPECT_EQ(res.status, 401) << target;
    EXPECT_TRUE(res.header("WWW-Authenticate")) << target;
  }
  EXPECT_TRUE(exists("Patient", "pa"));
}

TEST_F(Guard, MetadataAndHealthzArePublic) {
  EXPECT_EQ(get("/r4/metadata", "").status, 200);
  EXPECT_EQ(get("/metadata", "").status, 200);
  EXPECT_EQ(get("/healthz", "").status, 200);
}

TEST_F(Guard, TypeNotGrantedIs403) {
  for (const std::string target : {"/r4/Condition", "/r4/Condition/c-a", "/r4/Condition/c-a/_history",
                                   "/r4/Condition/c-a/_history/1", "/r4/Condition/_history"}) {
    auto res = get(target, "pat-obs");
    EXPECT_EQ(res.status, 403) << target << " " << res.body;
    EXPECT_EQ(res.header("WWW-Authenticate").value_or(""),
              R"(Bearer realm="https://fhir.test:8443/r4", error="insufficient_scope")");
    EXPECT_EQ(body(res)["issue"][0]["code"], "forbidden");
  }
  // Read-only scopes do not write.
  auto res = call(Method::POST, "/r4/Observation", "pat-obs", observation("new", "pa", "laboratory"));
  EXPECT_EQ(res.status, 403) << res.body;
  res = call(Method::DELETE, "/r4/Observation/a-vs", "user-obs");
  EXPECT_EQ(res.status, 403) << res.body;
  EXPECT_TRUE(exists("Observation", "a-vs"));
  // An unknown type stays a 404.
  EXPECT_EQ(get("/r4/Nope/1", "pat-obs").status, 404);
}

TEST_F(Guard, PatientScopesWithoutPatientContextAre403) {
  auto res = get("/r4/Observation", "pat-no-context");
  EXPECT_EQ(res.status, 403) << res.body;
  EXPECT_NE(res.body.find("no patient context"), std::string::npos) << res.body;
}

TEST_F(Guard, UserTokenIsNotRestricted) {
  EXPECT_EQ(walk("/r4/Observation", "user-obs"),
            (Set{"Observation/a-vs", "Observation/a-lab", "Observation/a-soc", "Observation/b-vs", "Observation/b-lab"}));
  EXPECT_EQ(get("/r4/Observation/b-vs", "user-obs").status, 200);
  EXPECT_EQ(get("/r4/Observation/b-vs/_history/1", "user-obs").status, 200);
  EXPECT_EQ(get("/r4/Observation/_history", "user-obs").status, 200);
}

TEST_F(Guard, PatientTokenSeesOnlyItsCompartment) {
  const Set mine{"Observation/a-vs", "Observation/a-lab", "Observation/a-soc"};
  EXPECT_EQ(walk("/r4/Observation", "pat-obs"), mine);
  int pages = 0;
  EXPECT_EQ(walk("/r4/Observation?_count=1&_sort=-_lastUpdated", "pat-obs", nullptr, &pages), mine);
  EXPECT_EQ(pages, 3);
  auto res = get("/r4/Observation?_total=accurate&_count=1", "pat-obs");
  EXPECT_EQ(body(res)["total"], 3);
  EXPECT_EQ(walk("/r4/Observation?subject=Patient/pb", "pat-obs"), Set{});
  EXPECT_EQ(walk("/r4/Observation?_id=b-vs,a-lab", "pat-obs"), Set{"Observation/a-lab"});
  auto post = call(Method::POST, "/r4/Observation/_search", "pat-obs", "_id=b-vs,a-lab", "application/x-www-form-urlencoded");
  EXPECT_EQ(entries(body(post), "match"), Set{"Observation/a-lab"});

  EXPECT_EQ(get("/r4/Observation/a-vs", "pat-obs").status, 200);
  res = get("/r4/Observation/b-vs", "pat-obs");
  EXPECT_EQ(res.status, 404);
  // The same answer as for a resource that never existed: existence is not revealed.
  EXPECT_EQ(body(res)["issue"][0]["diagnostics"], "Observation/b-vs is not known");
  res = get("/r4/Observation/never-was", "pat-obs");
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(body(res)["issue"][0]["diagnostics"], "Observation/never-was is not known");
  EXPECT_EQ(get("/r4/Observation/b-vs/_history/1", "pat-obs").status, 404);
  EXPECT_EQ(get("/r4/Observation/b-vs/_history", "pat-obs").status, 404);
  EXPECT_EQ(get("/r4/Observation/a-vs/_history", "pat-obs").status, 200);
}

TEST_F(Guard, SharedResourcesOnlyWhenReferencedFromTheCompartment) {
  EXPECT_EQ(walk("/r4/Patient", "pat-all"), Set{"Patient/pa"});
  EXPECT_EQ(get("/r4/Patient/pb", "pat-all").status, 404);
  EXPECT_EQ(walk("/r4/Practitioner", "pat-all"), Set{"Practitioner/dr1"});
  EXPECT_EQ(get("/r4/Practitioner/dr1", "pat-all").status, 200);
  EXPECT_EQ(get("/r4/Practitioner/dr2", "pat-all").status, 404);
  EXPECT_EQ(get("/r4/Practitioner/dr3", "pat-all").status, 404);
  EXPECT_EQ(walk("/r4/Organization", "pat-all"), Set{"Organization/org1"});
  // Provenance of the patient's data (every target in the compartment), not of anyone else's.
  EXPECT_EQ(walk("/r4/Provenance", "pat-all"), Set{"Provenance/prov-a"});
  EXPECT_EQ(get("/r4/Provenance/prov-ab", "pat-all").status, 404);
  // Groups that list another patient are not shown to a patient.
  EXPECT_EQ(walk("/r4/Group", "pat-all"), Set{"Group/g-a"});
  EXPECT_EQ(get("/r4/Group/g-ab", "pat-all").status, 404);
  EXPECT_EQ(walk("/r4/Device", "pat-all"), Set{"Device/dev-a"});
}

TEST_F(Guard, IncludesAndRevincludesAreRestricted) {
  Set inc;
  EXPECT_EQ(walk("/r4/Observation?_include=Observation:performer&_include=Observation:subject"
                 "&_revinclude=Provenance:target",
                 "pat-all", &inc),
            (Set{"Observation/a-vs", "Observation/a-lab", "Observation/a-soc"}));
  EXPECT_EQ(inc, (Set{"Practitioner/dr1", "Patient/pa", "Provenance/prov-a"}));

  inc.clear();
  EXPECT_EQ(walk("/r4/Patient?_revinclude=Observation:subject&_revinclude=Group:member&_revinclude=Condition:subject"
                 "&_revinclude:iterate=Provenance:target&_include:iterate=Provenance:agent",
                 "pat-all", &inc),
            Set{"Patient/pa"});
  EXPECT_EQ(inc, (Set{"Observation/a-vs", "Observation/a-lab", "Observation/a-soc", "Condition/c-a", "Group/g-a",
                      "Provenance/prov-a", "Practitioner/dr1"}));

  // Types the scopes do not grant are left out silently.
  inc.clear();
  EXPECT_EQ(walk("/r4/Observation?_include=Observation:subject&_revinclude=Provenance:target", "pat-obs", &inc).size(), 3u);
  EXPECT_EQ(inc, Set{});
}

TEST_F(Guard, SystemSearch) {
  EXPECT_EQ(walk("/r4?_type=Observation,Condition", "pat-all"),
            (Set{"Observation/a-vs", "Observation/a-lab", "Observation/a-soc", "Condition/c-a"}));
  EXPECT_EQ(walk("/r4?_type=Patient,Practitioner,Group,Provenance", "pat-all"),
            (Set{"Patient/pa", "Practitioner/dr1", "Group/g-a", "Provenance/prov-a"}));
  EXPECT_EQ(walk("/r4", "pat-all"),
            (Set{"Patient/pa", "Observation/a-vs", "Observation/a-lab", "Observation/a-soc", "Condition/c-a",
                 "Practitioner/dr1", "Organization/org1", "Provenance/prov-a", "Group/g-a", "Device/dev-a"}));
  // A _type the scopes do not grant is a 403; without _type only granted types are searched.
  EXPECT_EQ(get("/r4?_type=Observation,Condition", "pat-obs").status, 403);
  EXPECT_EQ(walk("/r4", "pat-obs").size(), 3u);
  EXPECT_EQ(walk("/r4", "user-obs").size(), 5u);
}

TEST_F(Guard, ChainsAndHasOnlyLookAtWhatTheTokenMaySee) {
  // The user-level token may search Observations but not Patients: a chain through Patient
  // matches nothing instead of revealing patients' names.
  EXPECT_EQ(walk("/r4/Observation?subject:Patient.name=Beta", "user-obs"), Set{});
  EXPECT_EQ(walk("/r4/Observation?subject:Patient.name=Alpha", "pat-all").size(), 3u);
  EXPECT_EQ(walk("/r4/Patient?_has:Observation:subject:category=vital-signs", "pat-all"), Set{"Patient/pa"});
}

TEST_F(Guard, V2CategoryFilter) {
  EXPECT_EQ(walk("/r4/Observation", "pat-vitals"), Set{"Observation/a-vs"});
  EXPECT_EQ(get("/r4/Observation/a-lab", "pat-vitals").status, 404);
  EXPECT_EQ(get("/r4/Observation/a-vs", "pat-vitals").status, 200);
  EXPECT_EQ(walk("/r4/Observation", "pat-vitals-labs"), (Set{"Observation/a-vs", "Observation/a-lab"}));
  EXPECT_EQ(walk("/r4/Observation?_count=1", "pat-vitals-labs"), (Set{"Observation/a-vs", "Observation/a-lab"}));
  EXPECT_EQ(walk("/r4/Observation", "user-vitals"), (Set{"Observation/a-vs", "Observation/b-vs"}));
  token("pat-vitals-encoded", "patient/Observation.rs?category=" + std::string(kCat) + "%7Cvital-signs", "pa");
  EXPECT_EQ(walk("/r4/Observation", "pat-vitals-encoded"), Set{"Observation/a-vs"});
  EXPECT_EQ(walk("/r4?_type=Observation", "pat-vitals-labs"), (Set{"Observation/a-vs", "Observation/a-lab"}));
  // Filters cannot restrict type history: refused rather than unfiltered.
  EXPECT_EQ(get("/r4/Observation/_history", "user-vitals").status, 403);
  // A filter this server cannot apply refuses the request.
  token("bad-filter", "patient/Observation.rs?nope=1", "pa");
  auto res = get("/r4/Observation", "bad-filter");
  EXPECT_EQ(res.status, 403);
  EXPECT_NE(res.body.find("cannot be applied"), std::string::npos) << res.body;
}

TEST_F(Guard, HistoryWithPatientTokens) {
  // Observation o-move belonged to pb first, then was moved to pa: pa sees only the pa version.
  put(observation("o-move", "pb", "laboratory"));
  put(observation("o-move", "pa", "laboratory"));
  auto res = get("/r4/Observation/o-move/_history", "pat-obs");
  ASSERT_EQ(res.status, 200) << res.body;
  auto b = body(res);
  ASSERT_EQ(b["entry"].size(), 1u);
  EXPECT_EQ(b["entry"][0]["resource"]["meta"]["versionId"], "2");
  EXPECT_EQ(get("/r4/Observation/o-move/_history/1", "pat-obs").status, 404);
  EXPECT_EQ(get("/r4/Observation/o-move/_history/2", "pat-obs").status, 200);
  EXPECT_EQ(get("/r4/Observation/o-move/_history/1", "user-obs").status, 200);
  // Type and system history are refused to patient tokens.
  EXPECT_EQ(get("/r4/Observation/_history", "pat-obs").status, 403);
  EXPECT_EQ(get("/r4/_history", "pat-obs").status, 403);
  // System history for a user token covers only what it may read.
  auto sys = body(get("/r4/_history?_count=1000", "user-obs"));
  for (const auto& e : sys["entry"]) EXPECT_EQ(e["resource"]["resourceType"], "Observation");
  EXPECT_EQ(sys["total"], 7);
}

TEST_F(Guard, PatientWritesStayInTheCompartment) {
  // Create in the compartment: fine. For another patient: 403 and nothing stored.
  auto res = call(Method::POST, "/r4/Observation", "pat-write", observation("ignored", "pa", "laboratory"));
  EXPECT_EQ(res.status, 201) << res.body;
  res = call(Method::POST, "/r4/Observation", "pat-write", observation("ignored", "pb", "laboratory"));
  EXPECT_EQ(res.status, 403) << res.body;
  EXPECT_EQ(walk("/r4/Observation?subject=pb", "user-obs").size(), 2u);
  // Shared types cannot be written with patient scopes.
  res = call(Method::POST, "/r4/Practitioner", "pat-write", R"({"resourceType":"Practitioner"})");
  EXPECT_EQ(res.status, 403) << res.body;
  res = call(Method::PUT, "/r4/Practitioner/dr1", "pat-write", R"({"resourceType":"Practitioner","id":"dr1"})");
  EXPECT_EQ(res.status, 403) << res.body;

  // Update: another patient's resource is not known; moving one's own to another patient is refused.
  res = call(Method::PUT, "/r4/Observation/b-lab", "pat-write", observation("b-lab", "pa", "laboratory"));
  EXPECT_EQ(res.status, 404) << res.body;
  res = call(Method::PUT, "/r4/Observation/a-lab", "pat-write", observation("a-lab", "pb", "laboratory"));
  EXPECT_EQ(res.status, 403) << res.body;
  EXPECT_EQ(get("/r4/Observation/a-lab", "pat-obs").status, 200);
  EXPECT_EQ(body(get("/r4/Observation/a-lab", "pat-obs"))["meta"]["versionId"], "1");
  res = call(Method::PUT, "/r4/Observation/a-lab", "pat-write", observation("a-lab", "pa", "vital-signs"));
  EXPECT_EQ(res.status, 200) << res.body;
  // PUT cannot create under a restriction (same answer as for another patient's resource).
  res = call(Method::PUT, "/r4/Observation/brand-new", "pat-write", observation("brand-new", "pa", "laboratory"));
  EXPECT_EQ(res.status, 404) << res.body;
  EXPECT_FALSE(exists("Observation", "brand-new"));

  // Delete: another patient's is not known and stays; one's own goes.
  res = call(Method::DELETE, "/r4/Observation/b-lab", "pat-write");
  EXPECT_EQ(res.status, 404) << res.body;
  EXPECT_TRUE(exists("Observation", "b-lab"));
  res = call(Method::DELETE, "/r4/Observation/a-soc", "pat-write");
  EXPECT_EQ(res.status, 204) << res.body;
  EXPECT_FALSE(exists("Observation", "a-soc"));
}

TEST_F(Guard, WritesStayWithinV2Filters) {
  token("vitals-write", "patient/Observation.cruds?category=" + std::string(kCat) + "|vital-signs", "pa");
  auto res = call(Method::POST, "/r4/Observation", "vitals-write", observation("x", "pa", "laboratory"));
  EXPECT_EQ(res.status, 403) << res.body;
  EXPECT_NE(res.body.find("scope filters"), std::string::npos) << res.body;
  res = call(Method::POST, "/r4/Observation", "vitals-write", observation("x", "pa", "vital-signs"));
  EXPECT_EQ(res.status, 201) << res.body;
  // A lab result is not the token's to change or delete.
  res = call(Method::PUT, "/r4/Observation/a-lab", "vitals-write", observation("a-lab", "pa", "vital-signs"));
  EXPECT_EQ(res.status, 404) << res.body;
  EXPECT_EQ(call(Method::DELETE, "/r4/Observation/a-lab", "vitals-write").status, 404);
  EXPECT_TRUE(exists("Observation", "a-lab"));
}

TEST_F(Guard, PatientUserWithoutLaunchContextIsTheirOwnPatient) {
  auth::Principal p;
  p.client_id = "app";
  p.user = "patient-user";
  p.fhir_user = "Patient/pa";
  p.scope = "patient/Observation.rs";
  env_->verifier.tokens["fhir-user"] = p;
  EXPECT_EQ(walk("/r4/Observation", "fhir-user"),
            (Set{"Observation/a-vs", "Observation/a-lab", "Observation/a-soc"}));
  p.fhir_user = "Practitioner/dr1";
  env_->verifier.tokens["practitioner"] = p;
  EXPECT_EQ(get("/r4/Observation", "practitioner").status, 403);
}

TEST_F(Guard, TransactionWithOneForbiddenEntryFailsWhole) {
  const std::string tx = R"({"resourceType":"Bundle","type":"transaction","entry":[
    {"resource":)" + observation("t1", "pa", "laboratory") + R"(,"request":{"method":"PUT","url":"Observation/a-lab"}},
    {"resource":)" + observation("t2", "pb", "laboratory") + R"(,"request":{"method":"POST","url":"Observation"}}]})";
  std::string fixed = tx;
  // The PUT entry's body must carry the URL's id.
  fixed.replace(fixed.find(R"("id":"t1")"), 9, R"("id":"a-lab")");
  auto res = call(Method::POST, "/r4", "pat-write", fixed);
  EXPECT_EQ(res.status, 403) << res.body;
  EXPECT_NE(res.body.find("entry #1"), std::string::npos) << res.body;
  EXPECT_EQ(body(get("/r4/Observation/a-lab", "pat-obs"))["meta"]["versionId"], "1");
  EXPECT_EQ(walk("/r4/Observation?subject=pb", "user-obs").size(), 2u);

  // Entries of a type the scopes do not grant fail the transaction too.
  const std::string cond = R"({"resourceType":"Bundle","type":"transaction","entry":[
    {"request":{"method":"GET","url":"Condition/c-a"}}]})";
  EXPECT_EQ(call(Method::POST, "/r4", "pat-write", cond).status, 403);
}

TEST_F(Guard, BatchGivesTheForbiddenEntryA403) {
  const std::string batch = R"({"resourceType":"Bundle","type":"batch","entry":[
    {"request":{"method":"GET","url":"Observation/a-vs"}},
    {"request":{"method":"GET","url":"Observation/b-vs"}},
    {"request":{"method":"GET","url":"Condition/c-a"}},
    {"resource":)" + observation("x", "pb", "laboratory") + R"(,"request":{"method":"POST","url":"Observation"}},
    {"resource":)" + observation("x", "pa", "laboratory") + R"(,"request":{"method":"POST","url":"Observation"}},
    {"request":{"method":"DELETE","url":"Observation/b-lab"}}]})";
  auto statuses = [&](const std::string& bearer) {
    auto res = call(Method::POST, "/r4", bearer, batch);
    EXPECT_EQ(res.status, 200) << res.body;
    const auto b = body(res);
    std::vector<std::string> out;
    for (const auto& e : b["entry"]) out.push_back(e["response"]["status"].get<std::string>().substr(0, 3));
    return out;
  };
  EXPECT_EQ(statuses("pat-write"), (std::vector<std::string>{"200", "404", "403", "403", "201", "404"}));
  // Without read permission (v2 "cud") the reads are 403 as well.
  token("pat-cud", "patient/Observation.cud", "pa");
  EXPECT_EQ(statuses("pat-cud"), (std::vector<std::string>{"403", "403", "403", "403", "201", "404"}));
  EXPECT_TRUE(exists("Observation", "b-lab"));
}

TEST_F(Guard, ApiLogRecordsClientUserAndPatient) {
  ASSERT_EQ(get("/r4/Observation/a-vs", "pat-all").status, 200);
  ASSERT_EQ(get("/r4/Observation/a-vs", "").status, 401);
  env_->api_log->flush();
  auto conn = env_->api_log_db->reader();
  ASSERT_TRUE(conn.ok());
  sql::Query q(**conn, "SELECT status, client_id, user_id, patient_id FROM api_log ORDER BY seq");
  std::vector<std::string> rows;
  while (true) {
    auto row = q.step();
    ASSERT_TRUE(row.ok());
    if (!*row) break;
    rows.push_back(std::to_string(q.int_at(0)) + " " + q.string_at(1) + " " + q.string_at(2) + " " + q.string_at(3));
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"200 app-a patient-user-a pa", "401   "}));
}

}  // namespace
