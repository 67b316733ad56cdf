#include "verify/interrupt.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

#include "verify/engine.h"

namespace dockerfix::verify {

namespace {

std::atomic<bool> flag{false};

extern "C" void on_signal(int sig) {
  flag.store(true);
  std::signal(sig, SIG_DFL);  // the next one ends the process
}

}  // namespace

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool interrupted() { return flag.load(); }

void check_interrupted() {
  if (interrupted()) throw Interrupted();
}

void pause_ms(int ms) {
  for (int waited = 0; waited < ms; waited += 50) {
    check_interrupted();
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(50, ms - waited)));
  }
  check_interrupted();
}

}  // namespace dockerfix::verify
