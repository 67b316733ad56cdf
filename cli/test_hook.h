// A pause at a named point of a run, so the shell tests can swap a file or
// send a signal at exactly the moment a race would need. Compiled in only when
// the test suite is (DOCKERFIX_TEST_HOOKS); a no-op otherwise.
#pragma once

#include <string>

namespace dockerfix::cli {

// With DOCKERFIX_TEST_PAUSE=POINT:FIFO set and POINT equal to `point`: writes
// "POINT PID INFO\n" to the FIFO, then waits until something is written to it
// and the writer closes it. Anything but a FIFO there is ignored.
void test_pause(const char* point, const std::string& info);

// At the end of a run, on stderr: with DOCKERFIX_TEST_LIBGIT2 set,
// "libgit2 initialisations: N", N the times the run initialised libgit2
// (gitlayer::Library), for the tests of when a run needs it; with
// DOCKERFIX_TEST_ALLOCATOR, "allocator decommit delay: N" (cli/allocator.h).
void test_report_at_exit();

}  // namespace dockerfix::cli
