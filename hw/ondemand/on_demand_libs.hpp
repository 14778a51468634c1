// The optional libraries towerwatch loads on first use (src/core/on_demand_library.hpp). require_*() loads
// one now (tw::RuntimeFailure naming the feature, the library and its Debian package when it cannot), for a
// feature that would otherwise first call into it on a background thread; *_library() for tests.
#pragma once
#include "src/core/on_demand_library.hpp"

namespace tw::ondemand {

OnDemandLibrary& libgps_library();
OnDemandLibrary& libpcap_library();
OnDemandLibrary& libpq_library();          // src/ondemand/libpq.cpp (tw_app)
OnDemandLibrary& libmosquitto_library();   // src/ondemand/libmosquitto.cpp (tw_app)
inline void require_libgps() { libgps_library().load(); }

}  // namespace tw::ondemand
