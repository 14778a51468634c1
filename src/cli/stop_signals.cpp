#include "src/cli/stop_signals.hpp"

#include <csignal>

namespace tw::cli {

namespace {
std::atomic<bool> g_stop{false};
// Both calls are async-signal-safe.
extern "C" void on_stop_signal(int sig) {
  if (g_stop.exchange(true)) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
}
}  // namespace

StopSignals::StopSignals() {
  g_stop.store(false);
  prev_int_ = std::signal(SIGINT, on_stop_signal);
  prev_term_ = std::signal(SIGTERM, on_stop_signal);
}

StopSignals::~StopSignals() {
  std::signal(SIGINT, prev_int_);
  std::signal(SIGTERM, prev_term_);
}

const std::atomic<bool>* StopSignals::flag() const { return &g_stop; }

}  // namespace tw::cli
