#include "model/programs.h"

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include "model/words.h"

namespace dockerfix::model {

namespace {

bool is_assignment(std::string_view t) {
  if (t.empty() || !(std::isalpha(static_cast<unsigned char>(t[0])) || t[0] == '_')) return false;
  size_t k = 1;
  while (k < t.size() && (std::isalnum(static_cast<unsigned char>(t[k])) || t[k] == '_')) ++k;
  return k < t.size() && t[k] == '=';
}

template <class S>
size_t program_index_of(std::span<const S> argv) {
  size_t i = 0;
  while (i < argv.size()) {
    const std::string_view b = base_name(argv[i]);
    auto options = [&](std::initializer_list<std::string_view> with_arg) {
      ++i;
      while (i < argv.size() && argv[i].size() > 1 && argv[i][0] == '-') {
        const std::string_view a = argv[i++];
        if (a == "--") break;
        if (std::find(with_arg.begin(), with_arg.end(), a) != with_arg.end()) ++i;
      }
    };
    if (b == "sudo" || b == "doas") {
      options({"-u", "--user", "-g", "--group", "-C", "--close-from", "-D", "--chdir", "-h", "--host", "-p",
               "--prompt", "-r", "--role", "-t", "--type", "-T", "--command-timeout"});
      while (i < argv.size() && is_assignment(argv[i])) ++i;
    } else if (b == "env") {
      options({"-u", "--unset", "-C", "--chdir", "-S", "--split-string"});
      while (i < argv.size() && is_assignment(argv[i])) ++i;
    } else if (b == "exec") {
      options({"-a"});
    } else if (b == "nice") {
      options({"-n", "--adjustment"});
    } else if (b == "timeout") {
      options({"-s", "--signal", "-k", "--kill-after"});
      ++i;  // the duration
    } else if (b == "stdbuf") {
      options({"-i", "-o", "-e"});
    } else if (b == "nohup" || b == "time" || b == "command" || b == "builtin" || b == "eatmydata") {
      options({});
    } else {
      break;
    }
  }
  return std::min(i, argv.size());
}

}  // namespace

size_t program_index(std::span<const std::string_view> argv) { return program_index_of(argv); }
size_t program_index(std::span<const std::string> argv) { return program_index_of(argv); }

}  // namespace dockerfix::model
