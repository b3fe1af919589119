// FHIRPath subset: tokenizer and recursive-descent parser (compile()). Evaluation is in
// fhirpath_eval.cpp; the AST is in fhirpath_ast.hpp.
//
// Precedence, loosest first, as in the FHIRPath grammar: or/xor, and, = !=, |, is/as, then
// postfix `.name`, `.fn(...)`, `[n]`. Operators of the full language that this subset leaves out
// (implies, in, contains, ~, <, +, *, div, ...) are reported as unsupported, not as typos.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "model/fhirpath.hpp"
#include "model/fhirpath_ast.hpp"

namespace model::fhirpath {
namespace {

using detail::Ast;
using detail::Kind;
using AstPtr = std::unique_ptr<Ast>;

constexpr int kMaxDepth = 250;    // height of the AST: bounds evaluation recursion
constexpr int kMaxNesting = 100;  // parentheses and function arguments: bounds parser recursion

enum class Tok { end, ident, variable, string, number, punct };

struct Token {
  Tok kind = Tok::end;
  std::size_t pos = 0;    // byte offset in the text
  std::string_view text;  // as written
  std::string value;      // identifier or variable name, decoded string, number text
  bool quoted = false;    // `delimited` identifier: never a keyword
};

std::string excerpt(std::string_view text) {
  constexpr std::size_t kMax = 160;
  if (text.size() <= kMax) return std::string(text);
  return std::string(text.substr(0, kMax)) + "...";
}

base::Error syntax_error(std::string_view text, std::size_t pos, const std::string& what) {
  return base::invalid(what + " at column " + std::to_string(pos + 1) + " of FHIRPath \"" +
                       excerpt(text) + "\"");
}

bool is_ident_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Reads four hex digits at s[i..i+4); -1 when they are not there.
long read_hex4(std::string_view s, std::size_t i) {
  if (i + 4 > s.size()) return -1;
  long v = 0;
  for (std::size_t k = i; k < i + 4; ++k) {
    const int h = hex_value(s[k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

// Reads a quoted string or delimited identifier starting at s[i] (the quote); leaves i after the
// closing quote. Escapes: \' \" \` \\ \/ \f \n \r \t \uXXXX.
base::Result<std::string> read_quoted(std::string_view s, std::size_t& i) {
  const std::size_t start = i;
  const char quote = s[i++];
  std::string out;
  while (i < s.size()) {
    const char c = s[i];
    if (c == quote) {
      ++i;
      return out;
    }
    if (c != '\\') {
      out += c;
      ++i;
      continue;
    }
    if (i + 1 >= s.size()) break;
    const char e = s[i + 1];
    i += 2;
    switch (e) {
      case '\'': case '"': case '`': case '\\': case '/': out += e; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        long cp = read_hex4(s, i);
        if (cp < 0) return syntax_error(s, i - 2, "\\u must be followed by four hex digits");
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < s.size() && s[i] == '\\' && s[i + 1] == 'u') {
          const long low = read_hex4(s, i + 2);
          if (low >= 0xDC00 && low < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        append_utf8(out, static_cast<std::uint32_t>(cp));
        break;
      }
      default:
        return syntax_error(s, i - 2, std::string("unknown escape '\\") + e + "'");
    }
  }
  return syntax_error(s, start, quote == '`' ? "unterminated `identifier`" : "unterminated string");
}

base::Result<std::vector<Token>> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  for (;;) {
    while (i < s.size()) {  // whitespace and comments
      const char c = s[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
        ++i;
      } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '/') {
        while (i < s.size() && s[i] != '\n') ++i;
      } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
        const auto end = s.find("*/", i + 2);
        if (end == std::string_view::npos) return syntax_error(s, i, "unterminated comment");
        i = end + 2;
      } else {
        break;
      }
    }
    Token t;
    t.pos = i;
    if (i == s.size()) {
      out.push_back(std::move(t));
      return out;
    }
    const char c = s[i];
    std::size_t j = i + 1;
    if (is_ident_start(c)) {
      while (j < s.size() && is_ident_char(s[j])) ++j;
      t.kind = Tok::ident;
      t.value = std::string(s.substr(i, j - i));
    } else if (c == '`' || c == '\'') {
      j = i;
      FHIR_TRY(t.value, read_quoted(s, j));
      t.kind = c == '`' ? Tok::ident : Tok::string;
      t.quoted = c == '`';
      if (t.quoted && t.value.empty()) return syntax_error(s, i, "empty `identifier`");
    } else if (is_digit(c)) {
      while (j < s.size() && is_digit(s[j])) ++j;
      if (j + 1 < s.size() && s[j] == '.' && is_digit(s[j + 1])) {
        ++j;
        while (j < s.size() && is_digit(s[j])) ++j;
      }
      t.kind = Tok::number;
      t.value = std::string(s.substr(i, j - i));
    } else if (c == '$') {
      while (j < s.size() && is_ident_char(s[j])) ++j;
      t.kind = Tok::variable;
      t.value = std::string(s.substr(i + 1, j - i - 1));
    } else if (c == '%') {
      return syntax_error(s, i, "environment variables (%name) are not supported");
    } else if (c == '@') {
      return syntax_error(s, i, "date/time literals (@...) are not supported");
    } else {
      const std::string_view two = s.substr(i, 2);
      if (two == "!=" || two == "!~" || two == "<=" || two == ">=") {
        j = i + 2;
      } else if (std::string_view(".,()[]{}|=~<>+-*/&").find(c) == std::string_view::npos) {
        return syntax_error(s, i, std::string("unexpected character '") + c + "'");
      }
      t.kind = Tok::punct;
    }
    t.text = s.substr(i, j - i);
    i = j;
    out.push_back(std::move(t));
  }
}

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> tokens) : text_(text), toks_(std::move(tokens)) {}

