#pragma once
// A read-only JSON document model made for speed: one parse per resource into an arena (no
// allocation per node), strings without escapes point into the source text, objects keep their
// members in order and look keys up linearly (FHIR objects are small). Strict RFC 8259 syntax
// (raw control characters in strings, trailing commas, bad numbers, trailing text are errors).
// The source text and the arena must outlive the values.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ccda::detail {

class JsonArena;

class JsonValue {
 public:
  enum class Kind : std::uint8_t { null, boolean, number, string, array, object };
  struct Member;

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_object() const { return kind_ == Kind::object; }
  bool is_array() const { return kind_ == Kind::array; }
  bool is_string() const { return kind_ == Kind::string; }
  bool is_boolean() const { return kind_ == Kind::boolean; }
  bool is_number() const { return kind_ == Kind::number; }
  bool is_number_integer() const { return kind_ == Kind::number && integer_; }

  // Elements of an array / members of an object (0 otherwise).
  std::size_t size() const { return kind_ == Kind::array || kind_ == Kind::object ? n_ : 0; }
  bool empty() const { return size() == 0; }
  // Array elements (empty range for anything else).
  const JsonValue* begin() const { return kind_ == Kind::array ? static_cast<const JsonValue*>(p_) : nullptr; }
  const JsonValue* end() const { return kind_ == Kind::array ? begin() + n_ : nullptr; }
  const JsonValue& operator[](std::size_t i) const { return begin()[i]; }
  // Object members in document order (empty range for anything else).
  const Member* members_begin() const;
  const Member* members_end() const;
  // The member `key` of an object (the first one if repeated), or nullptr.
  const JsonValue* find(std::string_view key) const;

  std::string_view string() const { return kind_ == Kind::string ? std::string_view(static_cast<const char*>(p_), n_) : std::string_view{}; }
  // A number's text as written ("98.6", "-1e3"); "" for anything else.
  std::string_view number_text() const { return kind_ == Kind::number ? std::string_view(static_cast<const char*>(p_), n_) : std::string_view{}; }
  bool as_bool() const { return kind_ == Kind::boolean && n_ != 0; }
  // An integer number's value (0 when not an integer or out of range).
  std::int64_t as_int() const;

 private:
  friend class JsonParser;
  Kind kind_ = Kind::null;
  bool integer_ = false;
  std::uint32_t n_ = 0;
  const void* p_ = nullptr;
};

struct JsonValue::Member {
  std::string_view key;
  JsonValue value;
};

// Owns the memory of parsed documents: blocks handed out in order, freed together.
class JsonArena {
 public:
  void* allocate(std::size_t bytes);
  // Forgets everything allocated, keeping the first block for reuse.
  void reset();

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t used_ = 0;
  std::size_t capacity_ = 0;
  std::size_t first_capacity_ = 0;
};

// Parses `text` into `out`. Returns "" on success, else what is wrong and at which byte.
std::string parse_json(std::string_view text, JsonArena& arena, JsonValue& out);

}  // namespace ccda::detail
