#include "cli/allocator.h"

#include <cstdlib>

#ifdef DOCKERFIX_WITH_MIMALLOC
#include <mimalloc.h>
#endif

namespace dockerfix::cli {

// Files come and go: each is parsed, checked and freed, on worker threads,
// its report freed on the main one. With mimalloc's default delay the pages
// freed that way are kept, and at two workers peak RSS grew by a third over
// ten times the corpus (29 -> 42 MiB); returned at once it stays within the
// path list's growth, for ~1% more system time (bench/corpus_timing.sh).
void tune_allocator() {
#ifdef DOCKERFIX_WITH_MIMALLOC
  if (std::getenv("MIMALLOC_DECOMMIT_DELAY") || std::getenv("MIMALLOC_RESET_DELAY")) return;
  mi_option_set(mi_option_decommit_delay, 0);
#endif
}

long allocator_decommit_delay() {
#ifdef DOCKERFIX_WITH_MIMALLOC
  return mi_option_get(mi_option_decommit_delay);
#else
  return -1;
#endif
}

}  // namespace dockerfix::cli