  base::Result<AstPtr> parse() {
    if (peek().kind == Tok::end) return error(peek(), "empty expression");
    FHIR_TRY(AstPtr e, expression());
    if (peek().kind != Tok::end) return unexpected("an operator or the end of the expression");
    return e;
  }

 private:
  const Token& peek(std::size_t k = 0) const { return toks_[std::min(pos_ + k, toks_.size() - 1)]; }
  const Token& next() {
    const Token& t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  bool at_punct(std::string_view p, std::size_t k = 0) const {
    return peek(k).kind == Tok::punct && peek(k).text == p;
  }
  bool at_keyword(std::string_view w) const {
    return peek().kind == Tok::ident && !peek().quoted && peek().value == w;
  }

  base::Error error(const Token& at, const std::string& what) const {
    return syntax_error(text_, at.pos, what);
  }

  static bool unsupported_operator(const Token& t) {
    if (t.kind == Tok::punct) {
      static constexpr std::string_view kOps[] = {"~", "!~", "<", "<=", ">", ">=", "+", "-", "*", "/", "&"};
      return std::find(std::begin(kOps), std::end(kOps), t.text) != std::end(kOps);
    }
    if (t.kind != Tok::ident || t.quoted) return false;
    return t.value == "implies" || t.value == "in" || t.value == "contains" || t.value == "div" ||
           t.value == "mod";
  }

  base::Error unexpected(const std::string& expected) const {
    const Token& t = peek();
    if (t.kind == Tok::end) return error(t, "expected " + expected + " but the expression ended");
    if (unsupported_operator(t)) return error(t, "operator '" + std::string(t.text) + "' is not supported");
    return error(t, "expected " + expected + ", found '" + std::string(t.text) + "'");
  }

  base::Result<AstPtr> make(Kind kind, AstPtr input, AstPtr arg, std::string name = {}) const {
    auto n = std::make_unique<Ast>();
    n->kind = kind;
    n->name = std::move(name);
    n->depth = 1 + std::max(input ? input->depth : 0, arg ? arg->depth : 0);
    n->input = std::move(input);
    n->arg = std::move(arg);
    if (n->depth > kMaxDepth) {
      return error(peek(), "expression too complex (more than " + std::to_string(kMaxDepth) + " levels)");
    }
    return n;
  }

  // Every way back into expression() (parentheses, indexers, function arguments) passes here, so
  // the nesting bound also bounds the parser's recursion (a fuzzer found "a[a[a[..." overflowing).
  base::Result<AstPtr> expression() {
    if (nesting_ >= kMaxNesting) return error(peek(), "expression nested too deeply");
    ++nesting_;
    auto r = or_expr();
    --nesting_;
    return r;
  }

  base::Result<AstPtr> or_expr() {
    FHIR_TRY(AstPtr left, and_expr());
    while (at_keyword("or") || at_keyword("xor")) {
      const Kind kind = next().value == "or" ? Kind::or_ : Kind::xor_;
      FHIR_TRY(AstPtr right, and_expr());
      FHIR_TRY(left, make(kind, std::move(left), std::move(right)));
    }
    return left;
  }

  base::Result<AstPtr> and_expr() {
    FHIR_TRY(AstPtr left, equality());
    while (at_keyword("and")) {
      next();
      FHIR_TRY(AstPtr right, equality());
      FHIR_TRY(left, make(Kind::and_, std::move(left), std::move(right)));
    }
    return left;
  }

  base::Result<AstPtr> equality() {
    FHIR_TRY(AstPtr left, union_expr());
    while (at_punct("=") || at_punct("!=")) {
      const Kind kind = next().text == "=" ? Kind::eq : Kind::ne;
      FHIR_TRY(AstPtr right, union_expr());
      FHIR_TRY(left, make(kind, std::move(left), std::move(right)));
    }
    return left;
  }

  base::Result<AstPtr> union_expr() {
    FHIR_TRY(AstPtr left, type_expr());
    while (at_punct("|")) {
      next();
      FHIR_TRY(AstPtr right, type_expr());
      FHIR_TRY(left, make(Kind::union_, std::move(left), std::move(right)));
    }
    return left;
  }

  base::Result<AstPtr> type_expr() {
    FHIR_TRY(AstPtr left, postfix());
    while (at_keyword("is") || at_keyword("as")) {
      const Kind kind = next().value == "is" ? Kind::is : Kind::as;
      FHIR_TRY(std::string type, type_specifier());
      FHIR_TRY(left, make(kind, std::move(left), nullptr, std::move(type)));
    }
    return left;
  }

  // A type name: `Quantity`, `dateTime`, `FHIR.Quantity`.
  base::Result<std::string> type_specifier() {
    if (peek().kind != Tok::ident) return unexpected("a type name");
    const Token& first = next();
    std::string name = first.value;
    if (!first.quoted && (name == "FHIR" || name == "System") && at_punct(".")) {
      next();
      if (peek().kind != Tok::ident) return unexpected("a type name after '" + name + ".'");
      if (name == "System") return error(first, "System types (System." + peek().value + ") are not supported");
      name = next().value;
    }
    if (name[0] >= 'a' && name[0] <= 'z' && !detail::is_primitive_type(name)) {
      return error(first, "unknown type '" + name + "' (primitive types are boolean, integer, string, "
                          "decimal, uri, url, canonical, base64Binary, instant, date, dateTime, time, "
                          "code, oid, id, markdown, unsignedInt, positiveInt, uuid)");
    }
    return name;
  }

  base::Result<AstPtr> postfix() {
    FHIR_TRY(AstPtr e, term());
    for (;;) {
      if (at_punct(".")) {
        next();
        if (peek().kind != Tok::ident) return unexpected("a name after '.'");
        const Token& name = next();
        if (at_punct("(")) {
          FHIR_TRY(e, function(std::move(e), name));
        } else {
          FHIR_TRY(e, make(Kind::member, std::move(e), nullptr, name.value));
        }
      } else if (at_punct("[")) {
        const Token& open = next();
        FHIR_TRY(AstPtr index, expression());
        if (!at_punct("]")) return unexpected("']'");
        next();
        if (index->kind != Kind::literal || !index->literal.is_number_integer() ||
            index->literal.get<std::int64_t>() < 0) {
          return error(open, "only a non-negative integer literal is supported as an index");
        }
        const auto n = static_cast<std::size_t>(index->literal.get<std::int64_t>());
        FHIR_TRY(e, make(Kind::index, std::move(e), nullptr));
        e->index = n;
      } else {
        return e;
      }
    }
  }

  base::Result<AstPtr> literal(base::Json value) const {
    FHIR_TRY(AstPtr n, make(Kind::literal, nullptr, nullptr));
    n->literal = std::move(value);
    return n;
  }

  base::Result<AstPtr> number(const Token& t) const {
    const char* begin = t.value.data();
    const char* end = begin + t.value.size();
    if (t.value.find('.') != std::string::npos) {
      double d = 0;
      auto r = std::from_chars(begin, end, d);
      if (r.ec != std::errc()) return error(t, "number " + t.value + " out of range");
      return literal(base::Json(d));
    }
    std::int64_t v = 0;
    auto r = std::from_chars(begin, end, v);
    if (r.ec != std::errc()) return error(t, "number " + t.value + " out of range");
    return literal(base::Json(v));
  }

  base::Result<AstPtr> term() {
    if (nesting_ >= kMaxNesting) return error(peek(), "expression nested too deeply");
    struct Guard {
      int& n;
      explicit Guard(int& c) : n(c) { ++n; }
      ~Guard() { --n; }
    } guard(nesting_);

    const Token& t = peek();
    switch (t.kind) {
      case Tok::string:
        next();
        return literal(base::Json(t.value));
      case Tok::number:
        next();
        return number(t);
      case Tok::variable:
        if (t.value != "this") return error(t, "variable '$" + t.value + "' is not supported (only $this)");
        next();
        return make(Kind::this_, nullptr, nullptr);
      case Tok::punct:
        if (t.text == "(") {
          next();
          FHIR_TRY(AstPtr e, expression());
          if (!at_punct(")")) return unexpected("')'");
          next();
          return e;
        }
        if (t.text == "{") {
          next();
          if (!at_punct("}")) return unexpected("'}' (only the empty collection {} is supported)");
          next();
          return make(Kind::empty, nullptr, nullptr);
        }
        if (t.text == "-" || t.text == "+") return error(t, "unary '" + std::string(t.text) + "' is not supported");
        return unexpected("an expression");
      case Tok::ident: {
        next();
        if (at_punct("(")) return function(nullptr, t);
        if (!t.quoted) {
          if (t.value == "true" || t.value == "false") return literal(base::Json(t.value == "true"));
          static constexpr std::string_view kKeywords[] = {"and", "or", "xor", "implies", "is", "as",
                                                           "in", "contains", "div", "mod"};
          if (std::find(std::begin(kKeywords), std::end(kKeywords), t.value) != std::end(kKeywords)) {
            return error(t, "expected an expression, found keyword '" + t.value + "'");
          }
        }
        // FHIR element names start in lower case; a capitalised name is a type (`Observation`).
        const bool type = t.value[0] >= 'A' && t.value[0] <= 'Z';
        return make(type ? Kind::type_filter : Kind::member, nullptr, nullptr, t.value);
      }
      case Tok::end:
        break;
    }
    return unexpected("an expression");
  }

  // At '(' after the function name; `input` is null for a function applied to the context item.
  base::Result<AstPtr> function(AstPtr input, const Token& name_tok) {
    const std::string& fn = name_tok.value;
    struct Simple {
      std::string_view name;
      Kind kind;
    };
    static constexpr Simple kNoArgs[] = {{"empty", Kind::empty_fn}, {"not", Kind::not_fn},
                                         {"hasValue", Kind::has_value}, {"first", Kind::first},
                                         {"last", Kind::last}, {"resolve", Kind::resolve}};
    const auto* simple = std::find_if(std::begin(kNoArgs), std::end(kNoArgs),
                                      [&](const Simple& s) { return s.name == fn; });
    const bool known = simple != std::end(kNoArgs) || fn == "where" || fn == "exists" || fn == "as" ||
                       fn == "ofType" || fn == "is" || fn == "extension";
    if (!known) {
      return error(name_tok, "function '" + fn + "()' is not supported (supported: where, exists, empty, "
                             "not, hasValue, first, last, as, ofType, is, extension, resolve)");
    }
    next();  // '('
    AstPtr node;
    if (simple != std::end(kNoArgs)) {
      if (!at_punct(")")) return error(peek(), fn + "() takes no arguments");
      FHIR_TRY(node, make(simple->kind, std::move(input), nullptr));
    } else if (fn == "where" || fn == "exists") {
      AstPtr criteria;
      if (fn == "where" && at_punct(")")) return error(peek(), "where() needs a criteria expression");
      if (!at_punct(")")) {
        FHIR_TRY(criteria, expression());
      }
      FHIR_TRY(node, make(fn == "where" ? Kind::where : Kind::exists, std::move(input), std::move(criteria)));
    } else if (fn == "extension") {
      if (peek().kind != Tok::string) return error(peek(), "extension() takes the extension url as a string literal");
      std::string url = next().value;
      FHIR_TRY(node, make(Kind::extension, std::move(input), nullptr, std::move(url)));
    } else {  // as, ofType, is
      FHIR_TRY(std::string type, type_specifier());
      FHIR_TRY(node, make(fn == "is" ? Kind::is : Kind::as, std::move(input), nullptr, std::move(type)));
    }
    if (!at_punct(")")) return unexpected("')' to close " + fn + "(");
    next();
    return node;
  }

  std::string_view text_;
  std::vector<Token> toks_;
  std::size_t pos_ = 0;
  int nesting_ = 0;
};

}  // namespace

base::Result<std::shared_ptr<const Expression>> compile(std::string_view text) {
  FHIR_TRY(std::vector<Token> tokens, tokenize(text));
  Parser parser(text, std::move(tokens));
  FHIR_TRY(AstPtr root, parser.parse());
  auto expr = std::make_shared<Expression>();
  expr->text = std::string(text);
  expr->root = std::move(root);
  return std::shared_ptr<const Expression>(std::move(expr));
}

}  // namespace model::fhirpath
