#include "auth/auth_service.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "auth/demo.hpp"
#include "auth/oauth_error.hpp"
#include "auth/uri.hpp"
#include "auth_fixture.hpp"
#include "base/json.hpp"

namespace auth_test {
namespace {

using ServiceTest = AuthFixture;

TEST_F(ServiceTest, RefusesBadUrls) {
  auth::AuthConfig c;
  c.fhir_base = "https://ehr.example.org/r4/";
  c.token_endpoint = kTokenUrl;
  EXPECT_EQ(auth::AuthService::open(*db_, nullptr, c).error().code, base::ErrorCode::invalid);
  c.fhir_base = "ehr.example.org/r4";
  EXPECT_FALSE(auth::AuthService::open(*db_, nullptr, c).ok());
  c.fhir_base = kBase;
  c.token_endpoint = "";
  EXPECT_FALSE(auth::AuthService::open(*db_, nullptr, c).ok());
}

TEST_F(ServiceTest, DemoLoginsWork) {
  auto demo = auth::create_demo_logins(*auth_->users, "pract-1", {"pat-1", "pat-2"});
  ASSERT_TRUE(demo.ok()) << demo.error().message;
  EXPECT_TRUE(auth_->users->authenticate(demo->clinician.username, demo->clinician.password).ok());
  EXPECT_EQ(auth::fhir_user(*auth_->users->get("demo-clinician")), "Practitioner/pract-1");
  EXPECT_EQ(auth_->users->get("demo-admin")->role, auth::Role::admin);
  ASSERT_EQ(demo->patients.size(), 2u);
  auto pu = auth_->users->authenticate(demo->patients[1].username, demo->patients[1].password);
  ASSERT_TRUE(pu.ok());
  EXPECT_EQ(pu->patient_id, "pat-2");

  auto j = base::parse_json(demo->to_json());
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["clinician"]["username"], "demo-clinician");
  EXPECT_EQ((*j)["admin"]["password"], demo->admin.password);
  EXPECT_EQ((*j)["patients"][0]["patient"], "pat-1");
  EXPECT_EQ((*j)["patients"][0]["username"], demo->patients[0].username);

  // Running it again (a restarted --demo) gives working, new passwords.
  auto again = auth::create_demo_logins(*auth_->users, "pract-1", {"pat-1"});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(auth_->users->authenticate("demo-admin", demo->admin.password).ok());
  EXPECT_TRUE(auth_->users->authenticate("demo-admin", again->admin.password).ok());
}

TEST(OAuthErrors, StatusesAndMapping) {
  EXPECT_EQ(auth::invalid_client("x").http_status, 401);
  EXPECT_EQ(auth::invalid_grant("x").http_status, 400);
  EXPECT_EQ(auth::access_denied("x").http_status, 403);
  EXPECT_EQ(auth::server_error().http_status, 500);
  auto internal = auth::from_error(base::internal_error("SELECT secret FROM x failed"));
  EXPECT_EQ(internal.error, "server_error");
  EXPECT_EQ(internal.description.find("SELECT"), std::string::npos);
  EXPECT_EQ(auth::from_error(base::invalid("bad")).error, "invalid_request");
  EXPECT_EQ(auth::to_base_error(auth::invalid_client("no")).code, base::ErrorCode::unauthorized);
  EXPECT_EQ(auth::to_base_error(auth::access_denied("no")).code, base::ErrorCode::forbidden);
}

TEST(Urls, SafeUrlsAndQueries) {
  EXPECT_TRUE(auth::is_safe_url("https://a.example/x?y=1"));
  EXPECT_TRUE(auth::is_safe_url("http://127.0.0.1:8080/cb"));
  EXPECT_FALSE(auth::is_safe_url("http://a.example/x"));
  EXPECT_FALSE(auth::is_safe_url("https://user@a.example/x"));
  EXPECT_FALSE(auth::is_safe_url("https://a.example/x#f"));
  EXPECT_EQ(auth::append_query("https://a.example/cb?x=1", {{"code", "a b&c"}}), "https://a.example/cb?x=1&code=a%20b%26c");
  EXPECT_EQ(auth::form_decode("a+b%26c%zz"), "a b&c%zz");
}

}  // namespace
}  // namespace auth_test
