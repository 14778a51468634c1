#include "src/cli/position_options.hpp"

#include "src/core/error.hpp"
#include "src/core/log.hpp"

namespace tw::cli {

namespace {
constexpr double kFirstReportWaitS = 5.0;
}

std::vector<OptionSpec> position_options() {
  return {{"gps", true, "HOST:PORT",
           "positions from gpsd (default localhost:2947; another as --gps=HOST:PORT); reconnects if gpsd goes away",
           true},
          {"position", true, "LAT,LON[,ALT]", "a fixed site's position (decimal degrees, metres)"}};
}

std::unique_ptr<PositionSource> position_source_from_args(const Args& args) {
  const bool gps = args.has("gps"), fixed = args.has("position");
  if (gps && fixed) throw InputError("give --gps or --position, not both");
  if (fixed) return parse_fixed_position(*args.get("position"));
  if (!gps) return nullptr;
  if (!args.positionals().empty())
    throw InputError("unexpected argument '" + args.positionals().front() +
                     "' (a gpsd address is given as --gps=HOST:PORT)");
  auto src = std::make_unique<GpsdPositionSource>(parse_gpsd_address(args.get_or("gps", "")));
  log::info("positions from " + src->description());
  // A few seconds for the connection and gpsd's first report (at most one receiver cycle, 1 s, once connected).
  if (!src->wait_first_report(kFirstReportWaitS))
    log::warn(src->description() + ": no report within " + std::to_string(static_cast<int>(kFirstReportWaitS)) +
              " s; starting without a position (observations say fix_mode none until one comes)");
  return src;
}

}  // namespace tw::cli
