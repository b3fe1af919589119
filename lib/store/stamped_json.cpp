#include "store/stamped_json.hpp"

#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "base/json_escape.hpp"

namespace store {
namespace {

using Serializer = nlohmann::detail::serializer<base::Json>;

// Writes JSON exactly as nlohmann's compact dump does (error_handler replace, ensure_ascii off),
// with fast paths for what resources are made of: ASCII strings, integers, objects and arrays.
// Anything else (non-ASCII text, which needs UTF-8 checking; floating-point numbers) goes
// through nlohmann's own serializer.
class Writer {
 public:
  explicit Writer(std::string& out)
      : out_(out), s_(nlohmann::detail::output_adapter<char, std::string>(out), ' ',
                      nlohmann::detail::error_handler_t::replace) {}

  void key(const std::string& k) {
    if (!ascii_string(k)) s_.dump(base::Json(k), false, false, 0);
    out_ += ':';
  }

  void value(const base::Json& v) {
    switch (v.type()) {
      case base::Json::value_t::object: {
        out_ += '{';
        bool first = true;
        for (auto it = v.begin(); it != v.end(); ++it) {
          if (!first) out_ += ',';
          first = false;
          key(it.key());
          value(it.value());
        }
        out_ += '}';
        return;
      }
      case base::Json::value_t::array: {
        out_ += '[';
        bool first = true;
        for (const auto& item : v) {
          if (!first) out_ += ',';
          first = false;
          value(item);
        }
        out_ += ']';
        return;
      }
      case base::Json::value_t::string:
        if (!ascii_string(*v.get_ptr<const std::string*>())) s_.dump(v, false, false, 0);
        return;
      case base::Json::value_t::number_integer:
        number(v.get<std::int64_t>());
        return;
      case base::Json::value_t::number_unsigned:
        number(v.get<std::uint64_t>());
        return;
      case base::Json::value_t::boolean:
        out_ += v.get<bool>() ? "true" : "false";
        return;
      case base::Json::value_t::null:
        out_ += "null";
        return;
      default:
        s_.dump(v, false, false, 0);
        return;
    }
  }

 private:
  template <class N>
  void number(N n) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, n);
    out_.append(buf, r.ptr);
  }

  // Writes `s` quoted and escaped when it is all ASCII; false (nothing written) otherwise.
  bool ascii_string(const std::string& s) {
    for (const char c : s) {
      if (static_cast<unsigned char>(c) >= 0x80) return false;
    }
    base::append_json_quoted(out_, s);
    return true;
  }

  std::string& out_;
  Serializer s_;
};

}  // namespace

std::string serialize_stamped(const std::string& type, const std::string& id, const base::Json& resource,
                              std::size_t* version_at) {
  std::string out;
  out.reserve(1024);
  Writer w(out);
  out += '{';
  w.key("resourceType");
  w.value(base::Json(type));
  out += ',';
  w.key("id");
  w.value(base::Json(id));
  out += ',';
  w.key("meta");
  out += '{';
  static const base::Json kEmpty = base::Json::object();
  const auto m = resource.find("meta");
  const base::Json& meta = m != resource.end() && m->is_object() ? *m : kEmpty;
  bool first = true;
  for (auto it = meta.begin(); it != meta.end(); ++it) {
    if (!first) out += ',';
    first = false;
    w.key(it.key());
    if (it.key() == "versionId" && version_at) *version_at = out.size() + 1;
    w.value(it.value());
  }
  out += '}';
  for (auto it = resource.begin(); it != resource.end(); ++it) {
    const std::string& k = it.key();
    if (k == "resourceType" || k == "id" || k == "meta") continue;
    out += ',';
    w.key(k);
    w.value(it.value());
  }
  out += '}';
  return out;
}

}  // namespace store
