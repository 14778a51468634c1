#include "hw/iq_source.hpp"

#include <algorithm>

namespace tw {

std::vector<cf32> read_contiguous(IqSource& source, std::size_t wanted, std::uint64_t* gaps) {
  std::vector<cf32> iq(wanted);
  std::size_t have = 0;
  while (have < wanted) {
    const auto r = source.read(std::span(iq).subspan(have));
    if (r.gap) {
      if (gaps) ++*gaps;
      if (have > 0) std::copy(iq.begin() + static_cast<std::ptrdiff_t>(have),
                              iq.begin() + static_cast<std::ptrdiff_t>(have + r.count), iq.begin());
      have = 0;
    }
    have += r.count;
    if (r.end_of_stream) break;
  }
  iq.resize(have);
  return iq;
}

}  // namespace tw
