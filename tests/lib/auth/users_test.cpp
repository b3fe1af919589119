#include "auth/users.hpp"

#include <gtest/gtest.h>

#include "auth_fixture.hpp"

namespace auth_test {
namespace {

using UsersTest = AuthFixture;

TEST_F(UsersTest, AddListGetAndFhirUser) {
  auto doc = add_clinician("doc", "pract-7");
  EXPECT_EQ(auth::fhir_user(doc), "Practitioner/pract-7");
  auth::NewUser admin{"root.admin", "long enough", auth::Role::admin, "Admin", ""};
  ASSERT_TRUE(auth_->users->add(admin).ok());
  auto list = auth_->users->list();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].username, "doc");
  EXPECT_EQ((*list)[1].role, auth::Role::admin);
  EXPECT_EQ(auth::fhir_user((*list)[1]), "");
  EXPECT_EQ(auth_->users->get(doc.id)->username, "doc");
  EXPECT_EQ(auth_->users->get("doc")->id, doc.id);
  EXPECT_EQ(auth_->users->get("nobody").error().code, base::ErrorCode::not_found);
}

TEST_F(UsersTest, AddRules) {
  add_clinician("doc");
  EXPECT_EQ(auth_->users->add({"doc", "another pw", auth::Role::clinician, "", ""}).error().code,
            base::ErrorCode::conflict);
  EXPECT_EQ(auth_->users->add({"x", "long enough", auth::Role::clinician, "", ""}).error().code,
            base::ErrorCode::invalid);
  EXPECT_EQ(auth_->users->add({"has space", "long enough", auth::Role::clinician, "", ""}).error().code,
            base::ErrorCode::invalid);
  EXPECT_EQ(auth_->users->add({"newdoc", "short", auth::Role::clinician, "", ""}).error().code,
            base::ErrorCode::invalid);
  EXPECT_EQ(auth_->users->add({"pat", "long enough", auth::Role::patient, "", ""}).error().code,
            base::ErrorCode::invalid);
  EXPECT_EQ(auth_->users->add({"doc2", "long enough", auth::Role::clinician, "", "bad/id"}).error().code,
            base::ErrorCode::invalid);
}

TEST_F(UsersTest, AuthenticateDisablePasswd) {
  add_clinician("doc");
  EXPECT_TRUE(auth_->users->authenticate("doc", "correct horse").ok());
  auto wrong = auth_->users->authenticate("doc", "wrong horse");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, base::ErrorCode::unauthorized);
  auto unknown = auth_->users->authenticate("ghost", "correct horse");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message, wrong.error().message);  // never tells whether the user exists

  ASSERT_TRUE(auth_->users->set_disabled("doc", true).ok());
  auto disabled = auth_->users->authenticate("doc", "correct horse");
  ASSERT_FALSE(disabled.ok());
  EXPECT_EQ(disabled.error().message, wrong.error().message);
  ASSERT_TRUE(auth_->users->set_disabled("doc", false).ok());

  ASSERT_TRUE(auth_->users->set_password("doc", "battery staple").ok());
  EXPECT_FALSE(auth_->users->authenticate("doc", "correct horse").ok());
  EXPECT_TRUE(auth_->users->authenticate("doc", "battery staple").ok());
  EXPECT_FALSE(auth_->users->set_password("doc", "short").ok());
  EXPECT_EQ(auth_->users->set_password("ghost", "long enough").error().code, base::ErrorCode::not_found);
}

TEST_F(UsersTest, LockoutAfterFiveFailuresWithGrowingBackoff) {
  add_clinician("doc");
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(auth_->users->authenticate("doc", "nope").ok());
  auto locked = auth_->users->authenticate("doc", "correct horse");
  ASSERT_FALSE(locked.ok());
  EXPECT_NE(locked.error().message.find("too many"), std::string::npos);
  advance(61);
  EXPECT_TRUE(auth_->users->authenticate("doc", "correct horse").ok());  // success resets the count

  // A second lockout lasts longer (2 minutes) once the first has happened.
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(auth_->users->authenticate("doc", "nope").ok());
  advance(61);
  EXPECT_FALSE(auth_->users->authenticate("doc", "correct horse").ok());
  advance(60);
  EXPECT_TRUE(auth_->users->authenticate("doc", "correct horse").ok());

  // Unknown usernames lock the same way (the answer does not reveal existence).
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(auth_->users->authenticate("ghost", "nope").ok());
  EXPECT_NE(auth_->users->authenticate("ghost", "x").error().message.find("too many"), std::string::npos);

  // An admin password reset clears the lock.
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(auth_->users->authenticate("doc", "nope").ok());
  ASSERT_TRUE(auth_->users->set_password("doc", "fresh password").ok());
  EXPECT_TRUE(auth_->users->authenticate("doc", "fresh password").ok());
}

TEST_F(UsersTest, PatientCredentials) {
  auto c = auth_->users->create_patient_credentials("pat-1");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_TRUE(c->created);
  EXPECT_EQ(c->username.rfind("patient-", 0), 0u);
  EXPECT_GE(c->password.size(), 16u);
  auto u = auth_->users->authenticate(c->username, c->password);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->role, auth::Role::patient);
  EXPECT_EQ(u->patient_id, "pat-1");
  EXPECT_EQ(auth::fhir_user(*u), "Patient/pat-1");
  EXPECT_EQ((*auth_->users->patient_user("pat-1"))->id, u->id);
  EXPECT_FALSE(auth_->users->patient_user("pat-2")->has_value());

  // Again: same user, new one-time password, the old one stops working.
  auto again = auth_->users->create_patient_credentials("pat-1");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->username, c->username);
  EXPECT_FALSE(auth_->users->authenticate(c->username, c->password).ok());
  EXPECT_TRUE(auth_->users->authenticate(again->username, again->password).ok());
  EXPECT_FALSE(auth_->users->create_patient_credentials("bad id!").ok());
  EXPECT_FALSE(auth_->users->set_practitioner(c->username, "pract-1").ok());
}

TEST_F(UsersTest, PatientApiAccess) {
  EXPECT_TRUE(*auth_->users->patient_api_access("pat-1"));
  ASSERT_TRUE(auth_->users->set_patient_api_access("pat-1", false).ok());
  EXPECT_FALSE(*auth_->users->patient_api_access("pat-1"));
  EXPECT_TRUE(*auth_->users->patient_api_access("pat-2"));
  ASSERT_TRUE(auth_->users->set_patient_api_access("pat-1", true).ok());
  EXPECT_TRUE(*auth_->users->patient_api_access("pat-1"));
}

TEST(Roles, Names) {
  EXPECT_EQ(auth::role_name(auth::Role::clinician), "clinician");
  EXPECT_EQ(*auth::parse_role("admin"), auth::Role::admin);
  EXPECT_FALSE(auth::parse_role("root").ok());
}

}  // namespace
}  // namespace auth_test
