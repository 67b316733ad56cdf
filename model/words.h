// Small text helpers shared by the model and the rules: command names,
// quotes, words and container paths.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dockerfix::model {

// "/usr/bin/curl" -> "curl".
std::string base_name(std::string_view s);
// Drops one pair of surrounding matching quotes: "'a b'" -> "a b".
std::string unquote(std::string_view s);
// Splits on ASCII whitespace.
std::vector<std::string> split_words(std::string_view s);
// `p` made absolute against `workdir` and normalised ("/a/b/../c/" -> "/a/c").
std::string resolve_path(const std::string& workdir, const std::string& p);

}  // namespace dockerfix::model
