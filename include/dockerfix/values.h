// The values dockerfix writes into a Dockerfile (user names, ids, HEALTHCHECK
// durations, retry counts), checked where they enter (flags, config) and
// again by the rules that write them: a value that could change what the
// Dockerfile does beyond the option's meaning — a newline, a `;`, uid 0 — is
// refused, never written. Each check returns why the value is refused, or an
// empty string. docs/config.md lists the accepted values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dockerfix::fix {

struct Options;

// A name both useradd and Debian's adduser accept with their defaults, and
// that needs no quoting in a shell or a USER line: a lower-case letter, then
// lower-case letters, digits, `_` or `-`, at most 32 characters; not root.
std::string user_name_problem(std::string_view name);

constexpr int64_t kMinId = 1;           // 0 is root
constexpr int64_t kMaxId = 2147483646;  // shadow's limit; 2^31-1 and (uid_t)-1 are reserved
std::string id_problem(int64_t id);

// A Go duration as Docker reads HEALTHCHECK's: numbers with units
// (`30s`, `1m30s`, `1.5s`, `500ms`; ns, us, ms, s, m, h), at least 1ms.
std::string duration_problem(std::string_view text);

// An integer count within [min, max].
std::string count_problem(int64_t n, int64_t min, int64_t max);

// Bounds of the counts dockerfix writes.
constexpr int64_t kMaxRetries = 100;        // retries, pip-retries, health-retries
constexpr int64_t kMaxRetryDelay = 3600;    // curl --retry-delay, seconds

// The first option of `o` that may not be written, as "what: why"; empty
// when every value is fine. The rules refuse to fix while it is not empty.
std::string invalid_option(const Options& o);

}  // namespace dockerfix::fix
