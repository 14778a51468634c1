// Errors that reach the user. Every error names the file or field it is about.
// Exit codes (CLI): 0 ok, 1 runtime failure, 2 bad usage or input.
#pragma once
#include <stdexcept>
#include <string>

namespace tw {

// Bad command line, bad file, bad field: exit code 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Something failed while running (device vanished, disk full): exit code 1.
class RuntimeFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace tw
