// Batch and transaction Bundles.
#include <nlohmann/json.hpp>

#include "lib/rest/router_fixture.hpp"

namespace {

using rest::Method;
using json = nlohmann::json;

class BundleTest : public rest_test::RouterTest {
 protected:
  std::int64_t stored_versions() {
    auto page = resources_->history({});
    return page.ok() ? page->total : -1;
  }
};

const char* kTransaction = R"({
  "resourceType": "Bundle", "type": "transaction",
  "entry": [
    {"fullUrl": "urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a",
     "resource": {"resourceType": "Patient", "name": [{"family": "Chalmers"}]},
     "request": {"method": "POST", "url": "Patient"}},
    {"fullUrl": "urn:uuid:88f151c0-a954-468a-88bd-5ae15c08e059",
     "resource": {"resourceType": "Observation", "status": "final", "code": {"text": "weight"},
                  "subject": {"reference": "urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a"}},
     "request": {"method": "POST", "url": "Observation"}},
    {"resource": {"resourceType": "Organization", "id": "org1", "name": "Acme"},
     "request": {"method": "PUT", "url": "Organization/org1"}}
  ]})";

TEST_F(BundleTest, TransactionRewritesUrnReferencesAndCommitsAll) {
  auto res = call(Method::POST, "/r4", kTransaction);
  ASSERT_EQ(res.status, 200) << res.body;
  auto b = json::parse(res.body);
  EXPECT_EQ(b["type"], "transaction-response");
  ASSERT_EQ(b["entry"].size(), 3u);
  EXPECT_EQ(b["entry"][0]["response"]["status"], "201 Created");
  const std::string location = b["entry"][0]["response"]["location"];
  const std::string patient_ref = location.substr(0, location.find("/_history"));
  const std::string obs_location = b["entry"][1]["response"]["location"];
  auto obs = json::parse(get("/r4/" + obs_location.substr(0, obs_location.find("/_history"))).body);
  EXPECT_EQ(obs["subject"]["reference"], patient_ref);
  EXPECT_EQ(get("/r4/Organization/org1").status, 200);
}

TEST_F(BundleTest, FailingTransactionStoresNothing) {
  auto bundle = json::parse(kTransaction);
  bundle["entry"].push_back({{"request", {{"method", "DELETE"}, {"url", "Patient/x"}}}});
  bundle["entry"].push_back({{"resource", {{"resourceType", "Patient"}, {"id", "p9"}}},
                             {"request", {{"method", "PUT"}, {"url", "Patient/p9"}, {"ifMatch", "W/\"4\""}}}});
  auto res = call(Method::POST, "/r4", bundle.dump());
  EXPECT_EQ(res.status, 412) << res.body;
  EXPECT_NE(res.body.find("Bundle entry #4"), std::string::npos) << res.body;
  EXPECT_EQ(stored_versions(), 0);
}

TEST_F(BundleTest, TransactionWithInvalidEntryIs400AndStoresNothing) {
  auto bundle = json::parse(kTransaction);
  bundle["entry"][1]["resource"]["issued"] = "not-a-date";
  auto res = call(Method::POST, "/r4", bundle.dump());
  EXPECT_EQ(res.status, 400) << res.body;
  EXPECT_EQ(stored_versions(), 0);
}

TEST_F(BundleTest, BatchEntriesSucceedOrFailIndependently) {
  const char* batch = R"({"resourceType":"Bundle","type":"batch","entry":[
    {"resource":{"resourceType":"Patient"},"request":{"method":"POST","url":"Patient"}},
    {"request":{"method":"GET","url":"Patient/missing"}},
    {"resource":{"resourceType":"Patient","id":"b1"},"request":{"method":"PUT","url":"Patient/b1"}},
    {"request":{"method":"PATCH","url":"Patient/b1"}}
  ]})";
  auto res = call(Method::POST, "/r4", batch);
  ASSERT_EQ(res.status, 200) << res.body;
  auto b = json::parse(res.body);
  EXPECT_EQ(b["type"], "batch-response");
  ASSERT_EQ(b["entry"].size(), 4u);
  EXPECT_EQ(b["entry"][0]["response"]["status"], "201 Created");
  EXPECT_EQ(b["entry"][1]["response"]["status"], "404 Not Found");
  EXPECT_EQ(b["entry"][1]["response"]["outcome"]["resourceType"], "OperationOutcome");
  EXPECT_EQ(b["entry"][2]["response"]["status"], "201 Created");
  EXPECT_EQ(b["entry"][3]["response"]["status"], "400 Bad Request");
  EXPECT_EQ(get("/r4/Patient/b1").status, 200);
}

TEST_F(BundleTest, OtherBundleTypesAreRefused) {
  auto res = call(Method::POST, "/r4", R"({"resourceType":"Bundle","type":"collection"})");
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("batch or transaction"), std::string::npos);
  EXPECT_EQ(call(Method::POST, "/r4", R"({"resourceType":"Patient"})").status, 400);
}

}  // namespace
