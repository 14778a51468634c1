// libgps (gpsd: `--gps`) loaded on first use (src/core/on_demand_library.hpp): the functions
// hw/gpsd_position_source.cpp calls, with gps.h's signatures.

#include <gps.h>

#include "hw/ondemand/on_demand_libs.hpp"

namespace tw::ondemand {
OnDemandLibrary& libgps_library() {
  static OnDemandLibrary lib(TW_SONAME_GPS, TW_PACKAGE_GPS, "gpsd (--gps)");
  return lib;
}
}  // namespace tw::ondemand

extern "C" {

int gps_close(struct gps_data_t *gpsdata) { TW_ON_DEMAND_CALL(tw::ondemand::libgps_library(), gps_close, gpsdata); }
const char *gps_errstr(const int err) { TW_ON_DEMAND_CALL(tw::ondemand::libgps_library(), gps_errstr, err); }
int gps_open(const char *host, const char *port, struct gps_data_t *gpsdata) { TW_ON_DEMAND_CALL(tw::ondemand::libgps_library(), gps_open, host, port, gpsdata); }
int gps_read(struct gps_data_t *gpsdata, char *message, int message_len) { TW_ON_DEMAND_CALL(tw::ondemand::libgps_library(), gps_read, gpsdata, message, message_len); }
int gps_stream(struct gps_data_t *gpsdata, unsigned int flags, void *d) { TW_ON_DEMAND_CALL(tw::ondemand::libgps_library(), gps_stream, gpsdata, flags, d); }
bool gps_waiting(const struct gps_data_t *gpsdata, int timeout) { TW_ON_DEMAND_CALL(tw::ondemand::libgps_library(), gps_waiting, gpsdata, timeout); }

}  // extern "C"
