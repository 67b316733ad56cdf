// How the CLI's allocator (mimalloc, when the build links it) gives memory
// back, so that a run's peak memory does not grow with the number of files.
#pragma once

namespace dockerfix::cli {

// Called first thing in main. With mimalloc: freed pages are returned to
// the system at once instead of after a delay (its decommit_delay, 0), unless
// the environment sets that option itself (MIMALLOC_DECOMMIT_DELAY, or its
// old name MIMALLOC_RESET_DELAY). Without it, nothing.
void tune_allocator();

// The delay in effect, in milliseconds; -1 without mimalloc (tests).
long allocator_decommit_delay();

}  // namespace dockerfix::cli
