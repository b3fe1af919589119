#pragma once
// The searchset Bundle of a search: links (self, first, next, previous), total, match and
// include entries from stored bytes, an outcome entry for ignored parameters, and the
// _summary/_elements views of matches.
#include <string>

#include "rest/context.hpp"
#include "search/engine.hpp"
#include "search/query.hpp"

namespace rest {

// `path` is the search's path under the base: "/Patient", or "" for system-level search.
// Consumes `page`: the resources' JSON texts move into the Bundle instead of being copied.
std::string search_bundle(const Context& ctx, const std::string& path, const search::SearchRequest& request,
                          search::SearchPage&& page);

}  // namespace rest
