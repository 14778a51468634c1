// A shared library loaded on first use (dlopen) instead of at process start. towerwatch's optional features
// sit on libraries with long dependency chains (libpq: Kerberos, LDAP, TLS; libgps and libpcap: D-Bus,
// systemd; libmosquitto: OpenSSL) that the dynamic linker would otherwise map and relocate on every start,
// `analyze FILE` and `--help` included. Each such library has a file of forwarding definitions (src/ondemand,
// hw/ondemand) with the signatures of its own header, so the compiler checks them and the calling code is
// unchanged; the binary is linked with --as-needed and carries no NEEDED entry for it (tests/test_on_demand_libs).
// A missing library is a tw::RuntimeFailure naming the feature, the library and its Debian package, raised
// where the feature is first used.
#pragma once
#include <mutex>
#include <string>

namespace tw {

class OnDemandLibrary {
 public:
  // soname: "libpq.so.5"; package: its Debian package ("libpq5"); feature: what needs it, for the message.
  // The sonames and packages are found at configure time (CMakeLists.txt, tw_on_demand_soname).
  OnDemandLibrary(const char* soname, const char* package, const char* feature)
      : soname_(soname), package_(package), feature_(feature) {}
  OnDemandLibrary(const OnDemandLibrary&) = delete;
  OnDemandLibrary& operator=(const OnDemandLibrary&) = delete;

  // Loads the library (once; thread-safe). tw::RuntimeFailure when it cannot be loaded.
  void load();
  // The address of `name` in the library (loaded first). tw::RuntimeFailure when it lacks the symbol.
  void* symbol(const char* name);
  bool loaded() const;   // for tests and diagnostics: was it loaded in this process?
  const char* soname() const { return soname_; }

 private:
  const char* soname_;
  const char* package_;
  const char* feature_;
  std::once_flag once_;
  void* handle_ = nullptr;
  std::string error_;
};

// A forwarding definition: the function `name` of `lib` (an OnDemandLibrary&), resolved on its first call.
// Used as: extern "C" RET name(PARAMS) { TW_ON_DEMAND_CALL(lib, name, ARGS); }
#define TW_ON_DEMAND_CALL(lib, name, ...)                                            \
  static auto* const tw_fn = reinterpret_cast<decltype(&name)>((lib).symbol(#name)); \
  return tw_fn(__VA_ARGS__)

}  // namespace tw
