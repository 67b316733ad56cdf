// Reading input files for the CLI: whole files in binary mode, stdin, file
// lists and Dockerfile discovery in directories.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace dockerfix::cli {

// Reads the whole file (or standard input for "-") byte for byte into `out`.
// On failure returns false and sets `error` to a message naming the file.
bool read_input(const std::string& path, std::string& out, std::string& error);

// True for the names dockerfix looks for in directories: `Dockerfile`,
// `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile` and `Containerfile`; never
// `*.dockerignore` (BuildKit's per-Dockerfile ignore file, `Dockerfile.dockerignore`)
// nor one of dockerfix's own temporary files.
bool is_dockerfile_name(std::string_view filename);

// `apply` writes `.NAME.dockerfix-tmp-XXXXXX` beside NAME and renames it over
// NAME; one left behind (the process was killed) is never taken for input.
inline constexpr std::string_view kTempInfix = ".dockerfix-tmp-";
bool is_dockerfix_temp(std::string_view filename);

// True when `path` names an existing directory.
bool is_directory(const std::string& path);

// The working directory, read the first time it is asked for: dockerfix
// never changes directory, and a getcwd() for every file was a system call
// each. Empty when it cannot be read (removed while dockerfix runs).
const std::filesystem::path& working_directory();

// std::filesystem::absolute(path), against working_directory(); it throws as
// that does when the working directory cannot be read.
std::filesystem::path absolute_path(const std::filesystem::path& path);

// Appends the files below `dir` (recursively, sorted, `.git` skipped) whose
// names match is_dockerfile_name, or every regular file but dockerfix's
// temporaries when `all_files`.
// Problems (unreadable subdirectories) are appended to `errors`.
void find_files(const std::string& dir, bool all_files, std::vector<std::string>& files,
                std::vector<std::string>& errors);

// Reads a list of paths, one a line (blank lines skipped, a trailing `\r`
// dropped). "-" reads the list from standard input.
bool read_file_list(const std::string& list, std::vector<std::string>& paths,
                    std::string& error);

}  // namespace dockerfix::cli
