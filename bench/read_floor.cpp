// The I/O floor for the corpus benchmarks: one process that opens, reads and
// closes every file named in LIST (one path a line), as dockerfix must at the
// least. Prints the file and byte counts on stderr.
//   read_floor LIST
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: read_floor LIST\n");
    return 2;
  }
  std::ifstream list(argv[1]);
  std::string path;
  static char buffer[1 << 16];
  unsigned long long files = 0, bytes = 0;
  while (std::getline(list, path)) {
    if (path.empty()) continue;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      std::perror(path.c_str());
      return 1;
    }
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) bytes += static_cast<unsigned long long>(n);
    ::close(fd);
    ++files;
  }
  std::fprintf(stderr, "read_floor: %llu files, %llu bytes\n", files, bytes);
  return 0;
}
