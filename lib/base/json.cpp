#include "base/json.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/embedded.hpp"

namespace base {

namespace {

// Builds the same Json as nlohmann's DOM parser (same members in the same order; a repeated key
// keeps its first position and its last value; the same error messages), from the parser's SAX
// events. Faster: objects and arrays are built once with their final size, instead of growing
// member by member with a linear search for each key, and the stacks are reused from one parse to
// the next on the same thread.
class DomBuilder {
 public:
  void reset() {
    frames_.clear();
    keys_.clear();
    values_.clear();
    error_.clear();
  }
  Json take_root() {
    Json root = std::move(values_.back());
    values_.clear();
    return root;
  }
  const std::string& error() const { return error_; }

  bool null() { return value(Json(nullptr)); }
  bool boolean(bool v) { return value(Json(v)); }
  bool number_integer(Json::number_integer_t v) { return value(Json(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return value(Json(v)); }
  bool number_float(Json::number_float_t v, const Json::string_t&) { return value(Json(v)); }
  bool string(Json::string_t& v) { return value(Json(std::move(v))); }
  bool binary(Json::binary_t& v) { return value(Json::binary(std::move(v))); }
  bool start_object(std::size_t) {
    frames_.push_back({true, keys_.size(), values_.size()});
    return true;
  }
  bool key(Json::string_t& k) {
    keys_.push_back(std::move(k));
    return true;
  }
  bool end_object() {
    const Frame f = frames_.back();
    frames_.pop_back();
    const std::size_t n = values_.size() - f.values;
    Json obj(Json::value_t::object);
    auto& members = static_cast<Json::object_t::Container&>(*obj.get_ptr<Json::object_t*>());
    members.reserve(n);
    const bool large = n > 32;
    if (large) seen_.clear();
    for (std::size_t i = 0; i < n; ++i) {
      std::string& k = keys_[f.keys + i];
      Json& v = values_[f.values + i];
      if (Json* same = find(members, k, large)) {
        *same = std::move(v);  // a repeated key: its last value, at its first position
        continue;
      }
      members.emplace_back(std::move(k), std::move(v));
      // reserve(n) above: members never move, so views of their keys stay valid
      if (large) seen_.emplace(std::string_view(members.back().first), members.size() - 1);
    }
    keys_.resize(f.keys);
    values_.resize(f.values);
    return value(std::move(obj));
  }
  bool start_array(std::size_t) {
    frames_.push_back({false, keys_.size(), values_.size()});
    return true;
  }
  bool end_array() {
    const Frame f = frames_.back();
    frames_.pop_back();
    const std::size_t n = values_.size() - f.values;
    Json arr(Json::value_t::array);
    auto& items = *arr.get_ptr<Json::array_t*>();
    items.reserve(n);
    for (std::size_t i = 0; i < n; ++i) items.push_back(std::move(values_[f.values + i]));
    values_.resize(f.values);
    return value(std::move(arr));
  }
  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& ex) {
    error_ = ex.what();
    return false;
  }

 private:
  struct Frame {
    bool object;
    std::size_t keys;    // where this object's keys start in keys_
    std::size_t values;  // where its values start in values_
  };

  bool value(Json v) {
    values_.push_back(std::move(v));
    return true;
  }

  // The member named `k` already in `members`, or nullptr. Small objects (nearly all) are searched
  // linearly; large ones through a hash map, so that a hostile body with many keys costs linear
  // time, not quadratic.
  Json* find(Json::object_t::Container& members, const std::string& k, bool large) {
    if (large) {
      auto it = seen_.find(std::string_view(k));
      return it == seen_.end() ? nullptr : &members[it->second].second;
    }
    for (auto& m : members) {
      if (m.first == k) return &m.second;
    }
    return nullptr;
  }

  std::vector<Frame> frames_;
  std::vector<std::string> keys_;
  std::vector<Json> values_;
  std::unordered_map<std::string_view, std::size_t> seen_;  // keys of the large object being built
  std::string error_;
};

}  // namespace

Result<Json> parse_json(std::string_view text) {
  thread_local DomBuilder builder;
  builder.reset();
  const bool ok = Json::sax_parse(text.begin(), text.end(), &builder);
  if (!ok) {
    // The message carries "[json.exception.parse_error.101] parse error at line 1, column 7: ..."
    const std::string& what = builder.error();
    auto pos = what.find("] ");
    std::string message =
        "The body is not valid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2));
    builder.reset();
    return invalid(std::move(message));
  }
  return builder.take_root();
}

std::string dump_compact(const Json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string dump_pretty(const Json& j) {
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Result<std::string> prettify(std::string_view text) {
  auto parsed = parse_json(text);
  if (!parsed) return std::move(parsed).error();
  return dump_pretty(*parsed);
}

Result<Json> embedded_json(std::string_view name) {
  auto text = embedded_file(name);
  if (!text) return internal_error("embedded file missing from the build: " + std::string(name));
  auto parsed = parse_json(*text);
  if (!parsed) return internal_error("embedded file " + std::string(name) + ": " + parsed.error().message);
  return parsed;
}

}  // namespace base
