#pragma once
// A Router over a real SQLite data directory in a temp dir, for handler tests.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "audit/api_log.hpp"
#include "audit/api_log_db.hpp"
#include "rest/backend.hpp"
#include "rest/router.hpp"
#include "store/data_dir.hpp"
#include "store/resource_store.hpp"
#include "store/settings.hpp"

namespace rest_test {

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/fhir-rest-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto backend = rest::open_backend(dir_);
    ASSERT_TRUE(backend.ok()) << backend.error().message;
    backend_ = std::move(*backend);
    db_ = backend_->db.get();
    resources_ = backend_->resources.get();
    settings_ = backend_->settings.get();
    cache_ = std::make_unique<store::SettingsCache>(*settings_, std::chrono::milliseconds(0));
    auto log_db = audit::open_api_log_db(dir_);
    ASSERT_TRUE(log_db.ok()) << log_db.error().message;
    api_log_db_ = std::move(*log_db);
    api_log_ = std::make_unique<audit::ApiLog>(*api_log_db_);
    services_.resources = resources_;
    services_.settings = settings_;
    services_.settings_cache = cache_.get();
    services_.api_log = api_log_.get();
    services_.search = backend_->search.engine.get();
    services_.max_body_bytes = 64 * 1024;
    services_.log_error = [this](std::string_view m) { logged_errors_ += std::string(m) + "\n"; };
    router_ = std::make_unique<rest::Router>(services_);
  }

  void TearDown() override {
    router_.reset();
    api_log_.reset();
    api_log_db_.reset();
    cache_.reset();
    backend_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  rest::Response call(rest::Method method, const std::string& target, const std::string& body = "",
                      rest::Params headers = {}) {
    rest::Request req;
    req.method = method;
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) {
      std::string_view rest = std::string_view(target).substr(q + 1);
      while (!rest.empty()) {
        auto amp = rest.find('&');
        auto pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        auto eq = pair.find('=');
        req.query.emplace_back(std::string(pair.substr(0, eq)),
                               eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1)));
      }
    }
    req.body = body;
    if (!body.empty()) req.headers.emplace_back("content-type", "application/fhir+json");
    for (auto& h : headers) req.headers.push_back(h);
    req.origin = "https://fhir.test:8443";
    req.remote_ip = "127.0.0.1";
    return router_->handle(req);
  }

  rest::Response get(const std::string& target, rest::Params headers = {}) {
    return call(rest::Method::GET, target, "", std::move(headers));
  }

  std::filesystem::path dir_;
  std::unique_ptr<rest::Backend> backend_;
  sql::Database* db_ = nullptr;
  store::ResourceStore* resources_ = nullptr;
  store::SettingsStore* settings_ = nullptr;
  std::unique_ptr<store::SettingsCache> cache_;
  std::unique_ptr<sql::Database> api_log_db_;
  std::unique_ptr<audit::ApiLog> api_log_;
  rest::Services services_;
  std::unique_ptr<rest::Router> router_;
  std::string logged_errors_;
};

}  // namespace rest_test
