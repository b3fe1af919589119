#include "auth/uri.hpp"

#include <algorithm>
#include <cctype>

namespace auth {

bool split_url(std::string_view url, UrlParts& out) {
  if (url.size() > 2048) return false;
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7f) return false;
  }
  const auto colon = url.find("://");
  if (colon == std::string_view::npos || colon == 0) return false;
  out = {};
  for (char c : url.substr(0, colon)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
    out.scheme.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  std::string_view rest = url.substr(colon + 3);
  const auto end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  if (authority.find('@') != std::string_view::npos) return false;
  std::string_view host = authority;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return false;
    host = host.substr(1, close - 1);
  } else if (const auto p = host.rfind(':'); p != std::string_view::npos) {
    host = host.substr(0, p);
  }
  if (host.empty()) return false;
  for (char c : host) out.host.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  out.has_fragment = url.find('#') != std::string_view::npos;
  out.has_query = url.find('?') != std::string_view::npos;
  return true;
}

bool is_loopback_host(std::string_view host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

bool is_safe_url(std::string_view url) {
  UrlParts p;
  if (!split_url(url, p) || p.has_fragment || url.find('*') != std::string_view::npos) return false;
  if (p.scheme == "https") return true;
  return p.scheme == "http" && is_loopback_host(p.host);
}

std::string form_encode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string form_decode(std::string_view v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '+') {
      out.push_back(' ');
    } else if (v[i] == '%' && i + 2 < v.size() && std::isxdigit(static_cast<unsigned char>(v[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(v[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(v.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(v[i]);
    }
  }
  return out;
}

std::string append_query(std::string_view url,
                         std::initializer_list<std::pair<std::string_view, std::string_view>> params) {
  std::string out(url);
  char sep = out.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [k, v] : params) {
    out.push_back(sep);
    out += form_encode(k);
    out.push_back('=');
    out += form_encode(v);
    sep = '&';
  }
  return out;
}

}  // namespace auth
