#include "src/core/on_demand_library.hpp"

#include <dlfcn.h>

#include "src/core/error.hpp"

namespace tw {

void OnDemandLibrary::load() {
  std::call_once(once_, [this] {
    handle_ = dlopen(soname_, RTLD_NOW | RTLD_LOCAL);
    if (!handle_) {
      const char* e = dlerror();
      error_ = std::string(feature_) + " needs the library " + soname_ + " (Debian package " + package_ +
               "), which cannot be loaded: " + (e ? e : "unknown error");
    }
  });
  if (!handle_) throw RuntimeFailure(error_);
}

void* OnDemandLibrary::symbol(const char* name) {
  load();
  dlerror();
  void* p = dlsym(handle_, name);
  if (!p)
    throw RuntimeFailure(std::string(feature_) + ": the library " + soname_ + " has no function " + name +
                         " (a different version than towerwatch was built with; Debian package " + package_ + ")");
  return p;
}

bool OnDemandLibrary::loaded() const { return handle_ != nullptr; }

}  // namespace tw
