#pragma once
// Text normalisation for string search: case-folded, accents removed, so that "Chalmers",
// "CHALMERS" and "Châlmers" index and match alike.
#include <string>
#include <string_view>

namespace search {

// Lowercases ASCII and folds the accented Latin letters of Latin-1 Supplement and Latin
// Extended-A (UTF-8) to their base letters; other bytes are kept as they are.
std::string normalize_text(std::string_view text);

// The smallest string greater than every string starting with `prefix` (for index range scans).
std::string prefix_upper_bound(std::string_view prefix);

}  // namespace search
