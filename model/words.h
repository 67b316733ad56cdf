// Small text helpers shared by the model and the rules: command names,
// quotes, words and container paths.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dockerfix::model {

// "/usr/bin/curl" -> "curl": a view into `s`. Inline: rules ask it of
// every command they look at.
inline std::string_view base_name(std::string_view s) { return s.substr(s.rfind('/') + 1); }  // npos + 1 == 0
// Drops one pair of surrounding matching quotes: "'a b'" -> "a b".
std::string unquote(std::string_view s);
// Splits on ASCII whitespace.
std::vector<std::string> split_words(std::string_view s);
// std::filesystem::path(p).lexically_normal().generic_string() for POSIX
// paths, without building a path ("a//b/./c/.." -> "a/b/").
std::string normal_path(std::string_view p);
// True only when normal_path(p) == p: no `.` or `..` name and no empty name
// but a last one (`a/b/`). False for some normal paths (`.`).
bool is_normal_path(std::string_view p);
// `p` made absolute against `workdir` and normalised ("/a/b/../c/" -> "/a/c").
std::string resolve_path(std::string_view workdir, std::string_view p);

}  // namespace dockerfix::model
