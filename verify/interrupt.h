// Ctrl-C and SIGTERM during a verification: the handler only raises a flag;
// every wait and transfer checks it and unwinds with Interrupted, so the
// cleanup of containers and images runs as on any other exit. A second
// signal kills the process the ordinary way.
#pragma once

namespace dockerfix::verify {

void install_interrupt_handlers();
bool interrupted();
// Throws Interrupted when the flag is up.
void check_interrupted();
// Sleeps up to `ms`, waking early (and throwing Interrupted) on a signal.
void pause_ms(int ms);

}  // namespace dockerfix::verify
